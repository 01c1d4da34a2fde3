// The agent server on an LSP connection: the LSP lifecycle plus Agio's `agio/…` methods. Wiring only.
import {
  CancellationTokenSource,
  CodeActionKind,
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { z } from 'zod';
import type { ApproverAnswer } from './agent/approver.ts';
import type { ApprovalQuestion } from './protocol/approval.ts';
import type { ResumeState } from './agent/resume-state.ts';
import { loadResume, startRun } from './agent/start-run.ts';
import { environmentWithKeys } from './config/launcher-keys.ts';
import { resolveRun } from './config/resolve-run.ts';
import {
  ApprovalRequest,
  CancelRun,
  CompactRun,
  EventNotification,
  ListRuns,
  RestoreRun,
  ResumeRun,
  RunEvents,
  StartRun,
  type RequestDescriptor,
} from './protocol/methods.ts';
import { restoreRun } from './checkpoints/restore-run.ts';
import type { AgioEvent } from './protocol/events.ts';
import { EventStore } from './store/event-store.ts';
import type { RunControl } from './agent/runner.ts';
import { markInterruptedRuns } from './agent/interrupted-runs.ts';
import { DiskFiles } from './workspace/disk-files.ts';
import { EditorFiles } from './workspace/editor-files.ts';
import { AGIO_VERSION } from './version.ts';

export async function serveStdio(storePath: string): Promise<number> {
  const connection = createConnection(process.stdin, process.stdout);
  const store = EventStore.open(storePath);
  // Runs left "running" by a server that died (crash, kill, window reload) are recorded as interrupted.
  markInterruptedRuns(store);
  const active = new Map<string, AbortController>();
  const controls = new Map<string, RunControl>();
  /** Set once the editor is going away: from then on, approvals stay unanswered (see onExit below). */
  const closing = { now: false };
  let workspaceRoot: string | undefined;
  // Open editor buffers, so reads see unsaved text. Only clients that ask for editor edits sync them.
  const documents = new TextDocuments(TextDocument);
  let editorEdits = false;

  connection.onInitialize((params: InitializeParams) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (folder?.startsWith('file://')) workspaceRoot = decodeURIComponent(new URL(folder).pathname);
    editorEdits =
      (params.initializationOptions as { editorEdits?: boolean } | undefined)?.editorEdits === true &&
      params.capabilities.workspace?.applyEdit === true;
    return {
      capabilities: editorEdits
        ? {
            textDocumentSync: TextDocumentSyncKind.Incremental,
            codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          }
        : {},
      serverInfo: { name: 'agio', version: AGIO_VERSION },
    };
  });
  documents.listen(connection);
  // "Fix This Problem": a quick fix on every diagnostic, which hands it to the client as a task.
  connection.onCodeAction((params: CodeActionParams): CodeAction[] =>
    params.context.diagnostics.map((d) => ({
      title: 'Agio: Fix This Problem',
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: {
        title: 'Agio: Fix This Problem',
        command: 'agio.fixProblem',
        arguments: [params.textDocument.uri, d.range.start.line, d.message],
      },
    })),
  );

  /** Runs (or resumes) a task on this connection; resolves with the run id as soon as it exists. */
  const launch = (p: z.infer<typeof StartRun.params>, resume?: ResumeState): Promise<{ runId: string }> => {
    // The request as the editor sent it; its key travels apart and never enters an environment.
    const { apiKey, ...request } = p;
    const cfg = resolveRun(resume ? { ...request, attachments: undefined } : request, {
      // `agio serve` started from a shell: a key the launcher took off the environment (launcher-keys.ts).
      env: environmentWithKeys(),
      apiKey,
      defaultCwd: workspaceRoot,
      recorded: resume
        ? { limits: resume.runStart.limits, guards: resume.runStart.guards, context: resume.runStart.context }
        : undefined,
    });
    const abort = new AbortController();
    const control: RunControl = {};
    return new Promise<{ runId: string }>((resolve, reject) => {
      startRun(
        cfg,
        {
          store,
          sinks: [(e: AgioEvent) => void connection.sendNotification(EventNotification.method, e)],
          approver: (q, signal) => askClient(connection, q, signal, closing),
          files: editorEdits ? new EditorFiles(connection, documents, new DiskFiles(cfg.cwd)) : new DiskFiles(cfg.cwd),
          signal: abort.signal,
          control,
          onRunId: (runId) => {
            active.set(runId, abort);
            controls.set(runId, control);
            resolve({ runId });
          },
        },
        resume,
      )
        .catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))))
        .finally(() => {
          for (const [id, c] of active) if (c === abort) active.delete(id);
          for (const [id, c] of controls) if (c === control) controls.delete(id);
        });
    });
  };
  handle(connection, StartRun, async (p) => launch(p));
  handle(connection, ResumeRun, async ({ runId, apiKey, trusted, unsandboxedFullAuto }) => {
    const resume = loadResume(store, runId);
    if ('error' in resume) throw new Error(`cannot resume ${runId}: ${resume.error}`);
    // The run's own settings; the key and the workspace's trust come from the editor now.
    const r = resume.runStart;
    return launch(
      {
        task: r.task,
        cwd: r.cwd,
        provider: r.provider,
        model: r.model,
        approval: r.approval,
        limits: r.limits,
        ...(r.baseUrl ? { baseUrl: r.baseUrl } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(trusted !== undefined ? { trusted } : {}),
        ...(unsandboxedFullAuto ? { unsandboxedFullAuto } : {}),
      },
      resume,
    );
  });

  handle(connection, RestoreRun, async ({ runId, toStep, apply }) => {
    if (apply && [...active.keys()].some((id) => id === runId))
      throw new Error(`run ${runId} is still running; stop it before restoring its workspace`);
    markInterruptedRuns(store);
    const out = await restoreRun(store, runId, toStep, apply);
    if ('error' in out) throw new Error(`cannot restore: ${out.error}`);
    const { plan } = out;
    return {
      runId: out.runId,
      toStep: plan.toStep,
      lastStep: plan.lastStep,
      steps: out.steps,
      changes: plan.changes.map((c) => ({ path: c.path, action: c.action })),
      kept: plan.kept,
      ...(out.applied ? { failed: out.applied.failed } : {}),
    };
  });
  handle(connection, CancelRun, async ({ runId }) => {
    const run = active.get(runId);
    run?.abort();
    return { cancelled: run !== undefined };
  });
  handle(connection, CompactRun, async ({ runId }) => {
    const compact = controls.get(runId)?.compact;
    if (!compact)
      return { queued: false, reason: 'that run is not running in this window; /compact applies to a running run' };
    compact();
    return { queued: true };
  });
  handle(connection, ListRuns, async ({ limit }) => {
    // A server that stopped after this one started leaves runs to record as interrupted.
    markInterruptedRuns(store);
    return { runs: store.listRuns({ limit: limit ?? 100 }) };
  });
  handle(connection, RunEvents, async ({ runId, afterSeq }) => ({ events: [...store.events(runId, afterSeq ?? 0)] }));

  // The editor going away (window reload, quit, crash) is not the user's answer to anything: runs in
  // flight are left as they are, and the next server records them as interrupted, to be resumed.
  // So shutdown cancels nothing; exit kills running commands' process groups and leaves in the same
  // tick, before a run can record a cancellation or an unanswered approval can turn into a denial.
  connection.onShutdown(() => {
    closing.now = true;
    store.flush();
  });
  connection.onExit(() => {
    closing.now = true;
    for (const c of active.values()) c.abort();
    store.close();
    process.exit(0);
  });
  process.stdin.once('end', () => (closing.now = true));
  connection.listen();
  await new Promise<void>(() => {}); // until exit
  return 0;
}

