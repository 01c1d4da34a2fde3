// The panel's view of one run: what the chat shows (a flat list of display items) and what the
// Metrics and Events tabs derive from. Built only by the fold in fold.ts, never edited elsewhere.
import type {
  AgioEvent,
  ApprovalDecisionKind,
  ApprovalMode,
  ContextItem,
  RiskTier,
  RunStatus,
  ToolResultEnvelope,
  Totals,
} from '../../../server/src/protocol/events.ts';
import type { PVec } from '../../../server/src/protocol/pvec.ts';
import type { DecidedBy } from '../../../server/src/protocol/approval.ts';

interface ItemBase {
  /** The id of the event that created the item: stable across live streaming and replay. */
  readonly id: string;
  /** The seq of the last event that changed the item; the renderer redraws an item only when it moves. */
  readonly version: number;
  /** The turn the item belongs to; 0 outside any turn. */
  readonly turn: number;
}

export interface TaskItem extends ItemBase {
  readonly kind: 'task';
  readonly text: string;
  /** What the task came with (attachments, rules files): its chips. Absent until context_added. */
  readonly context?: readonly ContextItem[];
}

/** Context loaded mid-run (rules files found in a folder a tool call touched), shown where it happened. */
export interface ContextAddedItem extends ItemBase {
  readonly kind: 'context';
  readonly items: readonly ContextItem[];
}

/** The older conversation replaced by a summary: running until its compaction_end arrives. */
export interface CompactionItem extends ItemBase {
  readonly kind: 'compaction';
  readonly reason: 'threshold' | 'user';
  readonly tokens: number;
  readonly window: number;
  readonly status: 'running' | 'ok' | 'failed';
  readonly summarized?: number;
  readonly tokensBefore?: number;
  readonly tokensAfter?: number;
  readonly summary?: string;
  readonly error?: string;
}

export interface AssistantItem extends ItemBase {
  readonly kind: 'assistant';
  readonly text: string;
  /** Still receiving text_delta (no message_end, turn_end or retry yet). */
  readonly streaming: boolean;
  /** A retry threw this attempt's text away; the item stays (ids never shift) but shows nothing. */
  readonly discarded: boolean;
}

/** `writing`: the model is still writing the call's arguments (tool_call_delta); its tool_call has not come. */
export type ToolStatus = 'writing' | 'running' | 'waiting-approval' | 'ok' | 'error' | 'denied' | 'interrupted';

export interface ApprovalInfo {
  readonly tier: RiskTier;
  readonly summary: string;
  readonly reason: string;
  readonly details: readonly string[];
  readonly diff?: string;
  /** From the server: whether "always" can apply. Absent in logs written before the flag existed. */
  readonly repeatable?: boolean;
  /** Set once someone answered. */
  readonly decision?: ApprovalDecisionKind;
  readonly by?: DecidedBy;
  readonly decisionReason?: string;
  /** When the question was put (approval_request.ts): old logs' waits are measured from it. */
  readonly askedTs: number;
  /** How long the question waited for its answer: approval_decision.waitedMs, or for logs written
   * before that field existed the time between the request and the decision events. */
  readonly waitedMs?: number;
  /** The wait came from event timestamps (an old log), whose result.durationMs still counts it in. */
  readonly waitEstimated?: boolean;
}

export interface PolicyVerdict {
  readonly decision: ApprovalDecisionKind;
  readonly reason: string;
  readonly details: readonly string[];
}

export interface ToolItem extends ItemBase {
  readonly kind: 'tool';
  readonly callId: string;
  readonly tool: string;
  readonly args: unknown;
  /** One readable line: path and line range for read, the command for bash, the pattern for grep… */
  readonly summary: string;
  readonly startTs: number;
  /** stdout and stderr as they streamed, interleaved. */
  readonly output: string;
  readonly result?: ToolResultEnvelope;
  readonly status: ToolStatus;
  /** The question put to the user, when the policy asked. */
  readonly approval?: ApprovalInfo;
  /** The policy's own allow/deny when it did not ask. */
  readonly policy?: PolicyVerdict;
  /** The run's step this call was (a write or a command with a checkpoint before it): the workspace
   * can be restored to before it. */
  readonly checkpointStep?: number;
  /** Files the step changed (checkpoint_end); absent in runs recorded before that event existed. */
  readonly changedFiles?: number;
  /** While writing: characters of arguments streamed so far, and whether the model has finished the
   * message (the call is then written and waits for the calls before it). */
  readonly argsChars?: number;
  readonly written?: boolean;
  /** A retry threw the call this attempt was writing away; the item stays (ids never shift) but shows nothing. */
  readonly discarded?: boolean;
  /** The id of the tool_call_delta that opened the card before its tool_call came: the row keeps it as
   * its key, so the card goes on rather than being drawn again. */
  readonly rowKey?: string;
}

