// The one projection of a run's event log: project(state, event) → state. Everything that needs to
// know where a run stands reads it — resume, interrupted-run detection, the client's status bar, the
// CLI renderer, the panel — so they cannot disagree. It holds what more than one of them needs:
// status, turns and each call's decision and result, the approvals still pending (the only place that
// knows), totals, and the conversation as the model last saw it (compactions applied), from which a
// resumed run continues without another summary call. Child runs roll up in projection-tree.ts.
//
// Pure and cheap: the input state is never touched, lists that grow with the run are persistent
// vectors (pvec.ts), so folding a 10,000-event run is O(n) and a live run folded event by event ends
// deep-equal to its replay.
import type { DecidedBy } from './approval.ts';
import type { Message } from './conversation.ts';
import {
  ATTACHMENT_CALL_PREFIX,
  type AgioEvent,
  type ApprovalDecisionKind,
  type EventOf,
  type RiskTier,
  type RunStatus,
  type ToolResultEnvelope,
  type Totals,
} from './events.ts';
import { emptyVec, get, push, set, toArray, vecOf, type PVec } from './pvec.ts';

/** proposed: no decision yet. interrupted: the run stopped before it was decided (a resume asks
 * again). unknown: it had been allowed and started when the run stopped, so what it did is unknown. */
export type CallStatus = 'proposed' | 'waiting-approval' | 'running' | 'done' | 'denied' | 'interrupted' | 'unknown';

export interface CallView {
  /** The tool_call event: approvals, output and the result hang under it. */
  readonly eventId: string;
  readonly callId: string;
  readonly tool: string;
  readonly args: unknown;
  /** The tool's own one-line summary, when the arguments fit the tool. */
  readonly summary?: string;
  readonly status: CallStatus;
  readonly decision?: {
    readonly decision: ApprovalDecisionKind;
    readonly by: DecidedBy;
    readonly reason: string;
    /** How long the question waited for its answer. */
    readonly waitedMs?: number;
  };
  readonly result?: ToolResultEnvelope;
}

export interface TurnView {
  readonly turn: number;
  /** The turn_start event id. */
  readonly eventId: string;
  readonly calls: readonly CallView[];
  readonly ended: boolean;
}

/** A question put to a person that has no answer yet. */
export interface PendingApproval {
  /** The approval_request event. */
  readonly requestId: string;
  /** The event its approval_decision will hang under: the tool_call, or for a question about the run
   * itself ("no progress: go on?") the request. */
  readonly answerParent: string;
  readonly callId: string;
  readonly tool: string;
  readonly tier: RiskTier;
  readonly summary: string;
  readonly reason: string;
  readonly askedTs: number;
}

export interface RunProjection {
  readonly runId: string;
  /** 'empty' until run_start. */
  readonly status: RunStatus | 'empty';
  readonly start?: EventOf<'run_start'>;
  readonly lastSeq: number;
  readonly lastTs?: number;
  readonly error?: string;
  readonly turns: PVec<TurnView>;
  /** Oldest first. */
  readonly pending: readonly PendingApproval[];
  /** This run's own figures (child runs are added in the tree's totals). */
  readonly totals: Totals;
  /** What the conversation had in it when the model was last called, plus what was added since. */
  readonly conversation: PVec<Message>;
  /** Subfolder rules files already in the conversation. */
  readonly folderRules: readonly string[];
  /** The last checkpoint step taken. */
  readonly lastCheckpointStep: number;
  /** Internal: where calls without a result are (few), the current turn's assistant message, and the
   * last figure of wall time a server measured (run time after it is counted from the event times). */
  readonly open: readonly { readonly eventId: string; readonly turnIndex: number; readonly callIndex: number }[];
  readonly assistantIndex: number;
  readonly clock: { readonly elapsedMs: number; readonly ts: number };
}

export const ZERO_TOTALS: Totals = Object.freeze({
  turns: 0,
  toolCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  costUsd: 0,
  errors: 0,
  elapsedMs: 0,
});

export function emptyProjection(runId: string): RunProjection {
  return {
    runId,
    status: 'empty',
    lastSeq: 0,
    turns: emptyVec(),
    pending: [],
    totals: ZERO_TOTALS,
    conversation: emptyVec(),
    folderRules: [],
    lastCheckpointStep: 0,
    open: [],
    assistantIndex: -1,
    clock: { elapsedMs: 0, ts: 0 },
  };
}

