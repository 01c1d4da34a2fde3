// The agent loop: model turn → tool calls → next turn, until the model stops, the user cancels or a
// budget is reached. Everything that happens is an event; the loop never throws for a run's failure.
import type { ApprovalMode, Guards, Limits, Provider, RunStatus, Totals } from '../protocol/events.ts';
import { costOf, type Price } from '../models/prices.ts';
import type { Message, ModelDriver, ToolSpec, Usage } from '../models/types.ts';
import type { Attachment } from '../protocol/methods.ts';
import { ATTACHMENT_CALL_PREFIX } from '../context/attachments.ts';
import { ContextProvider, type FolderRulesAdded } from '../context/provider.ts';
import { ContextWindow, type Summarize, type WindowSettings } from '../context/context-window.ts';
import type { PolicyContext } from '../policy/engine.ts';
import type { Redactor } from '../policy/secrets.ts';
import type { Tool, WorkspaceFiles } from '../tools/types.ts';
import type { Approver } from './approver.ts';
import type { RunEmitter } from './emitter.ts';
import type { ResumeState } from './resume-state.ts';
import { executeToolCall, type ToolExecutorDeps } from './tool-executor.ts';
import { emptyTotals, exceededLimit } from './totals.ts';
import { callModel } from './model-call.ts';
import { ProgressGuard, projectNextCall, RepeatedErrorGuard, type Trip } from './guards.ts';

export interface RunConfig {
  task: string;
  cwd: string;
  provider: Provider;
  model: string;
  approval: ApprovalMode;
  limits: Limits;
  guards: Guards;
  agioVersion: string;
  /** 'bwrap' or 'none': announced in run_start, never claimed when absent. */
  sandbox: string;
  trusted: boolean;
  baseUrl?: string;
  /** Continue an interrupted run from its log instead of starting one. */
  resume?: ResumeState;
  /** The model's window and when to compact. */
  context: WindowSettings;
  /** What the user attached to the task (@-mentions). */
  attachments?: readonly Attachment[];
  /** Told once at the start (e.g. the model's window had to be assumed). */
  notices?: readonly { kind: string; message: string }[];
  /** Compact before the first model call (`agio resume --compact`). */
  compactFirst?: boolean;
}

/** How a client reaches into a running run: the panel's /compact. Set by the runner once it starts. */
export interface RunControl {
  compact?: () => void;
}

export interface RunDeps {
  emitter: RunEmitter;
  driver: ModelDriver;
  tools: readonly Tool[];
  toolSpecs: readonly ToolSpec[];
  files: WorkspaceFiles;
  approver: Approver;
  /** Environment for commands: already reduced to the allowlist. */
  env: NodeJS.ProcessEnv;
  policy: PolicyContext;
  launcher: ToolExecutorDeps['launcher'];
  redactor: Redactor;
  /** Problems loading the user's policy files, reported as non-fatal errors. */
  warnings?: string[];
  price: Price | undefined;
  /** Makes the log durable (store flush) before side effects. */
  flush: () => void;
  signal: AbortSignal;
  maxOutputTokens?: number;
  checkpoints?: ToolExecutorDeps['checkpoints'];
  control?: RunControl;
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'running' | 'interrupted'>;
  totals: Totals;
  error?: string;
}

