// The panel state as a pure fold over a run's events: foldEvents(state, events) → state. A live run
// (many small increments) and a replayed run (one reset with the whole log) end in deep-equal states,
// so they render identically.
//
// Cost: O(1) amortised per event. Lists are persistent vectors (pvec.ts), display items are immutable
// and replaced, never edited, so the input state is never touched; the few small records a batch
// changes (totals, approval counts) are copied once per batch, not per event.
import type { AgioEvent, EventOf, Totals } from '../../../server/src/protocol/events.ts';
import { callSummary } from './args-summary.ts';
import { errorText, isKeyError, unknownModelText } from './notices.ts';
import { callsWritten, discardWritingCalls, placeCall, streamCall } from './streamed-calls.ts';
import { emptyVec, findLastIndex, get, push, set } from '../../../server/src/protocol/pvec.ts';
import type { AssistantItem, CompactionItem, DisplayItem, NoticeKind, RunState, ToolItem, TurnStats } from './types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Omit<Mutable<RunState>, 'totals' | 'approvals'> & {
  totals: Totals;
  approvals: Mutable<RunState['approvals']>;
};

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

export function emptyRunState(runId: string): RunState {
  return {
    runId,
    status: 'empty',
    lastSeq: 0,
    items: emptyVec(),
    events: emptyVec(),
    turns: emptyVec(),
    totals: ZERO_TOTALS,
    toolsByName: {},
    approvals: { asked: 0, granted: 0, denied: 0 },
    pending: [],
    openCalls: [],
  };
}

/** Folds events of `state.runId` in seq order. Events already folded (seq ≤ lastSeq) are skipped, so
 * a re-sent increment is harmless; an event that skips ahead sets `gap` and stops the fold there. */
export function foldEvents(state: RunState, events: readonly AgioEvent[]): RunState {
  if (state.gap || events.length === 0) return state;
  const d: Draft = { ...state, totals: { ...state.totals }, approvals: { ...state.approvals } };
  let changed = false;
  for (const ev of events) {
    if (ev.runId !== d.runId || ev.seq <= d.lastSeq) continue;
    if (ev.seq !== d.lastSeq + 1) {
      d.gap = { expected: d.lastSeq + 1, got: ev.seq };
      changed = true;
      break;
    }
    apply(d, ev);
    d.lastSeq = ev.seq;
    d.lastTs = ev.ts;
    d.events = push(d.events, ev);
    changed = true;
  }
  return changed ? d : state;
}

