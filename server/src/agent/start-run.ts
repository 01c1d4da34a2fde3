// Assembles one run from resolved settings: driver, tools, emitter wired to the store and to the
// caller's sinks. Shared by the CLI and the LSP server so both run the exact same agent.
import type { Limits, Provider, ApprovalMode } from '../protocol/events.ts';
import { createDriver } from '../models/create-driver.ts';
import { findPrice, type PriceTable } from '../models/prices.ts';
import type { EventStore } from '../store/event-store.ts';
import { ALL_TOOLS, toolSpecs } from '../tools/registry.ts';
import type { WorkspaceFiles } from '../tools/types.ts';
import { AGIO_VERSION } from '../version.ts';
import type { Approver } from './approver.ts';
import { newRunId, RunEmitter, type EventSink } from './emitter.ts';
import { runAgent, type RunOutcome } from './runner.ts';

export interface RunSettings {
  task: string;
  /** Workspace root, already realpath-resolved. */
  cwd: string;
  provider: Provider;
  model: string;
  apiKey: string;
  baseURL?: string;
  approval: ApprovalMode;
  limits: Limits;
  prices: PriceTable;
  /** Environment for commands the agent runs. */
  env: NodeJS.ProcessEnv;
}

export interface RunIo {
  store: EventStore;
  sinks: EventSink[];
  approver: Approver;
  files: WorkspaceFiles;
  signal: AbortSignal;
  /** Told the run id as soon as it exists (before the first event). */
  onRunId?: (runId: string) => void;
}

let specsCache: ReturnType<typeof toolSpecs> | undefined;

export async function startRun(s: RunSettings, io: RunIo): Promise<RunOutcome & { runId: string }> {
  const runId = newRunId();
  io.onRunId?.(runId);
  const driver = await createDriver(s.provider, { model: s.model, apiKey: s.apiKey, ...(s.baseURL ? { baseURL: s.baseURL } : {}) });
  const emitter = new RunEmitter(runId, [(e, json) => io.store.append(e, json), ...io.sinks]);
  specsCache ??= toolSpecs(ALL_TOOLS);
  const outcome = await runAgent(
    { task: s.task, cwd: s.cwd, provider: s.provider, model: s.model, approval: s.approval, limits: s.limits, agioVersion: AGIO_VERSION },
    {
      emitter, driver, tools: ALL_TOOLS, toolSpecs: specsCache, files: io.files, approver: io.approver, env: s.env,
      price: findPrice(s.prices, s.model), flush: () => io.store.flush(), signal: io.signal,
    },
  );
  return { ...outcome, runId };
}