/** Folds many events (of one run, in seq order). */
export function projectAll(events: Iterable<AgioEvent>, state?: RunProjection): RunProjection {
  let s = state;
  for (const e of events) s = project(s ?? emptyProjection(e.runId), e);
  return s ?? emptyProjection('');
}

export function project(s: RunProjection, e: AgioEvent): RunProjection {
  const next = apply(s, e);
  const totals = countTotals(next.totals, next.clock, e);
  return { ...next, totals, lastSeq: e.seq, ...(e.type === 'run_interrupted' ? {} : { lastTs: e.ts }) };
}

/** True while the run waits for a person's answer. */
export function waitingForApproval(s: RunProjection): boolean {
  return s.status === 'running' && s.pending.length > 0;
}

export function lastTurn(s: RunProjection): TurnView | undefined {
  return get(s.turns, s.turns.size - 1);
}

/** The conversation as a plain array (for a model request). */
export function conversationOf(s: RunProjection): Message[] {
  return toArray(s.conversation);
}

/** A model's call, as opposed to a read of the task's attachments. */
export function isModelCall(c: Pick<CallView, 'callId'>): boolean {
  return !c.callId.startsWith(ATTACHMENT_CALL_PREFIX);
}

/** A run's totals and the clock they are timed by: what a list of runs needs of the projection
 * (the store's `runs` table keeps one per run it writes, rather than counting on its own). */
export interface RunTally {
  readonly totals: Totals;
  readonly clock: RunProjection['clock'];
}

export function tally(t: RunTally, e: AgioEvent): RunTally {
  const clock =
    e.type === 'run_start'
      ? { elapsedMs: 0, ts: e.ts }
      : e.type === 'run_resumed'
        ? { elapsedMs: t.totals.elapsedMs, ts: e.ts }
        : e.type === 'metrics_snapshot'
          ? { elapsedMs: e.totals.elapsedMs, ts: e.ts }
          : t.clock;
  return { clock, totals: countTotals(t.totals, clock, e) };
}

/** The totals after one more event: counted from the events, the way the loop counts them, with the
 * server's own figures taken whenever a metrics_snapshot or run_end carries them. */
export function countTotals(t: Totals, clock: RunProjection['clock'], e: AgioEvent): Totals {
  switch (e.type) {
    case 'metrics_snapshot':
    case 'run_end':
      return e.totals;
    case 'run_interrupted':
    case 'run_resumed':
      // Recorded by another process, later: the time in between is not the run's.
      return t;
    default:
      break;
  }
  const elapsedMs = clock.ts === 0 ? t.elapsedMs : Math.max(t.elapsedMs, clock.elapsedMs + (e.ts - clock.ts));
  switch (e.type) {
    case 'turn_start':
      return { ...t, elapsedMs, turns: Math.max(t.turns, e.turn) };
    case 'tool_call':
      return { ...t, elapsedMs, toolCalls: t.toolCalls + 1 };
    case 'tool_result':
      return e.result.ok ? { ...t, elapsedMs } : { ...t, elapsedMs, errors: t.errors + 1 };
    case 'error':
      return e.fatal ? { ...t, elapsedMs, errors: t.errors + 1 } : { ...t, elapsedMs };
    case 'usage':
      return {
        ...t,
        elapsedMs,
        inputTokens: t.inputTokens + e.inputTokens,
        outputTokens: t.outputTokens + e.outputTokens,
        cachedTokens: t.cachedTokens + e.cachedTokens,
        costUsd: t.costUsd + e.costUsd,
        // An unpriced call's costUsd 0 means "not counted": the count says the cost is unknown.
        ...(e.priced === false ? { unpricedCalls: (t.unpricedCalls ?? 0) + 1 } : {}),
      };
    default:
      return elapsedMs === t.elapsedMs ? t : { ...t, elapsedMs };
  }
}