function apply(d: Draft, ev: AgioEvent): void {
  if (d.startTs !== undefined && ev.type !== 'run_end') d.totals.elapsedMs = ev.ts - d.startTs;
  switch (ev.type) {
    case 'run_start':
      d.status = 'running';
      d.startTs = ev.ts;
      d.info = {
        task: ev.task,
        cwd: ev.cwd,
        provider: ev.provider,
        model: ev.model,
        approval: ev.approval,
        agioVersion: ev.agioVersion,
        ...defined({ sandbox: ev.sandbox, trusted: ev.trusted, unsandboxedFullAuto: ev.unsandboxedFullAuto }),
      };
      if (ev.context)
        d.context = { window: ev.context.window, maxOutput: ev.context.maxOutput, compactAt: ev.context.compactAt };
      pushItem(d, { kind: 'task', id: ev.id, version: ev.seq, turn: 0, text: ev.task });
      return;
    case 'turn_start':
      d.totals.turns++;
      d.turns = push(d.turns, {
        turn: ev.turn,
        eventId: ev.id,
        startTs: ev.ts,
        inputTokens: 0,
        outputTokens: 0,
        cachedTokens: 0,
        costUsd: 0,
        cumulativeCostUsd: d.totals.costUsd,
        toolCalls: 0,
        approvalWaitMs: 0,
        assistantIndex: -1,
      });
      return;
    case 'text_delta':
      return appendText(d, ev);
    case 'message_end':
      endMessage(d, ev);
      return callsWritten(d, get(d.turns, turnIndex(d, ev.parentId))?.turn ?? 0, ev.seq);
    case 'usage': {
      const t = d.totals;
      t.inputTokens += ev.inputTokens;
      t.outputTokens += ev.outputTokens;
      t.cachedTokens += ev.cachedTokens;
      t.costUsd += ev.costUsd;
      // An unpriced call's costUsd is 0 for "not counted": the count says the cost is unknown.
      if (ev.priced === false) t.unpricedCalls = (t.unpricedCalls ?? 0) + 1;
      // A reported figure is what the window really held after the call: it replaces the estimate.
      // Only a turn's own call counts (a compaction's summary call hangs under its compaction_start
      // and measures the summarizer's request); runs recorded before the context subsystem know no
      // window to measure against.
      const ti = turnIndex(d, ev.parentId);
      const filled = ev.reported && d.context && ti >= 0 ? ev.inputTokens + ev.outputTokens : undefined;
      if (filled !== undefined) d.context = { ...d.context!, tokens: filled, estimated: false };
      return updateTurn(d, ti, (turn) => ({
        ...turn,
        inputTokens: turn.inputTokens + ev.inputTokens,
        outputTokens: turn.outputTokens + ev.outputTokens,
        cachedTokens: turn.cachedTokens + ev.cachedTokens,
        costUsd: turn.costUsd + ev.costUsd,
        cumulativeCostUsd: t.costUsd,
        ...(filled !== undefined ? { contextTokens: filled } : {}),
      }));
    }
    case 'context_added':
      return addContext(d, ev);
    case 'context_usage':
      d.context = { ...d.context, window: ev.window, tokens: ev.tokens, estimated: ev.estimated };
      return updateTurn(d, turnIndex(d, ev.parentId), (turn) => ({ ...turn, contextTokens: ev.tokens }));
    case 'compaction_start':
      pushItem(d, {
        kind: 'compaction',
        id: ev.id,
        version: ev.seq,
        turn: get(d.turns, turnIndex(d, ev.parentId))?.turn ?? 0,
        reason: ev.reason,
        tokens: ev.tokens,
        window: ev.window,
        status: 'running',
      });
      return;
    case 'compaction_end':
      return endCompaction(d, ev);
    case 'notice':
      if (ev.kind === 'unknown_model' && d.info) {
        const text = unknownModelText(d.info.model, d.context?.window, ev.message);
        return notice(d, ev, 'info', text, 'agio.models');
      }
      return notice(d, ev, 'info', errorText(ev.message));
    case 'tool_call_delta':
      return streamCall(d, ev, get(d.turns, turnIndex(d, ev.parentId))?.turn ?? 0);
    case 'tool_call': {
      const ti = turnIndex(d, ev.parentId);
      // A call whose arguments streamed continues its writing card; any other gets a new one.
      const index = placeCall(d, {
        kind: 'tool',
        id: ev.id,
        version: ev.seq,
        turn: get(d.turns, ti)?.turn ?? 0,
        callId: ev.callId,
        tool: ev.tool,
        args: ev.args,
        summary: callSummary(ev.tool, ev.args, ev.summary),
        startTs: ev.ts,
        output: '',
        status: 'running',
      });
      d.openCalls = [...d.openCalls, { eventId: ev.id, callId: ev.callId, index }];
      d.toolsByName = { ...d.toolsByName, [ev.tool]: (d.toolsByName[ev.tool] ?? 0) + 1 };
      d.totals.toolCalls++;
      return updateTurn(d, ti, (turn) => ({ ...turn, toolCalls: turn.toolCalls + 1 }));
    }
    case 'approval_request':
      d.approvals.asked++;
      // A question about the run itself ("no progress: go on?") has no tool call: it becomes its own item.
      if (ev.callId !== undefined && !d.openCalls.some((c) => c.eventId === ev.parentId)) {
        const ti = turnIndex(d, ev.parentId);
        d.pending = [...d.pending, ev.callId];
        pushItem(d, {
          kind: 'tool',
          id: ev.id,
          version: ev.seq,
          turn: get(d.turns, ti)?.turn ?? 0,
          callId: ev.callId,
          tool: ev.tool,
          args: {},
          summary: ev.summary,
          startTs: ev.ts,
          output: '',
          status: 'waiting-approval',
          approval: {
            tier: ev.tier,
            summary: ev.summary,
            reason: ev.reason,
            details: ev.details ?? [],
            repeatable: false,
            askedTs: ev.ts,
          },
        });
        return;
      }
      return updateCall(d, ev, (item) => {
        if (!d.pending.includes(item.callId)) d.pending = [...d.pending, item.callId];
        return {
          ...item,
          status: 'waiting-approval',
          approval: {
            tier: ev.tier,
            summary: ev.summary,
            reason: ev.reason,
            details: ev.details ?? [],
            askedTs: ev.ts,
            ...defined({ diff: ev.diff, repeatable: ev.repeatable }),
          },
        };
      });
    case 'approval_decision':
      return updateCall(d, ev, (item) => {
        const denied = ev.decision === 'deny';
        if (ev.by === 'policy') {
          return {
            ...item,
            status: denied ? 'denied' : item.status,
            policy: { decision: ev.decision, reason: ev.reason, details: ev.details ?? [] },
          };
        }
        if (denied) d.approvals.denied++;
        else d.approvals.granted++;
        d.pending = d.pending.filter((c) => c !== item.callId);
        // A question about the run is settled by its answer; a tool call goes on to run.
        const status = denied ? 'denied' : item.tool === 'agio' ? 'ok' : 'running';
        if (!item.approval) return { ...item, status };
        // Logs written before waitedMs existed: the wait is the time between the question and its answer.
        const waitedMs = ev.waitedMs ?? Math.max(0, ev.ts - item.approval.askedTs);
        updateTurn(
          d,
          findLastIndex(d.turns, (t) => t.turn === item.turn),
          (t) => ({ ...t, approvalWaitMs: t.approvalWaitMs + waitedMs }),
        );
        return {
          ...item,
          status,
          approval: {
            ...item.approval,
            decision: ev.decision,
            by: ev.by,
            decisionReason: ev.reason,
            waitedMs,
            ...(ev.waitedMs === undefined ? { waitEstimated: true } : {}),
          },
        };
      });
    case 'tool_output':
      return updateCall(d, ev, (item) => ({ ...item, output: item.output + ev.chunk }));
    case 'checkpoint':
      return updateCall(d, ev, (item) =>
        item.checkpointStep !== undefined ? item : { ...item, checkpointStep: ev.step },
      );
    case 'checkpoint_end':
      return updateCall(d, ev, (item) => ({ ...item, changedFiles: (item.changedFiles ?? 0) + ev.changed }));
    case 'tool_result':
      if (!ev.result.ok) d.totals.errors++;
      return updateCall(d, ev, (item) => {
        d.openCalls = d.openCalls.filter((c) => c.eventId !== item.id);
        if (d.pending.includes(item.callId)) d.pending = d.pending.filter((c) => c !== item.callId);
        const status = item.status === 'denied' ? 'denied' : ev.result.ok ? 'ok' : 'error';
        return { ...item, result: ev.result, status };
      });
    case 'metrics_snapshot':
      d.serverTotals = ev.totals;
      return;
    case 'retry':
      return retryTurn(d, ev);
    case 'error':
      if (ev.fatal) {
        d.totals.errors++;
        d.error = errorText(ev.message);
      }
      return notice(d, ev, ev.fatal ? 'error' : 'warning', errorText(ev.message), undefined, isKeyError(ev.kind));
    case 'limit_reached':
      return notice(d, ev, 'limit', limitText(ev));
    case 'cancelled':
      return notice(d, ev, 'cancelled', `Cancelled: ${ev.reason}.`);
    case 'turn_end': {
      const ti = findLastIndex(d.turns, (t) => t.turn === ev.turn);
      const turn = get(d.turns, ti);
      if (turn) {
        closeStreaming(d, turn.assistantIndex, ev.seq);
        d.turns = set(d.turns, ti, { ...turn, endTs: ev.ts, durationMs: ev.ts - turn.startTs });
      }
      return;
    }
    case 'run_end':
      return endRun(d, ev);
    case 'run_resumed':
      d.status = 'running';
      return notice(
        d,
        ev,
        'retry',
        'Resumed from the recorded conversation; anything that was waiting is asked again.',
      );
    case 'run_interrupted':
      // The server that asked is gone: its approvals can no longer be answered, and nothing was
      // approved or re-run on the user's behalf.
      d.status = 'interrupted';
      closeOpenCalls(d, ev.seq);
      return notice(
        d,
        ev,
        'warning',
        `Interrupted: ${ev.reason}. In flight: ${ev.lastStep}. Nothing was approved or re-run.`,
      );
  }
}