export async function runAgent(cfg: RunConfig, deps: RunDeps): Promise<RunOutcome> {
  const { emitter } = deps;
  const totals = cfg.resume ? { ...cfg.resume.totals } : emptyTotals();
  // A resumed run's wall time goes on from what it had used.
  const startedAt = performance.now() - totals.elapsedMs;
  const tick = () => (totals.elapsedMs = Math.round(performance.now() - startedAt));
  const runStart = cfg.resume
    ? cfg.resume.runStart
    : emitter.emit({
        type: 'run_start', parentId: null, task: cfg.task, cwd: cfg.cwd, provider: cfg.provider, model: cfg.model,
        agioVersion: cfg.agioVersion, approval: cfg.approval, limits: cfg.limits, guards: cfg.guards, sandbox: cfg.sandbox, trusted: cfg.trusted,
        pid: process.pid, ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}), context: cfg.context,
      });
  if (cfg.resume) emitter.emit({ type: 'run_resumed', parentId: runStart.id, pid: process.pid, reason: 'resumed by the user from its recorded conversation' });
  for (const message of deps.warnings ?? []) {
    emitter.emit({ type: 'error', parentId: runStart.id, message, kind: 'policy_file', fatal: false });
  }
  // The time budget also interrupts a model call or command in flight, not only the gap between turns.
  const timeLimit = new AbortController();
  const timer = cfg.limits.maxTimeMs !== undefined ? setTimeout(() => timeLimit.abort(), cfg.limits.maxTimeMs) : undefined;
  const signal = AbortSignal.any([deps.signal, timeLimit.signal]);
  // A resumed run told the user already, when it started.
  if (!cfg.resume) for (const n of cfg.notices ?? []) emitter.emit({ type: 'notice', parentId: runStart.id, kind: n.kind, message: n.message });
  // Provider: the system prompt and the project's root rules, fixed for the whole run.
  const provider = new ContextProvider({
    cwd: cfg.cwd, approval: cfg.approval, sandbox: cfg.sandbox, trusted: cfg.trusted,
    tools: deps.tools.map((t) => ({ name: t.name, tier: t.tier })), redact: (t) => deps.redactor.redact(t),
    ...(cfg.resume ? { folderRulesGiven: cfg.resume.folderRules } : {}),
  });
  if (provider.rootItems.length > 0 && !cfg.resume) emitter.emit({ type: 'context_added', parentId: runStart.id, items: provider.rootItems });
  const system = provider.system;
  const messages: Message[] = cfg.resume ? [...cfg.resume.messages] : [{ role: 'user', content: cfg.task }];
  const repeated = new RepeatedErrorGuard(cfg.guards.repeatedErrors);
  const progress = new ProgressGuard(cfg.guards.noProgressTurns);
  const recordUsage = (usage: Usage, parentId: string): number => {
    const costUsd = costOf(deps.price, usage);
    totals.inputTokens += usage.inputTokens;
    totals.outputTokens += usage.outputTokens;
    totals.cachedTokens += usage.cachedTokens;
    totals.costUsd += costUsd;
    if (!deps.price) totals.unpricedCalls = (totals.unpricedCalls ?? 0) + 1;
    emitter.emit({
      type: 'usage', parentId, model: deps.driver.model, inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens, cachedTokens: usage.cachedTokens, costUsd, reported: usage.reported,
      ...(deps.price ? {} : { priced: false }),
    });
    return costUsd;
  };
  // The compaction summary is a model call of its own: its tokens and cost count like any other.
  const summarize: Summarize = async (req, parentId) => {
    const r = await deps.driver.complete(req, signal, {
      onTextDelta: () => {},
      onRetry: (attempt, reason, status) => emitter.emit({ type: 'retry', parentId, attempt, reason, ...(status !== undefined ? { status } : {}) }),
    });
    if (!r.ok) return { ok: false, error: r.error.message };
    recordUsage(r.usage, parentId);
    return { ok: true, text: r.text };
  };
  const ctx = new ContextWindow(cfg.context, { system, tools: deps.toolSpecs, messages, maxOutputTokens: deps.maxOutputTokens ?? 8192 }, { emit: (d) => emitter.emit(d), summarize });
  if (cfg.compactFirst) ctx.requestCompaction();
  if (deps.control) deps.control.compact = () => ctx.requestCompaction();
  const push = (m: Message) => {
    if (m.role === 'tool') ctx.pushToolResult(m);
    else ctx.push(m);
  };
  const executor: ToolExecutorDeps = {
    emitter, approver: deps.approver, policy: deps.policy, tools: deps.tools, launcher: deps.launcher, redactor: deps.redactor,
    context: { root: cfg.cwd, files: deps.files, env: deps.env }, beforeSideEffect: deps.flush,
    ...(deps.checkpoints ? { checkpoints: deps.checkpoints } : {}),
  };

  const end = (status: RunOutcome['status'], error?: string): RunOutcome => {
    if (timer) clearTimeout(timer);
    tick();
    emitter.emit({ type: 'run_end', parentId: runStart.id, status, totals: { ...totals }, ...(error ? { error } : {}) });
    deps.flush();
    return error ? { status, totals, error } : { status, totals };
  };
  const stopped = (): RunOutcome | undefined => {
    if (deps.signal.aborted) {
      emitter.emit({ type: 'cancelled', parentId: runStart.id, reason: 'cancelled by the user' });
      return end('cancelled');
    }
    tick();
    const over = exceededLimit(cfg.limits, totals) ?? (timeLimit.signal.aborted ? timeOver(cfg.limits, totals) : undefined);
    if (over) {
      emitter.emit({ type: 'limit_reached', parentId: runStart.id, ...over });
      return end('limit');
    }
    return undefined;
  };
  const tripped = (trip: Trip, projected = false): RunOutcome => {
    emitter.emit({ type: 'limit_reached', parentId: runStart.id, limit: trip.limit, value: trip.value, max: trip.max, detail: trip.detail, ...(projected ? { projected } : {}) });
    return end('limit');
  };

  // Calls the interruption left open: an unanswered approval is asked again; a call that had started
  // is never run twice, and the model is told its outcome is unknown.
  for (const open of cfg.resume?.openCalls ?? []) {
    const res = open.started
      ? unknownOutcome(emitter, open.eventId, open.call)
      : await executeToolCall(executor, open.call, open.eventId, signal);
    if (!res.ok) totals.errors++;
    push({ role: 'tool', callId: open.call.id, name: open.call.name, content: res.output, isError: !res.ok });
  }

  /** Reads the task's attachments as calls of turn 1 (through the policy) and adds them to the task. */
  async function attach(list: readonly Attachment[], turnId: string): Promise<void> {
    let n = 0;
    const got = await provider.attachments(list, {
      windowTokens: cfg.context.window, redact: (t) => deps.redactor.redact(t), signal,
      runTool: async (name, args) => {
        const call = { id: `${ATTACHMENT_CALL_PREFIX}${++n}`, name, argsJson: JSON.stringify(args) };
        totals.toolCalls++;
        const callEvent = emitter.emit({ type: 'tool_call', parentId: turnId, tool: name, callId: call.id, args });
        const res = await executeToolCall(executor, call, callEvent.id, signal);
        if (!res.ok) totals.errors++;
        return res;
      },
    });
    emitter.emit({ type: 'context_added', parentId: runStart.id, items: got.items, text: got.text });
    if (got.text !== '') ctx.replaceTask(cfg.task + got.text);
  }

  for (;;) {
    const stop = stopped();
    if (stop) return stop;
    // What the next call will send: the last reported input plus what was added since.
    const next = await ctx.projection();
    const projected = projectNextCall(cfg.limits, totals, deps.price, next.reported, next.added);
    if (projected) return tripped(projected, true);
    const turn = ++totals.turns;
    const turnStart = emitter.emit({ type: 'turn_start', parentId: runStart.id, turn });
    if (turn === 1 && !cfg.resume && cfg.attachments && cfg.attachments.length > 0) {
      await attach(cfg.attachments, turnStart.id);
      if (deps.signal.aborted) return stopped() ?? end('cancelled');
    }
    const request = await ctx.prepare(turnStart.id, signal);
    const sentMessages = request.messages.length;
    const result = await callModel(deps, request, turnStart.id, signal);
    if (!result.ok) {
      if (result.error.errorClass === 'cancelled') {
        return stopped() ?? end('cancelled');
      }
      totals.errors++;
      emitter.emit({ type: 'error', parentId: turnStart.id, message: result.error.message, kind: result.error.kind, fatal: true });
      emitter.emit({ type: 'turn_end', parentId: runStart.id, turn });
      return end('failed', result.error.message);
    }
    if (result.usage.reported) {
      ctx.reportInput(result.usage.inputTokens, sentMessages);
    }
    recordUsage(result.usage, turnStart.id);
    emitter.emit({ type: 'message_end', parentId: turnStart.id, text: result.text, stopReason: result.stopReason });
    push({ role: 'assistant', text: result.text, toolCalls: result.toolCalls });

    const done: { name: string; argsJson: string; ok: boolean; output: string }[] = [];
    const newRules: (FolderRulesAdded & { parentId: string })[] = [];
    let trip: Trip | undefined;
    for (const call of result.toolCalls) {
      totals.toolCalls++;
      const callEvent = emitter.emit({ type: 'tool_call', parentId: turnStart.id, tool: call.name, callId: call.id, args: argsForEvent(call.argsJson) });
      const res = signal.aborted
        ? skipped(emitter, callEvent.id, call)
        : await executeToolCall(executor, call, callEvent.id, signal);
      if (!res.ok) totals.errors++;
      push({ role: 'tool', callId: call.id, name: call.name, content: res.output, isError: !res.ok });
      done.push({ name: call.name, argsJson: call.argsJson, ok: res.ok, output: res.output });
      for (const r of provider.rulesForCall(call.argsJson)) newRules.push({ ...r, parentId: callEvent.id });
      trip ??= repeated.record(call.name, res.ok, res.output);
    }
    // A subfolder's AGENTS.md joins the conversation after the turn's results (tool results must
    // follow their calls), the first time the run touches that folder.
    for (const r of newRules) {
      push({ role: 'user', content: r.text });
      emitter.emit({ type: 'context_added', parentId: r.parentId, items: [r.item], text: r.text });
    }
    emitter.emit({ type: 'turn_end', parentId: runStart.id, turn });
    tick();
    emitter.emit({ type: 'metrics_snapshot', parentId: runStart.id, totals: { ...totals } });
    if (result.toolCalls.length === 0) return stopped() ?? end('completed');
    // A Stop mid-turn leaves identical "not run" results: that is a cancel, not a repeated error.
    if (trip) return stopped() ?? tripped(trip);
    const idle = progress.record({ text: result.text, calls: done });
    if (idle) {
      if (cfg.guards.onNoProgress === 'stop' || !(await askToContinue(deps, turnStart.id, turn, idle, signal))) return stopped() ?? tripped(idle);
      progress.reset();
    }
  }
}