/** Asks the editor. While its connection is closing (`closing.now`), the question stays unanswered. */
async function askClient(
  connection: Connection,
  q: ApprovalQuestion,
  signal: AbortSignal,
  closing: { now: boolean },
): Promise<ApproverAnswer> {
  try {
    const raw: unknown = await connection.sendRequest(ApprovalRequest.method, q, cancellationFrom(signal));
    const answer = ApprovalRequest.result.parse(raw);
    return answer.feedback
      ? { decision: answer.decision, feedback: answer.feedback, by: 'user' }
      : { decision: answer.decision, by: 'user' };
  } catch (err) {
    // The connection is going away: leave the question unanswered (the run is recorded as interrupted).
    if (closing.now) return new Promise<ApproverAnswer>(() => {});
    // A client that cannot answer, or answers nonsense, never approves anything.
    return { decision: 'deny', by: 'user', feedback: `the approval could not be obtained: ${(err as Error).message}` };
  }
}

function cancellationFrom(signal: AbortSignal) {
  const source = new CancellationTokenSource();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', () => source.cancel(), { once: true });
  return source.token;
}

/** Registers a typed request handler whose params are validated with the descriptor's zod schema. */
function handle<P extends z.ZodType, R extends z.ZodType>(
  connection: Connection,
  d: RequestDescriptor<P, R>,
  fn: (params: z.infer<P>) => Promise<z.infer<R>>,
): void {
  connection.onRequest(d.method, async (raw: unknown) => {
    const parsed = d.params.safeParse(raw ?? {});
    if (!parsed.success) throw new Error(`invalid params for ${d.method}: ${z.prettifyError(parsed.error)}`);
    return fn(parsed.data);
  });
}