function pushItem(d: Draft, item: DisplayItem): number {
  d.items = push(d.items, item);
  return d.items.size - 1;
}

function replaceItem(d: Draft, index: number, item: DisplayItem): void {
  d.items = set(d.items, index, item);
}

/** Turns are searched from the end: nearly every event belongs to the current one. */
function turnIndex(d: Draft, turnEventId: string | null): number {
  return turnEventId === null ? -1 : findLastIndex(d.turns, (t) => t.eventId === turnEventId);
}

function updateTurn(d: Draft, ti: number, fn: (t: TurnStats) => TurnStats): void {
  const turn = get(d.turns, ti);
  if (turn) d.turns = set(d.turns, ti, fn(turn));
}

/** Tool events point at their tool_call event; open calls are found directly, finished ones by search. */
function updateCall(d: Draft, ev: AgioEvent, fn: (item: ToolItem) => ToolItem): void {
  const open = d.openCalls.find((c) => c.eventId === ev.parentId);
  const index = open ? open.index : findLastIndex(d.items, (it) => it.kind === 'tool' && it.id === ev.parentId);
  const item = get(d.items, index);
  if (item?.kind !== 'tool') return;
  replaceItem(d, index, { ...fn(item), version: ev.seq });
}

/** What the task came with goes on the task's own row as chips; rules found mid-run get a row of
 * their own where they were found (under the tool call that led to them). */