/** Puts "no progress: go on?" to whoever approves calls. Headless, nobody answers yes: the run stops. */
async function askToContinue(deps: RunDeps, turnId: string, turn: number, idle: Trip, signal: AbortSignal): Promise<boolean> {
  const { emitter } = deps;
  const callId = `agio-no-progress-${turn}`;
  const summary = `No progress for ${idle.value} turns. Let the run go on?`;
  const reason = `${idle.detail}. Allow to let it continue, deny to stop the run here.`;
  const request = emitter.emit({ type: 'approval_request', parentId: turnId, tool: 'agio', tier: 'read', summary, reason, repeatable: false, callId });
  deps.flush();
  const asked = performance.now();
  const answer = await deps.approver({ runId: emitter.runId, callId, tool: 'agio', tier: 'read', summary, args: {}, reason, repeatable: false }, signal);
  const allowed = answer.decision !== 'deny' && !signal.aborted;
  emitter.emit({
    type: 'approval_decision', parentId: request.id, decision: allowed ? 'allow' : 'deny', by: answer.by,
    reason: answer.feedback ?? (allowed ? 'the user let the run go on' : 'the run stops here'), waitedMs: Math.round(performance.now() - asked),
  });
  return allowed;
}

function unknownOutcome(emitter: RunEmitter, parentId: string, call: { id: string; name: string }) {
  const result = {
    ok: false,
    output: 'Outcome unknown: the Agio server stopped while this call ran, and it was not run again. Check the workspace before repeating it.',
    durationMs: 0,
  };
  emitter.emit({ type: 'tool_result', parentId, tool: call.name, callId: call.id, result });
  return result;
}

function skipped(emitter: RunEmitter, parentId: string, call: { id: string; name: string }) {
  const result = { ok: false, output: 'Not run: the run was stopped.', durationMs: 0 };
  emitter.emit({ type: 'tool_result', parentId, tool: call.name, callId: call.id, result });
  return result;
}

function argsForEvent(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function timeOver(limits: Limits, t: Totals) {
  return { limit: 'time' as const, value: t.elapsedMs, max: limits.maxTimeMs ?? 0 };
}
