// Agio's JSON-RPC methods on the LSP connection, each declared once with its zod schemas. The
// client, the server and tests all go through these descriptors; nothing else names a method.
import { z } from 'zod';
import { ApprovalAnswer, ApprovalQuestion } from './approval.ts';
import { AgioEvent, ApprovalMode, AttachmentKind, Guards, Limits, Provider, RunStatus } from './events.ts';

export interface RequestDescriptor<P extends z.ZodType, R extends z.ZodType> {
  method: string;
  params: P;
  result: R;
}
export interface NotificationDescriptor<P extends z.ZodType> {
  method: string;
  params: P;
}
const request = <P extends z.ZodType, R extends z.ZodType>(
  method: string,
  params: P,
  result: R,
): RequestDescriptor<P, R> => ({ method, params, result });
const notification = <P extends z.ZodType>(method: string, params: P): NotificationDescriptor<P> => ({
  method,
  params,
});

export const RunSummary = z.object({
  id: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  status: RunStatus,
  task: z.string(),
  cwd: z.string(),
  provider: z.string(),
  model: z.string(),
  turns: z.number(),
  toolCalls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  costUsd: z.number(),
  /** Model calls without a known price: the cost is unknown (0 priced calls) or a lower bound. */
  unpricedCalls: z.number().optional(),
  errors: z.number(),
  elapsedMs: z.number(),
  lastSeq: z.number(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A model's entry in the model table: prices in USD per million tokens, window and output cap in tokens. */
export const ModelInfoOverride = z.object({
  input: z.number().nonnegative().optional(),
  output: z.number().nonnegative().optional(),
  cachedInput: z.number().nonnegative().optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutput: z.number().int().positive().optional(),
});

/** An @-mention as the client sends it. `content` is given for what only the editor can see
 * (selection, problems, terminal); the server reads files, folders, the git diff and URLs itself. */
export const Attachment = z.object({
  kind: AttachmentKind,
  /** Workspace-relative path (file, folder, selection) or the URL. */
  target: z.string().optional(),
  label: z.string().optional(),
  content: z.string().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** How the conversation is kept inside the window. */
export const ContextSettings = z.object({
  /** Override the model table's window (tokens). */
  window: z.number().int().positive().optional(),
  maxOutput: z.number().int().positive().optional(),
  /** Compact when the conversation reaches this share of the window (default 0.8). */
  compactAt: z.number().gt(0).lte(1).optional(),
});
export type ContextSettings = z.infer<typeof ContextSettings>;

/** One run's request, as every front end states it (the CLI from flags, the editor from settings, a
 * test or another client directly), before the server resolves it against the settings files, the
 * environment and the model table (server/src/config/resolve-run.ts). Times are in milliseconds. The
 * API key is not part of it: it travels apart (StartRun's `apiKey`) and never enters an environment. */
export const RunRequest = z.object({
  task: z.string().min(1),
  /** The workspace; the server's own workspace folder when absent. */
  cwd: z.string().optional(),
  provider: Provider.optional(),
  model: z.string().min(1).optional(),
  baseUrl: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'an http(s) URL')
    .optional(),
  approval: ApprovalMode.optional(),
  limits: Limits.optional(),
  /** Over the settings files' guards and the defaults. */
  guards: Guards.partial().optional(),
  /** The editor's workspace trust (the CLI: not --untrusted). Absent means untrusted: fail closed. */
  trusted: z.boolean().optional(),
  /** Price overrides (USD per million tokens) from the editor's settings, over the built-in table. */
  prices: z
    .record(
      z.string(),
      z.object({
        input: z.number().nonnegative(),
        output: z.number().nonnegative(),
        cachedInput: z.number().nonnegative().optional(),
      }),
    )
    .optional(),
  /** Model-table overrides (window, output cap, prices), by model-name prefix. */
  models: z.record(z.string(), ModelInfoOverride).optional(),
  context: ContextSettings.optional(),
  attachments: z.array(Attachment).optional(),
  /** Compact the recorded conversation before the first model call (`agio resume --compact`). */
  compactFirst: z.boolean().optional(),
  /** The user's opt-in, for this run, to full-auto running code the workspace controls (make, npm
   * test, ./run.sh) when there is no sandbox (CLI --unsandboxed-full-auto; VS Code's user-level
   * agio.allowUnsandboxedFullAuto). Never read from a file inside the workspace. */
  unsandboxedFullAuto: z.boolean().optional(),
});
export type RunRequest = z.infer<typeof RunRequest>;

// client → server
export const StartRun = request(
  'agio/run/start',
  /** `apiKey`: sent over the connection by the editor (from its secret storage), never through argv or env. */
  RunRequest.extend({ apiKey: z.string().optional() }),
  z.object({ runId: z.string() }),
);
/** Continue an interrupted run from its log; the same run id, new events after the old ones. */
export const ResumeRun = request(
  'agio/run/resume',
  z.object({
    runId: z.string(),
    apiKey: z.string().optional(),
    trusted: z.boolean().optional(),
    unsandboxedFullAuto: z.boolean().optional(),
  }),
  z.object({ runId: z.string() }),
);
/** Plans (apply false) or applies putting a run's workspace back to before step `toStep` (default 1). */
export const RestoreRun = request(
  'agio/run/restore',
  z.object({ runId: z.string(), toStep: z.number().int().positive().optional(), apply: z.boolean() }),
  z.object({
    runId: z.string(),
    toStep: z.number().int(),
    lastStep: z.number().int(),
    steps: z.array(z.object({ step: z.number().int(), tool: z.string(), summary: z.string() })),
    changes: z.array(z.object({ path: z.string(), action: z.enum(['modify', 'recreate', 'delete']) })),
    kept: z.array(z.object({ path: z.string(), why: z.string() })),
    failed: z.array(z.object({ path: z.string(), error: z.string() })).optional(),
  }),
);
/** Compact a running run's conversation before its next model call (the panel's /compact). */
export const CompactRun = request(
  'agio/run/compact',
  z.object({ runId: z.string() }),
  z.object({ queued: z.boolean(), reason: z.string().optional() }),
);
export const CancelRun = request(
  'agio/session/cancel',
  z.object({ runId: z.string() }),
  z.object({ cancelled: z.boolean() }),
);
export const ListRuns = request(
  'agio/runs/list',
  z.object({ limit: z.number().int().positive().optional() }),
  z.object({ runs: z.array(RunSummary) }),
);
export const RunEvents = request(
  'agio/run/events',
  z.object({ runId: z.string(), afterSeq: z.number().int().nonnegative().optional() }),
  z.object({ events: z.array(AgioEvent) }),
);

// server → client
/** After an agent edit through workspace/applyEdit: save the document so the disk matches the editor. */
export const SaveDocument = request(
  'agio/document/save',
  z.object({ uri: z.string() }),
  z.object({ saved: z.boolean() }),
);
export const EventNotification = notification('agio/event', AgioEvent);
export const ApprovalRequest = request('agio/approval/request', ApprovalQuestion, ApprovalAnswer);