function addContext(d: Draft, ev: EventOf<'context_added'>): void {
  const ti = findLastIndex(d.items, (it) => it.kind === 'task' && it.id === ev.parentId);
  const task = get(d.items, ti);
  if (task?.kind === 'task') {
    replaceItem(d, ti, { ...task, context: [...(task.context ?? []), ...ev.items], version: ev.seq });
    return;
  }
  const call = d.openCalls.find((c) => c.eventId === ev.parentId);
  const parent = call ? get(d.items, call.index) : undefined;
  const turn =
    parent?.turn ?? get(d.turns, turnIndex(d, ev.parentId))?.turn ?? get(d.turns, d.turns.size - 1)?.turn ?? 0;
  pushItem(d, { kind: 'context', id: ev.id, version: ev.seq, turn, items: ev.items });
}

function endCompaction(d: Draft, ev: EventOf<'compaction_end'>): void {
  const index = findLastIndex(d.items, (it) => it.kind === 'compaction' && it.id === ev.parentId);
  const item = get(d.items, index);
  if (item?.kind !== 'compaction') return;
  const done: CompactionItem = {
    ...item,
    version: ev.seq,
    status: ev.ok ? 'ok' : 'failed',
    summarized: ev.summarized,
    tokensBefore: ev.tokensBefore,
    tokensAfter: ev.tokensAfter,
    ...defined({ summary: ev.summary, error: ev.error }),
  };
  replaceItem(d, index, done);
  // The meter drops at once; the next context_usage or usage gives the real figure.
  if (ev.ok && d.context) d.context = { ...d.context, tokens: ev.tokensAfter, estimated: true };
}

function appendText(d: Draft, ev: EventOf<'text_delta'>): void {
  const ti = turnIndex(d, ev.parentId);
  const turn = get(d.turns, ti);
  const current = turn ? get(d.items, turn.assistantIndex) : undefined;
  if (current?.kind === 'assistant') {
    replaceItem(d, turn!.assistantIndex, { ...current, text: current.text + ev.text, version: ev.seq });
    return;
  }
  const index = pushItem(d, {
    kind: 'assistant',
    id: ev.id,
    version: ev.seq,
    turn: turn?.turn ?? 0,
    text: ev.text,
    streaming: true,
    discarded: false,
  });
  updateTurn(d, ti, (t) => ({ ...t, assistantIndex: index }));
}