export type NoticeKind = 'error' | 'warning' | 'retry' | 'limit' | 'cancelled' | 'gap' | 'info';

export interface NoticeItem extends ItemBase {
  readonly kind: 'notice';
  readonly notice: NoticeKind;
  readonly text: string;
  /** A VS Code settings query the notice offers to open (e.g. agio.models for an unknown model). */
  readonly settings?: string;
  /** The notice is about the API key: it offers Agio: Set API Key. */
  readonly setKey?: boolean;
}

export interface SummaryItem extends ItemBase {
  readonly kind: 'summary';
  readonly status: Exclude<RunStatus, 'running'>;
  readonly totals: Totals;
  readonly error?: string;
}

export type DisplayItem =
  | TaskItem
  | AssistantItem
  | ToolItem
  | NoticeItem
  | SummaryItem
  | ContextAddedItem
  | CompactionItem;

export interface TurnStats {
  readonly turn: number;
  /** The turn_start event id: text_delta, usage, message_end and tool_call point at it. */
  readonly eventId: string;
  readonly startTs: number;
  readonly endTs?: number;
  /** turn_end.ts − turn_start.ts. */
  readonly durationMs?: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number;
  /** The run's cost up to and including this turn. */
  readonly cumulativeCostUsd: number;
  readonly toolCalls: number;
  /** Time this turn's questions waited for a person: part of durationMs, but not Agio's or the model's. */
  readonly approvalWaitMs: number;
  /** Index in `items` of the assistant message this turn is streaming into, or -1. */
  readonly assistantIndex: number;
  /** How full the model's window was at this turn's model call (context_usage, or the reported usage). */
  readonly contextTokens?: number;
}

export interface RunInfo {
  readonly task: string;
  readonly cwd: string;
  readonly provider: string;
  readonly model: string;
  readonly approval: ApprovalMode;
  readonly sandbox?: string;
  readonly trusted?: boolean;
  /** The user opted in to full-auto running the workspace's own code with no sandbox (run_start). */
  readonly unsandboxedFullAuto?: boolean;
  readonly agioVersion: string;
}

/** The model's window as run_start set it, and how full it is now. */
export interface ContextWindow {
  readonly window: number;
  readonly maxOutput?: number;
  readonly compactAt?: number;
  /** The latest fullness: context_usage before a call, or input + output of a reported usage after it. */
  readonly tokens?: number;
  /** True when the figure is the server's estimate (context_usage.estimated). */
  readonly estimated?: boolean;
}

export interface Approvals {
  /** Questions put to a person (approval_request). */
  readonly asked: number;
  /** Answered allow / allow_session / always by a person. */
  readonly granted: number;
  readonly denied: number;
}

/** A tool call still open, so its later events find their card without a search. */
export interface OpenCall {
  readonly eventId: string;
  readonly callId: string;
  readonly index: number;
}

export interface RunState {
  readonly runId: string;
  /** 'empty' until run_start arrives. */
  readonly status: RunStatus | 'empty';
  readonly info?: RunInfo;
  readonly startTs?: number;
  readonly endTs?: number;
  readonly lastTs?: number;
  /** The seq of the last event folded in; the next one must be lastSeq + 1. */
  readonly lastSeq: number;
  /** Set when an event skipped ahead: later events are not folded until the run is reset. */
  readonly gap?: { readonly expected: number; readonly got: number };
  readonly items: PVec<DisplayItem>;
  /** Every event, in seq order, for the Events tab and export. */
  readonly events: PVec<AgioEvent>;
  readonly turns: PVec<TurnStats>;
  /** Derived from the events the way the server counts them (errors: failed tool results and fatal errors). */
  readonly totals: Totals;
  /** The server's own totals from the latest metrics_snapshot or run_end. */
  readonly serverTotals?: Totals;
  readonly toolsByName: Readonly<Record<string, number>>;
  readonly approvals: Approvals;
  /** callIds waiting for a person's answer, oldest first. */
  readonly pending: readonly string[];
  readonly openCalls: readonly OpenCall[];
  /** Absent in runs recorded before the context subsystem (no window known). */
  readonly context?: ContextWindow;
  readonly error?: string;
}
