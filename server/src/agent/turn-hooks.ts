// What happens around the loop's turns, as named hooks: the loop itself only streams the model, runs
// the calls and starts the next turn (runner.ts). Each concern is one small hook; a child run can use
// the same loop with other hooks (another budget, no attachments).
//
//   beforeTurn      before turn_start: the user's Stop, the budgets, the next call's projected cost
//   turnStarted     after turn_start, before the request: turn 1's attachments (calls of turn 1)
//   beforeCall      the request as prepared (compacted if it had to be): the budgets set its output cap
//   afterToolCall   each call's result: the repeated-error guard, a subfolder's rules to add
//   endOfTurn       after the turn's results, before turn_end: what joins the conversation then
//   afterTurn       after turn_end: the circuit breaker, "no progress: go on?"
import type { ModelRequest, ToolCallRequest } from '../models/types.ts';
import type { ToolResultEnvelope } from '../protocol/events.ts';
import type { Attachment } from '../protocol/methods.ts';
import { ATTACHMENT_CALL_PREFIX } from '../context/attachments.ts';
import type { ContextProvider, FolderRulesAdded } from '../context/provider.ts';
import type { ContextWindow } from '../context/context-window.ts';
import type { RunEmitter } from './emitter.ts';
import { isTrip, planNextCall, ProgressGuard, RepeatedErrorGuard, type CallPlan, type Trip } from './guards.ts';
import type { RunLedger, RunOutcome } from './run-ledger.ts';
import type { PreparedCall } from './tool-executor.ts';
import type { Approver } from './approver.ts';
import type { Guards, Limits } from '../protocol/events.ts';
import type { Price } from '../models/prices.ts';

type Stop = RunOutcome | undefined;

/** The request to send (its output cap possibly lowered, and by which budget), or the budget that
 * the call would cross (the loop closes the turn, then ends the run with it). */
export type CallDecision = { request: ModelRequest; cappedBy?: CallPlan['cappedBy'] } | { trip: Trip };

export interface TurnHooks {
  beforeTurn(): Promise<Stop>;
  turnStarted(turn: number, turnId: string): Promise<Stop>;
  beforeCall(request: ModelRequest): Promise<CallDecision>;
  afterToolCall(call: ToolCallRequest, callEventId: string, result: ToolResultEnvelope): void;
  endOfTurn(): void;
  /** `text`: what the model said this turn (no-progress detection compares turns). */
  afterTurn(turn: number, turnId: string, text: string): Promise<Stop>;
}

/** Hooks run in order; the first that stops the run wins. */
export function combineHooks(parts: readonly Partial<TurnHooks>[]): TurnHooks {
  const first = async (each: (h: Partial<TurnHooks>) => Promise<Stop> | undefined): Promise<Stop> => {
    for (const h of parts) {
      const stop = await each(h);
      if (stop) return stop;
    }
    return undefined;
  };
  return {
    beforeTurn: () => first((h) => h.beforeTurn?.()),
    beforeCall: async (request) => {
      let decision: CallDecision = { request };
      for (const h of parts) {
        if (!h.beforeCall || 'trip' in decision) continue;
        const next = await h.beforeCall(decision.request);
        decision = 'trip' in next || next.cappedBy !== undefined ? next : { ...decision, request: next.request };
      }
      return decision;
    },
    turnStarted: (turn, turnId) => first((h) => h.turnStarted?.(turn, turnId)),
    afterToolCall: (call, id, result) => {
      for (const h of parts) h.afterToolCall?.(call, id, result);
    },
    endOfTurn: () => {
      for (const h of parts) h.endOfTurn?.();
    },
    afterTurn: (turn, turnId, text) => first((h) => h.afterTurn?.(turn, turnId, text)),
  };
}

/** The user's Stop and the budgets, checked before every model call: a call whose input would leave
 * the budgets too little for a reply is not made, and the call that is made has its output cap
 * lowered to what they have left (planned again once the request is prepared: a compaction's summary
 * call spends tokens, and the compacted request is smaller). `modelCap`: the model's own output cap. */
export function budgetHook(
  ledger: RunLedger,
  limits: Limits,
  price: Price | undefined,
  conversation: ContextWindow,
  modelCap: number,
): Partial<TurnHooks> {
  const plan = async () => planNextCall(limits, ledger.totals, price, await conversation.projection(), modelCap);
  return {
    async beforeTurn() {
      const stop = ledger.stopped();
      if (stop) return stop;
      const p = await plan();
      return isTrip(p) ? ledger.tripped(p, true) : undefined;
    },
    async beforeCall(request) {
      const p = await plan();
      if (isTrip(p)) return { trip: p };
      if (p.maxOutputTokens >= request.maxOutputTokens) return { request };
      const capped = { ...request, maxOutputTokens: p.maxOutputTokens };
      return p.cappedBy ? { request: capped, cappedBy: p.cappedBy } : { request: capped };
    },
  };
}