function endMessage(d: Draft, ev: EventOf<'message_end'>): void {
  const ti = turnIndex(d, ev.parentId);
  const turn = get(d.turns, ti);
  const current = turn ? get(d.items, turn.assistantIndex) : undefined;
  if (current?.kind === 'assistant') {
    // message_end carries the whole text: it is the truth the streamed deltas approximated.
    replaceItem(d, turn!.assistantIndex, {
      ...current,
      text: ev.text || current.text,
      streaming: false,
      version: ev.seq,
    });
  } else if (ev.text.trim() !== '') {
    const index = pushItem(d, {
      kind: 'assistant',
      id: ev.id,
      version: ev.seq,
      turn: turn?.turn ?? 0,
      text: ev.text,
      streaming: false,
      discarded: false,
    });
    updateTurn(d, ti, (t) => ({ ...t, assistantIndex: index }));
  }
}

/** The model call is being retried: what it streamed so far (text, calls being written) is void. */
function retryTurn(d: Draft, ev: EventOf<'retry'>): void {
  const ti = turnIndex(d, ev.parentId);
  const turn = get(d.turns, ti);
  const current = turn ? get(d.items, turn.assistantIndex) : undefined;
  if (current?.kind === 'assistant') {
    replaceItem(d, turn!.assistantIndex, { ...current, text: '', streaming: false, discarded: true, version: ev.seq });
  }
  updateTurn(d, ti, (t) => ({ ...t, assistantIndex: -1 }));
  discardWritingCalls(d, turn?.turn ?? 0, ev.seq);
  const status = ev.status !== undefined ? ` after HTTP ${ev.status}` : '';
  notice(d, ev, 'retry', `Retrying the model call (attempt ${ev.attempt})${status}: ${ev.reason}`);
}

function closeStreaming(d: Draft, index: number, seq: number): void {
  const item = get(d.items, index);
  if (item?.kind === 'assistant' && item.streaming)
    replaceItem(d, index, { ...item, streaming: false, version: seq } satisfies AssistantItem);
}

function notice(d: Draft, ev: AgioEvent, kind: NoticeKind, text: string, settings?: string, setKey?: boolean): void {
  const turn = get(d.turns, turnIndex(d, ev.parentId))?.turn ?? 0;
  pushItem(d, {
    kind: 'notice',
    id: ev.id,
    version: ev.seq,
    turn,
    notice: kind,
    text,
    ...defined({ settings }),
    ...(setKey ? { setKey } : {}),
  });
}

/** Calls the run left open (a crash, a lost connection, a dead server) can no longer finish or be approved. */
function closeOpenCalls(d: Draft, seq: number): void {
  for (const open of d.openCalls) {
    const item = get(d.items, open.index);
    if (item?.kind === 'tool') replaceItem(d, open.index, { ...item, status: 'interrupted', version: seq });
  }
  d.openCalls = [];
  d.pending = [];
  const lastTurn = get(d.turns, d.turns.size - 1);
  if (lastTurn) closeStreaming(d, lastTurn.assistantIndex, seq);
}

function endRun(d: Draft, ev: EventOf<'run_end'>): void {
  d.status = ev.status;
  d.endTs = ev.ts;
  d.serverTotals = ev.totals;
  d.totals.elapsedMs = ev.totals.elapsedMs;
  if (ev.error !== undefined) d.error = ev.error;
  closeOpenCalls(d, ev.seq);
  pushItem(d, {
    kind: 'summary',
    id: ev.id,
    version: ev.seq,
    turn: 0,
    status: ev.status,
    totals: ev.totals,
    ...(ev.error !== undefined ? { error: ev.error } : {}),
  });
}

/** Keeps state shapes free of `key: undefined`, so states compare equal however they were built. */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function limitText(ev: EventOf<'limit_reached'>): string {
  if (ev.limit === 'repeated_error') return `Stopped: ${ev.detail ?? `the same error ${ev.value} times in a row`}.`;
  if (ev.limit === 'no_progress')
    return `Stopped: no progress — ${ev.detail ?? `${ev.value} turns brought nothing new`}.`;
  const figures = `${limitFigure(ev.limit, ev.value)} of ${limitFigure(ev.limit, ev.max)}`;
  return ev.projected
    ? `Stopped before the next model call: it would cross the ${ev.limit} budget (${figures}; ${ev.detail ?? 'projected'}).`
    : `Stopped: the ${ev.limit} budget was reached (${figures}).`;
}

function limitFigure(limit: EventOf<'limit_reached'>['limit'], v: number): string {
  if (limit === 'cost') return `$${v.toFixed(2)}`;
  if (limit === 'time') return `${Math.round(v / 1000)} s`;
  return String(v);
}
