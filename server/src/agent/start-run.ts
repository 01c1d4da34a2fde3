// Assembles one run from resolved settings: driver, tools, policy, sandbox, emitter wired to the
// store and to the caller's sinks. Shared by the CLI and the LSP server so both run the same agent.
import { homedir } from 'node:os';
import type { ResolvedRun } from '../config/resolve-run.ts';
import { createDriver } from '../models/create-driver.ts';
import { unknownModelNotice } from '../models/model-table.ts';
import { SessionGrants } from '../policy/engine.ts';
import { loadRules } from '../policy/rules.ts';
import { detectSandbox, sandboxArgv } from '../policy/sandbox.ts';
import { commandEnvironment, Redactor } from '../policy/secrets.ts';
import type { EventStore } from '../store/event-store.ts';
import { ALL_TOOLS, toolSpecs } from '../tools/registry.ts';
import type { WorkspaceFiles } from '../tools/types.ts';
import { AGIO_VERSION } from '../version.ts';
import type { Approver } from './approver.ts';
import { newRunId, RunEmitter, type EventSink } from './emitter.ts';
import { markInterruptedRuns } from './interrupted-runs.ts';
import { rebuildRun, type ResumeState } from './resume-state.ts';
import { runAgent, type RunControl } from './runner.ts';
import type { RunOutcome } from './run-ledger.ts';
import { CheckpointDb } from '../checkpoints/checkpoint-db.ts';
import { Checkpointer } from '../checkpoints/checkpointer.ts';
import { RunCheckpoints } from '../checkpoints/run-checkpoints.ts';

export interface RunIo {
  store: EventStore;
  sinks: EventSink[];
  approver: Approver;
  files: WorkspaceFiles;
  signal: AbortSignal;
  /** Told the run id as soon as it exists (before the first event). */
  onRunId?: (runId: string) => void;
  control?: RunControl;
}

/** Models whose assumed window was already announced by this process: the notice is said once. */
const noticed = new Set<string>();

let specsCache: ReturnType<typeof toolSpecs> | undefined;

/** The state to resume run `runId` from, or why it cannot be resumed. */
export function loadResume(store: EventStore, runId: string): ResumeState | { error: string } {
  markInterruptedRuns(store);
  const found = store.findRun(runId);
  if ('error' in found) return found;
  if (found.status === 'running') return { error: `run ${found.id} is still running in another Agio process` };
  return rebuildRun([...store.events(found.id)]);
}

/** Starts a run, or continues `resume` (an interrupted run) from its recorded conversation. */
export async function startRun(
  s: ResolvedRun,
  io: RunIo,
  resume?: ResumeState,
): Promise<RunOutcome & { runId: string }> {
  const runId = resume ? resume.runStart.runId : newRunId();
  io.onRunId?.(runId);
  const home = s.baseEnv.HOME ?? homedir();
  const [driver, sandbox] = await Promise.all([
    createDriver(s.provider, {
      model: s.model,
      apiKey: s.apiKey,
      idleTimeoutMs: s.guards.streamIdleMs,
      ...(s.baseURL ? { baseURL: s.baseURL } : {}),
    }),
    // A sandbox whose writable folder is / or the whole home confines nothing: say so, do not claim one.
    s.cwd === '/' || s.cwd === home
      ? Promise.resolve({ kind: 'none' as const, reason: 'the workspace is / or your home folder' })
      : detectSandbox(),
  ]);
  const rules = loadRules(s.cwd, s.trusted, s.baseEnv);
  // The key may have come over the connection rather than the environment: redact it all the same.
  const redactor = Redactor.fromEnv({ ...s.baseEnv, AGIO_RUN_API_KEY: s.apiKey });
  const emitter = new RunEmitter(runId, [(e, json) => io.store.append(e, json), ...io.sinks], {
    redactor,
    ...(resume ? { startSeq: resume.lastSeq } : {}),
  });
  specsCache ??= toolSpecs(ALL_TOOLS);
  const checkpointDb = CheckpointDb.open(io.store.file);
  const checkpoints = new RunCheckpoints(
    new Checkpointer(checkpointDb, runId, s.cwd, { firstStep: (resume?.lastCheckpointStep ?? 0) + 1 }),
    checkpointDb.locks,
    (f, parentId) => {
      emitter.emit({
        type: 'checkpoint',
        parentId,
        step: f.step,
        kind: f.kind,
        files: f.files,
        bytes: f.bytes,
        durationMs: Math.round(f.durationMs * 1000) / 1000,
        ...(f.skipped.length > 0 ? { skipped: f.skipped } : {}),
      });
      // The snapshot is announced durably before the write or command it precedes.
      io.store.flush();
    },
    (step, changed, parentId) => emitter.emit({ type: 'checkpoint_end', parentId, step, changed }),
  );
  const notices = [];
  if (s.windowAssumed && !noticed.has(s.model)) {
    noticed.add(s.model);
    notices.push({ kind: 'unknown_model', message: unknownModelNotice(s.model, s.modelInfo) });
  }
  const outcome = await runAgent(
    {
      task: s.task,
      cwd: s.cwd,
      provider: s.provider,
      model: s.model,
      approval: s.approval,
      limits: s.limits,
      guards: s.guards,
      agioVersion: AGIO_VERSION,
      sandbox: sandbox.kind,
      trusted: s.trusted,
      unsandboxedFullAuto: s.unsandboxedFullAuto,
      ...(s.baseURL ? { baseUrl: s.baseURL } : {}),
      ...(resume ? { resume } : {}),
      context: s.context,
      notices,
      ...(s.attachments ? { attachments: s.attachments } : {}),
      ...(s.compactFirst ? { compactFirst: true } : {}),
    },
    {
      emitter,
      driver,
      tools: ALL_TOOLS,
      toolSpecs: specsCache,
      files: io.files,
      approver: io.approver,
      env: commandEnvironment(s.baseEnv, rules.envAllow, rules.envSecrets),
      policy: {
        mode: s.approval,
        trusted: s.trusted,
        sandboxed: sandbox.kind !== 'none',
        rules,
        grants: new SessionGrants(),
        root: s.cwd,
        home,
        unsandboxedFullAuto: s.unsandboxedFullAuto,
      },
      launcher: (command, allowNetwork) => sandboxArgv(sandbox, { root: s.cwd, home, allowNetwork, command }),
      redactor,
      warnings: [...s.warnings, ...rules.warnings],
      price: s.modelInfo.price,
      ...(io.control ? { control: io.control } : {}),
      flush: () => io.store.flush(),
      signal: io.signal,
      checkpoints,
    },
  ).finally(() => checkpointDb.close());
  return { ...outcome, runId };
}