function apply(s: RunProjection, e: AgioEvent): RunProjection {
  switch (e.type) {
    case 'run_start':
      return {
        ...s,
        status: 'running',
        start: e,
        conversation: vecOf<Message>([{ role: 'user', content: e.task }]),
        clock: { elapsedMs: 0, ts: e.ts },
      };
    case 'run_resumed':
      // The resumed run's clock goes on from what the run had used.
      return { ...s, status: 'running', clock: { elapsedMs: s.totals.elapsedMs, ts: e.ts } };
    case 'metrics_snapshot':
      return { ...s, clock: { elapsedMs: e.totals.elapsedMs, ts: e.ts } };
    case 'turn_start':
      return {
        ...s,
        turns: push(s.turns, { turn: e.turn, eventId: e.id, calls: [], ended: false }),
        assistantIndex: -1,
      };
    case 'turn_end': {
      const i = s.turns.size - 1;
      const turn = get(s.turns, i);
      return turn?.turn === e.turn ? { ...s, turns: set(s.turns, i, { ...turn, ended: true }) } : s;
    }
    case 'message_end':
      return {
        ...s,
        conversation: push(s.conversation, { role: 'assistant', text: e.text, toolCalls: [] }),
        assistantIndex: s.conversation.size,
      };
    case 'tool_call':
      return addCall(s, e);
    case 'approval_request':
      return askApproval(s, e);
    case 'approval_decision':
      return decide(s, e);
    case 'tool_result':
      return finishCall(s, e);
    case 'context_added':
      return addContext(s, e);
    case 'compaction_end':
      return compacted(s, e);
    case 'checkpoint':
      return e.step > s.lastCheckpointStep ? { ...s, lastCheckpointStep: e.step } : s;
    case 'error':
      return e.fatal ? { ...s, error: e.message } : s;
    case 'run_interrupted':
      return interrupted(s);
    case 'run_end':
      return { ...s, status: e.status, pending: [], ...(e.error !== undefined ? { error: e.error } : {}) };
    default:
      return s;
  }
}

function addCall(s: RunProjection, e: EventOf<'tool_call'>): RunProjection {
  // A projection that began mid-run has not seen the call's turn: it keeps it under turn 0.
  const seen = get(s.turns, s.turns.size - 1);
  const turns = seen ? s.turns : push(s.turns, { turn: 0, eventId: e.parentId ?? '', calls: [], ended: false });
  const turnIndex = turns.size - 1;
  const turn = get(turns, turnIndex)!;
  const call: CallView = {
    eventId: e.id,
    callId: e.callId,
    tool: e.tool,
    args: e.args,
    ...(e.summary !== undefined ? { summary: e.summary } : {}),
    status: 'proposed',
  };
  const next = {
    ...s,
    turns: set(turns, turnIndex, { ...turn, calls: [...turn.calls, call] }),
    open: [...s.open, { eventId: e.id, turnIndex, callIndex: turn.calls.length }],
  };
  // The model's calls join its message; the attachment reads are not the model's.
  const msg = get(s.conversation, s.assistantIndex);
  if (!isModelCall(call) || msg?.role !== 'assistant') return next;
  const argsJson = typeof e.args === 'string' ? e.args : JSON.stringify(e.args);
  return {
    ...next,
    conversation: set(s.conversation, s.assistantIndex, {
      ...msg,
      toolCalls: [...msg.toolCalls, { id: e.callId, name: e.tool, argsJson }],
    }),
  };
}

/** The open call an event hangs under, and a state with it replaced. */
function updateCall(
  s: RunProjection,
  eventId: string | null,
  fn: (c: CallView) => CallView,
): RunProjection | undefined {
  const at = s.open.find((o) => o.eventId === eventId);
  const turn = at ? get(s.turns, at.turnIndex) : undefined;
  const call = at ? turn?.calls[at.callIndex] : undefined;
  if (!at || !turn || !call) return undefined;
  const calls = turn.calls.slice();
  calls[at.callIndex] = fn(call);
  return { ...s, turns: set(s.turns, at.turnIndex, { ...turn, calls }) };
}

function askApproval(s: RunProjection, e: EventOf<'approval_request'>): RunProjection {
  // A question about the run itself carries its callId and is answered under the request; one about a
  // tool call is answered under the call (also when this projection began after the call, mid-run).
  const aboutRun = e.callId !== undefined;
  const call = aboutRun || e.parentId === null ? undefined : openCall(s, e.parentId);
  const base = call ? updateCall(s, e.parentId, (c) => ({ ...c, status: 'waiting-approval' }))! : s;
  const pending: PendingApproval = {
    requestId: e.id,
    answerParent: aboutRun ? e.id : (e.parentId ?? e.id),
    callId: e.callId ?? call?.callId ?? '',
    tool: e.tool,
    tier: e.tier,
    summary: e.summary,
    reason: e.reason,
    askedTs: e.ts,
  };
  return { ...base, pending: [...s.pending, pending] };
}