/** Reads the task's attachments as calls of turn 1 (through the policy) and adds them to the task. */
export function attachmentsHook(o: {
  attachments: readonly Attachment[];
  task: string;
  windowTokens: number;
  provider: ContextProvider;
  conversation: ContextWindow;
  ledger: RunLedger;
  emitter: RunEmitter;
  redact: (text: string) => string;
  startCall: (call: ToolCallRequest, turnId: string) => { prepared: PreparedCall; eventId: string };
  runToolCall: (call: PreparedCall, parentId: string) => Promise<ToolResultEnvelope>;
  userSignal: AbortSignal;
}): Partial<TurnHooks> {
  return {
    async turnStarted(turn, turnId) {
      if (turn !== 1 || o.attachments.length === 0) return undefined;
      let n = 0;
      const got = await o.provider.attachments(o.attachments, {
        windowTokens: o.windowTokens,
        redact: o.redact,
        signal: o.ledger.signal,
        runTool: async (name, args) => {
          o.ledger.totals.toolCalls++;
          const { prepared, eventId } = o.startCall(
            { id: `${ATTACHMENT_CALL_PREFIX}${++n}`, name, argsJson: JSON.stringify(args) },
            turnId,
          );
          const res = await o.runToolCall(prepared, eventId);
          if (!res.ok) o.ledger.totals.errors++;
          return res;
        },
      });
      o.emitter.emit({ type: 'context_added', parentId: o.ledger.runId, items: got.items, text: got.text });
      if (got.text !== '') o.conversation.replaceTask(o.task + got.text);
      return o.userSignal.aborted ? (o.ledger.stopped() ?? o.ledger.end('cancelled')) : undefined;
    },
  };
}

/** A subfolder's AGENTS.md joins the conversation after the turn's results (tool results must follow
 * their calls), the first time the run touches that folder. */
export function folderRulesHook(
  provider: ContextProvider,
  conversation: ContextWindow,
  emitter: RunEmitter,
): Partial<TurnHooks> {
  let found: (FolderRulesAdded & { parentId: string })[] = [];
  return {
    afterToolCall(call, callEventId) {
      for (const r of provider.rulesForCall(call.argsJson)) found.push({ ...r, parentId: callEventId });
    },
    endOfTurn() {
      for (const r of found) {
        conversation.push({ role: 'user', content: r.text });
        emitter.emit({ type: 'context_added', parentId: r.parentId, items: [r.item], text: r.text });
      }
      found = [];
    },
  };
}

/** The circuit breaker (the same failure again and again) and no-progress detection (turns that bring
 * nothing new: ask whether to go on, or stop). */
export function guardsHook(o: {
  guards: Guards;
  ledger: RunLedger;
  emitter: RunEmitter;
  approver: Approver;
  flush: () => void;
}): Partial<TurnHooks> {
  const repeated = new RepeatedErrorGuard(o.guards.repeatedErrors);
  const progress = new ProgressGuard(o.guards.noProgressTurns);
  let trip: Trip | undefined;
  let calls: { name: string; argsJson: string; ok: boolean; output: string }[] = [];
  return {
    afterToolCall(call, _id, res) {
      calls.push({ name: call.name, argsJson: call.argsJson, ok: res.ok, output: res.output });
      trip ??= repeated.record(call.name, res.ok, res.output);
    },
    async afterTurn(turn, turnId, text) {
      const tripped = trip;
      const done = calls;
      trip = undefined;
      calls = [];
      // A Stop mid-turn leaves identical "not run" results: that is a cancel, not a repeated error.
      if (tripped) return o.ledger.stopped() ?? o.ledger.tripped(tripped);
      const idle = progress.record({ text, calls: done });
      if (!idle) return undefined;
      if (o.guards.onNoProgress === 'stop' || !(await askToContinue(o, turnId, turn, idle)))
        return o.ledger.stopped() ?? o.ledger.tripped(idle);
      progress.reset();
      return undefined;
    },
  };
}

/** Puts "no progress: go on?" to whoever approves calls. Headless, nobody answers yes: the run stops. */
async function askToContinue(
  o: { emitter: RunEmitter; approver: Approver; flush: () => void; ledger: RunLedger },
  turnId: string,
  turn: number,
  idle: Trip,
): Promise<boolean> {
  const { emitter, ledger } = o;
  const callId = `agio-no-progress-${turn}`;
  const summary = `No progress for ${idle.value} turns. Let the run go on?`;
  const reason = `${idle.detail}. Allow to let it continue, deny to stop the run here.`;
  const request = emitter.emit({
    type: 'approval_request',
    parentId: turnId,
    tool: 'agio',
    tier: 'read',
    summary,
    reason,
    repeatable: false,
    callId,
  });
  o.flush();
  const asked = performance.now();
  const answer = await o.approver(
    { runId: emitter.runId, callId, tool: 'agio', tier: 'read', summary, args: {}, reason, repeatable: false },
    ledger.signal,
  );
  const allowed = answer.decision !== 'deny' && !ledger.signal.aborted;
  emitter.emit({
    type: 'approval_decision',
    parentId: request.id,
    decision: allowed ? 'allow' : 'deny',
    by: answer.by,
    reason: answer.feedback ?? (allowed ? 'the user let the run go on' : 'the run stops here'),
    waitedMs: Math.round(performance.now() - asked),
  });
  return allowed;
}
