// The agent server on an LSP connection: the LSP lifecycle plus Agio's `agio/…` methods. Wiring only.
import {
  CancellationTokenSource, CodeActionKind, createConnection, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type CodeActionParams, type Connection, type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { z } from 'zod';
import type { ApprovalAnswer } from './agent/approver.ts';
import { startRun } from './agent/start-run.ts';
import { resolveRunConfig } from './cli/config.ts';
import { ApprovalRequest, CancelRun, EventNotification, ListRuns, RunEvents, StartRun, type RequestDescriptor } from './protocol/methods.ts';
import type { AgioEvent } from './protocol/events.ts';
import { EventStore } from './store/event-store.ts';
import { markInterruptedRuns } from './store/interrupted-runs.ts';
import { DiskFiles } from './workspace/disk-files.ts';
import { EditorFiles } from './workspace/editor-files.ts';
import { AGIO_VERSION } from './version.ts';

export async function serveStdio(storePath: string): Promise<number> {
  const connection = createConnection(process.stdin, process.stdout);
  const store = EventStore.open(storePath);
  // Runs left "running" by a server that died (crash, kill, window reload) are recorded as interrupted.
  markInterruptedRuns(store);
  const active = new Map<string, AbortController>();
  let workspaceRoot: string | undefined;
  // Open editor buffers, so reads see unsaved text. Only clients that ask for editor edits sync them.
  const documents = new TextDocuments(TextDocument);
  let editorEdits = false;

  connection.onInitialize((params: InitializeParams) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (folder?.startsWith('file://')) workspaceRoot = decodeURIComponent(new URL(folder).pathname);
    editorEdits = (params.initializationOptions as { editorEdits?: boolean } | undefined)?.editorEdits === true && params.capabilities.workspace?.applyEdit === true;
    return {
      capabilities: editorEdits ? { textDocumentSync: TextDocumentSyncKind.Incremental, codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } } : {},
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
      command: { title: 'Agio: Fix This Problem', command: 'agio.fixProblem', arguments: [params.textDocument.uri, d.range.start.line, d.message] },
    })),
  );

  handle(connection, StartRun, async (p) => {
    const env = { ...process.env };
    if (p.apiKey) env[p.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'] = p.apiKey;
    const cfg = resolveRunConfig(
      { cwd: p.cwd ?? workspaceRoot, provider: p.provider, model: p.model, 'base-url': p.baseUrl, approval: p.approval },
      env,
    );
    const abort = new AbortController();
    const limits = { ...cfg.limits, ...p.limits };
    return new Promise<{ runId: string }>((resolve, reject) => {
      startRun(
        { task: p.task, ...cfg, limits, trusted: p.trusted ?? false, baseEnv: process.env },
        {
          store,
          sinks: [(e: AgioEvent) => void connection.sendNotification(EventNotification.method, e)],
          approver: (q, signal) => askClient(connection, q, signal),
          files: editorEdits ? new EditorFiles(connection, documents, new DiskFiles(cfg.cwd)) : new DiskFiles(cfg.cwd),
          signal: abort.signal,
          onRunId: (runId) => {
            active.set(runId, abort);
            resolve({ runId });
          },
        },
      )
        .catch((err: unknown) => reject(err instanceof Error ? err : new Error(String(err))))
        .finally(() => {
          for (const [id, c] of active) if (c === abort) active.delete(id);
        });
    });
  });

  handle(connection, CancelRun, async ({ runId }) => {
    const run = active.get(runId);
    run?.abort();
    return { cancelled: run !== undefined };
  });
  handle(connection, ListRuns, async ({ limit }) => ({ runs: store.listRuns({ limit: limit ?? 100 }) }));
  handle(connection, RunEvents, async ({ runId, afterSeq }) => ({ events: [...store.events(runId, afterSeq ?? 0)] }));

  connection.onShutdown(() => {
    for (const c of active.values()) c.abort();
    store.flush();
  });
  connection.listen();
  await new Promise<void>((resolve) => connection.onExit(resolve));
  store.close();
  return 0;
}

async function askClient(connection: Connection, q: Parameters<typeof ApprovalRequest.params.parse>[0], signal: AbortSignal): Promise<ApprovalAnswer> {
  try {
    const raw: unknown = await connection.sendRequest(ApprovalRequest.method, q, cancellationFrom(signal));
    const answer = ApprovalRequest.result.parse(raw);
    return answer.feedback ? { decision: answer.decision, feedback: answer.feedback, by: 'user' } : { decision: answer.decision, by: 'user' };
  } catch (err) {
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