/** A call still without a result, by its tool_call event id. */
export function openCall(s: RunProjection, eventId: string): CallView | undefined {
  const at = s.open.find((o) => o.eventId === eventId);
  return at ? get(s.turns, at.turnIndex)?.calls[at.callIndex] : undefined;
}

function decide(s: RunProjection, e: EventOf<'approval_decision'>): RunProjection {
  const pending = s.pending.some((p) => p.answerParent === e.parentId)
    ? s.pending.filter((p) => p.answerParent !== e.parentId)
    : s.pending;
  const decision = {
    decision: e.decision,
    by: e.by,
    reason: e.reason,
    ...(e.waitedMs !== undefined ? { waitedMs: e.waitedMs } : {}),
  };
  const next = updateCall(s, e.parentId, (c) => ({
    ...c,
    decision,
    status: e.decision === 'deny' ? 'denied' : 'running',
  }));
  return { ...(next ?? s), pending };
}

function finishCall(s: RunProjection, e: EventOf<'tool_result'>): RunProjection {
  const next = updateCall(s, e.parentId, (c) => ({
    ...c,
    result: e.result,
    status: c.status === 'denied' ? 'denied' : 'done',
  }));
  if (!next) return s;
  const call = openCall(next, e.parentId!)!;
  const pending = s.pending.some((p) => p.answerParent === e.parentId)
    ? s.pending.filter((p) => p.answerParent !== e.parentId)
    : s.pending;
  const done = { ...next, open: s.open.filter((o) => o.eventId !== e.parentId), pending };
  if (!isModelCall(call)) return done;
  return {
    ...done,
    conversation: push(s.conversation, {
      role: 'tool',
      callId: e.callId,
      name: e.tool,
      content: e.result.output,
      isError: !e.result.ok,
    }),
  };
}

/** What the task came with is part of its first message; rules found later come as a message of their
 * own after that turn's tool results. */
function addContext(s: RunProjection, e: EventOf<'context_added'>): RunProjection {
  if (e.text === undefined || !s.start) return s;
  if (e.parentId === s.start.id)
    return { ...s, conversation: set(s.conversation, 0, { role: 'user', content: s.start.task + e.text }) };
  const rules = e.items.filter((i) => i.kind === 'rules').map((i) => i.label);
  return {
    ...s,
    conversation: push(s.conversation, { role: 'user', content: e.text }),
    ...(rules.length > 0 ? { folderRules: [...s.folderRules, ...rules] } : {}),
  };
}

/** The messages the summary replaced give way to it, as in the run's own context window. */
function compacted(s: RunProjection, e: EventOf<'compaction_end'>): RunProjection {
  const r = e.replaced;
  if (!r || r.to > s.conversation.size || r.from >= r.to) return s;
  const all = toArray(s.conversation);
  const conversation = vecOf<Message>([
    ...all.slice(0, r.from),
    { role: 'user', content: r.message },
    ...all.slice(r.to),
  ]);
  const shift = r.to - r.from - 1;
  const assistantIndex = s.assistantIndex >= r.to ? s.assistantIndex - shift : -1;
  return { ...s, conversation, assistantIndex };
}

/** The server that asked is gone: nothing pending can be answered, and what had started has an
 * unknown outcome. A resume asks the undecided calls again. */
function interrupted(s: RunProjection): RunProjection {
  let turns = s.turns;
  for (const o of s.open) {
    const turn = get(turns, o.turnIndex);
    const call = turn?.calls[o.callIndex];
    if (!turn || !call) continue;
    const calls = turn.calls.slice();
    calls[o.callIndex] = {
      ...call,
      status: call.decision && call.decision.decision !== 'deny' ? 'unknown' : 'interrupted',
    };
    turns = set(turns, o.turnIndex, { ...turn, calls });
  }
  return { ...s, status: 'interrupted', pending: [], turns };
}
