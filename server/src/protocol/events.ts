// The whole event union, declared once. Client, server, webview and CLI import it; nothing else
// describes what crosses a process boundary or lands in the store.
//
// Every event is one flat record: { id, runId, seq, parentId, type, ts, ...data }. `seq` is gap-free
// and increasing within a run; `parentId` rebuilds the Run → Turn → ToolCall tree. Names here are a
// public contract: never rename or repurpose one once shipped; add new kinds instead.
import { z } from 'zod';
import { ApprovalAsked, ApprovalDecisionKind, DecidedBy } from './approval.ts';

// Declared with the rest of an approval; here too because every side reads them with the events.
export { ApprovalDecisionKind, RiskTier } from './approval.ts';

export const ApprovalMode = z.enum(['read-only', 'ask', 'auto-edit', 'full-auto']);
export type ApprovalMode = z.infer<typeof ApprovalMode>;

export const Provider = z.enum(['openai', 'anthropic']);
export type Provider = z.infer<typeof Provider>;

/** `interrupted`: the server that ran it stopped (crash, kill, window reload) before it ended. */
export const RunStatus = z.enum(['running', 'completed', 'failed', 'cancelled', 'limit', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The budgets, and the two guards that stop a run going in circles: the same failure again and
 * again (`repeated_error`), or turns that bring nothing new (`no_progress`). */
export const LimitName = z.enum(['steps', 'time', 'tokens', 'cost', 'repeated_error', 'no_progress']);
export type LimitName = z.infer<typeof LimitName>;

/** Budgets of one run; absent means unlimited. */
export const Limits = z.object({
  maxSteps: z.number().int().positive().optional(),
  maxTimeMs: z.number().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().nonnegative().optional(),
});
export type Limits = z.infer<typeof Limits>;

/** The control plane's other settings: how a run that goes in circles, or a stream that stalls, is stopped. */
export const Guards = z.object({
  /** The same tool failing the same way this many times in a row stops the run. */
  repeatedErrors: z.number().int().positive(),
  /** This many turns in a row that bring nothing new stop the run, or ask the user whether to go on. */
  noProgressTurns: z.number().int().positive(),
  onNoProgress: z.enum(['stop', 'ask']),
  /** A model stream that sends nothing for this long is abandoned and retried. */
  streamIdleMs: z.number().int().positive(),
});
export type Guards = z.infer<typeof Guards>;
export const DEFAULT_GUARDS: Guards = {
  repeatedErrors: 3,
  noProgressTurns: 3,
  onNoProgress: 'ask',
  streamIdleMs: 120_000,
};

/** The result envelope every tool returns (DESIGN §3). `output` is what the model reads.
 * `durationMs` is the call's own time, from when it began to run: the wait for an approval is not in it
 * (that is `approval_decision.waitedMs`; runs recorded before that field existed counted it in). */
export const ToolResultEnvelope = z.object({
  ok: z.boolean(),
  output: z.string(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  truncated: z.boolean().optional(),
  nextCursor: z.string().optional(),
  durationMs: z.number().nonnegative(),
});
export type ToolResultEnvelope = z.infer<typeof ToolResultEnvelope>;

/** Running totals of a run; `metrics_snapshot` and `run_end` carry them. */
export const Totals = z.object({
  turns: z.number().int().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  errors: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
  /** Model calls whose price Agio does not know: `costUsd` leaves them out, so the run's cost is
   * unknown (or, beside priced calls, only a lower bound). Absent in runs recorded before it existed. */
  unpricedCalls: z.number().int().nonnegative().optional(),
});
export type Totals = z.infer<typeof Totals>;

/** The model's context window and output cap in tokens, and the share of the window at which the
 * conversation is compacted: resolved once per run (config/resolve-run.ts), recorded in run_start. */
export const WindowSettings = z.object({
  window: z.number().int().positive(),
  maxOutput: z.number().int().positive(),
  compactAt: z.number().gt(0).lte(1),
});
export type WindowSettings = z.infer<typeof WindowSettings>;

const base = {
  id: z.string(),
  runId: z.string(),
  seq: z.number().int().positive(),
  parentId: z.string().nullable(),
  ts: z.number(),
};

/** Something the user attached to a task with an @-mention. The server reads `file`, `folder`,
 * `git-changes` and `url` itself; the editor sends the content of `selection`, `problems` and `terminal`. */
export const AttachmentKind = z.enum(['file', 'folder', 'selection', 'problems', 'git-changes', 'terminal', 'url']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

/** One piece of context the run gave the model, as the panel shows it (a chip that can be opened). */
export const ContextItem = z.object({
  kind: z.union([AttachmentKind, z.literal('rules')]),
  /** What the chip says, e.g. `src/app.ts`, `@problems`, `AGENTS.md`. */
  label: z.string(),
  /** Workspace-relative path (file, folder, selection, rules) or the URL, for opening it. */
  target: z.string().optional(),
  /** Characters the model got from it (after truncation). */
  chars: z.number().int().nonnegative(),
  /** Set when it could not be read or was cut: what happened. */
  note: z.string().optional(),
  ok: z.boolean(),
});
export type ContextItem = z.infer<typeof ContextItem>;

export const AgioEvent = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run_start'),
    task: z.string(),
    cwd: z.string(),
    provider: Provider,
    model: z.string(),
    agioVersion: z.string(),
    approval: ApprovalMode,
    limits: Limits,
    /** Absent in runs recorded before guards existed: they ran with DEFAULT_GUARDS. */
    guards: Guards.optional(),
    /** How commands are confined: 'bwrap', or 'none' (said plainly, never claimed). */
    sandbox: z.string().optional(),
    /** An untrusted workspace runs read tools only and loads no project config. */
    trusted: z.boolean().optional(),
    /** The user opted in to full-auto running code the workspace controls without a sandbox (flag,
     * editor setting or their per-workspace config). Absent in runs recorded before the opt-in existed. */
    unsandboxedFullAuto: z.boolean().optional(),
    /** The server process that owns the run: when it is gone and the run never ended, it was interrupted. */
    pid: z.number().int().optional(),
    /** Set on a child run (a sub-agent working for another run): its totals roll up into that run's. */
    parentRunId: z.string().optional(),
    /** The endpoint, so the run can be resumed against it. */
    baseUrl: z.string().optional(),
    /** The model's context window and output cap in tokens (from the model table or settings), and
     * the share of the window at which the conversation is compacted. */
    context: WindowSettings.optional(),
  }),
  z.object({ ...base, type: z.literal('turn_start'), turn: z.number().int().positive() }),
  z.object({ ...base, type: z.literal('text_delta'), text: z.string() }),
  z.object({ ...base, type: z.literal('message_end'), text: z.string(), stopReason: z.string() }),
  z.object({
    ...base,
    type: z.literal('tool_call'),
    tool: z.string(),
    callId: z.string(),
    // What the model sent, parsed when it was valid JSON; the raw text otherwise.
    args: z.unknown(),
    /** The tool's own one-line summary of the call (the path and range, the command), without the
     * tool's name; absent when the arguments did not fit the tool, and in logs from before it. */
    summary: z.string().optional(),
  }),
  /** A tool call the model is still writing, so its card can appear before the arguments are complete
   * (a large `write` shows progress). Throttled: the call's first, then one when ≥100 ms passed since
   * the last or its arguments doubled. The complete call follows as `tool_call` with the same callId,
   * unless a `retry` under the turn discards what the turn streamed. Parent: the turn. */
  z.object({
    ...base,
    type: z.literal('tool_call_delta'),
    callId: z.string(),
    tool: z.string(),
    /** The call's position among this message's tool calls (0, 1, …). */
    index: z.number().int().nonnegative(),
    /** Characters of argument JSON streamed so far. */
    argsChars: z.number().int().nonnegative(),
    /** What the call is about, once the partial JSON says it: its `path` (or command, pattern, URL). */
    preview: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('approval_request'),
    ...ApprovalAsked.shape,
    /** The classifier's findings and rule matches behind the question. */
    details: z.array(z.string()).optional(),
    /** Set on a question that is not about a tool call (tool "agio", parent: the turn), e.g. "no
     * progress: go on?". Its approval_decision then hangs under this request event. */
    callId: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('approval_decision'),
    decision: ApprovalDecisionKind,
    by: DecidedBy,
    reason: z.string(),
    details: z.array(z.string()).optional(),
    /** How long the question waited for its answer (user and headless decisions). */
    waitedMs: z.number().nonnegative().optional(),
  }),
  z.object({ ...base, type: z.literal('tool_output'), stream: z.enum(['stdout', 'stderr']), chunk: z.string() }),
  z.object({
    ...base,
    type: z.literal('tool_result'),
    tool: z.string(),
    callId: z.string(),
    result: ToolResultEnvelope,
  }),
  z.object({
    ...base,
    type: z.literal('usage'),
    model: z.string(),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    cachedTokens: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
    // false when the provider did not report usage and the figures are estimates.
    reported: z.boolean(),
    /** false when Agio knows no price for the model: `costUsd` is then 0 and means "not counted", and
     * is shown as unknown. Absent means priced (runs recorded before this field existed). */
    priced: z.boolean().optional(),
  }),
  z.object({ ...base, type: z.literal('metrics_snapshot'), totals: Totals }),
  z.object({
    ...base,
    type: z.literal('retry'),
    attempt: z.number().int().positive(),
    reason: z.string(),
    status: z.number().int().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('error'),
    message: z.string(),
    kind: z.string(),
    fatal: z.boolean(),
  }),
  z.object({
    ...base,
    type: z.literal('limit_reached'),
    limit: LimitName,
    value: z.number(),
    max: z.number(),
    /** True when the budget was not crossed yet but the next model call would certainly cross it,
     * so the call was not made (`value` is then the projected figure). */
    projected: z.boolean().optional(),
    /** What the guard saw, e.g. the error that repeated. */
    detail: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('cancelled'), reason: z.string() }),
  /** An interrupted run continues in process `pid`, from its recorded conversation. */
  z.object({ ...base, type: z.literal('run_resumed'), pid: z.number().int(), reason: z.string() }),
  /** Recorded by the next Agio process that finds the run's owner gone. Not an end: a run can resume. */
  z.object({
    ...base,
    type: z.literal('run_interrupted'),
    reason: z.string(),
    /** What was in flight: an approval still unanswered, a tool whose outcome is unknown, a model call. */
    lastStep: z.string(),
  }),
  /** A snapshot taken before a write or a command (step N of the run), so the user can restore the
   * workspace to how it was before that step. Its files are in the store beside the log. */
  z.object({
    ...base,
    type: z.literal('checkpoint'),
    step: z.number().int().positive(),
    kind: z.enum(['write', 'exec']),
    /** Files whose state was recorded, and bytes newly saved (content already saved is not counted). */
    files: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
    /** Files left out (too large, or the snapshot hit its size or time bound): these cannot be restored. */
    skipped: z.array(z.string()).optional(),
  }),
  /** After the step's write or command: how many workspace files it changed, created or deleted.
   * Parent: the tool call. A step that changed nothing has nothing to restore. */
  z.object({
    ...base,
    type: z.literal('checkpoint_end'),
    step: z.number().int().positive(),
    changed: z.number().int().nonnegative(),
  }),
  /** Context given to the model beside the conversation: rules files (AGENTS.md, .agio/rules) and what
   * the user attached. Parent: run_start for what the task came with, the tool call that led to it
   * for rules found in a folder the run touched. */
  z.object({
    ...base,
    type: z.literal('context_added'),
    items: z.array(ContextItem),
    /** The text the model got for these items (added to the task, or as a message), so a resumed run
     * rebuilds the same conversation. */
    text: z.string().optional(),
  }),
  /** How full the model's window is about to be, before each model call. `estimated`: counted here
   * with a tokenizer from the last reported figure plus what was added since. Parent: the turn. */
  z.object({
    ...base,
    type: z.literal('context_usage'),
    tokens: z.number().int().nonnegative(),
    window: z.number().int().positive(),
    estimated: z.boolean(),
    /** Old tool results shortened (already acted on) and tool outputs cut to fit, this turn. */
    shortened: z.number().int().nonnegative().optional(),
    /** Time the context step took (estimate, shortening, assembly; a compaction's model call excluded). */
    durationMs: z.number().nonnegative().optional(),
  }),
  /** The older part of the conversation is being replaced by a summary; never silent. Parent: the turn
   * (or the run when the user asked between turns). */
  z.object({
    ...base,
    type: z.literal('compaction_start'),
    reason: z.enum(['threshold', 'user']),
    tokens: z.number().int().nonnegative(),
    window: z.number().int().positive(),
  }),
  /** Parent: its compaction_start. `ok: false` with `summarized: 0`: nothing was old enough, the
   * conversation is unchanged; with `summarized > 0`: the summary call failed and a mechanical list of
   * the steps replaced those messages (`error` says why). */
  z.object({
    ...base,
    type: z.literal('compaction_end'),
    ok: z.boolean(),
    /** Messages replaced by the summary, and the estimated size before and after. */
    summarized: z.number().int().nonnegative(),
    tokensBefore: z.number().int().nonnegative(),
    tokensAfter: z.number().int().nonnegative(),
    summary: z.string().optional(),
    error: z.string().optional(),
    /** What the conversation became: its messages [from, to) (0 is the task) were replaced by one user
     * message with this content. Lets a resumed run rebuild the compacted conversation without another
     * summary call. Absent when nothing was replaced, and in runs recorded before it existed. */
    replaced: z
      .object({ from: z.number().int().nonnegative(), to: z.number().int().positive(), message: z.string() })
      .optional(),
  }),
  /** Something the user should know once, that is not an error (e.g. an unknown model got defaults). */
  z.object({ ...base, type: z.literal('notice'), kind: z.string(), message: z.string() }),
  z.object({ ...base, type: z.literal('turn_end'), turn: z.number().int().positive() }),
  z.object({
    ...base,
    type: z.literal('run_end'),
    status: RunStatus.exclude(['running', 'interrupted']),
    totals: Totals,
    error: z.string().optional(),
  }),
]);
export type AgioEvent = z.infer<typeof AgioEvent>;
export type AgioEventType = AgioEvent['type'];
export type EventOf<T extends AgioEventType> = Extract<AgioEvent, { type: T }>;

/** An event before the emitter stamps it with identity, order and time. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventDraft = DistributiveOmit<AgioEvent, 'id' | 'runId' | 'seq' | 'ts'>;

/** Call ids of the reads of a task's attachments (tool calls of turn 1, before the model spoke): they
 * are not the model's calls, so they are not part of the conversation it is sent. */
export const ATTACHMENT_CALL_PREFIX = 'agio-attach-';

export const TERMINAL_RUN_STATUSES = ['completed', 'failed', 'cancelled', 'limit'] as const;
