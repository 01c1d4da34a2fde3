// The agent loop: stream the model, run its calls, next turn, until the model stops, the user cancels
// or a hook stops the run. Everything around that shape is a hook (turn-hooks.ts: budgets, attachments,
// folder rules, guards), the run's account is its ledger (run-ledger.ts) and what comes before the
// first turn its prelude (run-prelude.ts). Everything that happens is an event; the loop never throws
// for a run's failure. A child run is the same loop with other tools, another root and other hooks.
import type {
  ApprovalMode,
  Guards,
  Limits,
  Provider,
  ToolResultEnvelope,
  Totals,
  WindowSettings,
} from '../protocol/events.ts';
import type { Price } from '../models/prices.ts';
import type { ModelDriver, ToolCallRequest, ToolSpec } from '../models/types.ts';
import type { Attachment } from '../protocol/methods.ts';
import { ContextProvider } from '../context/provider.ts';
import { ContextWindow, type Summarize } from '../context/context-window.ts';
import { roughTokens } from '../context/tokens.ts';
import type { PolicyContext } from '../policy/engine.ts';
import type { Redactor } from '../policy/secrets.ts';
import type { Tool, WorkspaceFiles } from '../tools/types.ts';
import type { Approver } from './approver.ts';
import type { RunEmitter } from './emitter.ts';
import type { ResumeState } from './resume-state.ts';
import {
  callEventFields,
  executeToolCall,
  prepareCall,
  type PreparedCall,
  type ToolExecutorDeps,
} from './tool-executor.ts';
import { isTrip, planNextCall, type Trip } from './guards.ts';
import { callModel } from './model-call.ts';
import { argsComplete, cutCallOutput, cutNotice, wasCut } from './output-cut.ts';
import { RunLedger, type RunOutcome } from './run-ledger.ts';
import { openRun, settleOpenCalls } from './run-prelude.ts';
import {
  attachmentsHook,
  budgetHook,
  combineHooks,
  folderRulesHook,
  guardsHook,
  type TurnHooks,
} from './turn-hooks.ts';

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
  /** Recorded in run_start: full-auto may run workspace code without a sandbox (the user's opt-in). */
  unsandboxedFullAuto?: boolean;
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

export async function runAgent(cfg: RunConfig, deps: RunDeps): Promise<RunOutcome> {
  const { emitter } = deps;
  const ledger = new RunLedger({
    emitter,
    limits: cfg.limits,
    signal: deps.signal,
    price: deps.price,
    model: deps.driver.model,
    flush: deps.flush,
    resumed: cfg.resume?.totals,
  });
  const runStart = openRun(cfg, emitter, deps.warnings ?? []);
  ledger.opened(runStart);
  const signal = ledger.signal;
  // Provider: the system prompt and the project's root rules, fixed for the whole run.
  const provider = new ContextProvider({
    cwd: cfg.cwd,
    approval: cfg.approval,
    sandbox: cfg.sandbox,
    trusted: cfg.trusted,
    tools: deps.tools.map((t) => ({ name: t.name, tier: t.tier })),
    redact: (t) => deps.redactor.redact(t),
    ...(cfg.resume ? { folderRulesGiven: cfg.resume.folderRules } : {}),
  });
  if (provider.rootItems.length > 0 && !cfg.resume)
    emitter.emit({ type: 'context_added', parentId: runStart.id, items: provider.rootItems });
  // The model's output cap per call, as resolved for the run (the model table, --max-output, the
  // settings); the budgets may lower it for a call (budgetHook). Every call sends it to the provider.
  const modelCap = Math.min(deps.maxOutputTokens ?? cfg.context.maxOutput, cfg.context.maxOutput);
  // The compaction summary is a model call of its own: its tokens and cost count like any other, and
  // its output cap is kept inside the budgets as a turn's is (with no room, the summary is mechanical).
  const summarize: Summarize = async (req, parentId) => {
    const text = req.system + req.messages.map((m) => (m.role === 'assistant' ? m.text : m.content)).join('');
    const plan = planNextCall(
      cfg.limits,
      ledger.totals,
      deps.price,
      { reported: 0, added: roughTokens(text) },
      req.maxOutputTokens,
    );
    if (isTrip(plan)) return { ok: false, error: `no summary call: ${plan.detail}, within the ${plan.limit} budget` };
    const r = await deps.driver.complete({ ...req, maxOutputTokens: plan.maxOutputTokens }, signal, {
      onTextDelta: () => {},
      onRetry: (attempt, reason, status) =>
        emitter.emit({ type: 'retry', parentId, attempt, reason, ...(status !== undefined ? { status } : {}) }),
    });
    if (!r.ok) return { ok: false, error: r.error.message };
    ledger.recordUsage(r.usage, parentId);
    return { ok: true, text: r.text };
  };
  const conversation = new ContextWindow(
    cfg.context,
    {
      system: provider.system,
      tools: deps.toolSpecs,
      messages: cfg.resume ? [...cfg.resume.messages] : [{ role: 'user', content: cfg.task }],
      maxOutputTokens: modelCap,
    },
    { emit: (d) => emitter.emit(d), summarize },
  );
  if (cfg.compactFirst) conversation.requestCompaction();
  if (deps.control) deps.control.compact = () => conversation.requestCompaction();
  const executor: ToolExecutorDeps = {
    emitter,
    approver: deps.approver,
    policy: deps.policy,
    tools: deps.tools,
    launcher: deps.launcher,
    redactor: deps.redactor,
    context: { root: cfg.cwd, files: deps.files, env: deps.env },
    beforeSideEffect: deps.flush,
    ...(deps.checkpoints ? { checkpoints: deps.checkpoints } : {}),
  };
  const runToolCall = (call: ToolCallRequest | PreparedCall, parentId: string) =>
    executeToolCall(executor, call, parentId, signal);
  // A call's arguments are parsed once, here: its event, the policy, the approval and the tool use them.
  const startCall = (call: ToolCallRequest, turnId: string) => {
    const prepared = prepareCall(deps.tools, call);
    return {
      prepared,
      eventId: emitter.emit({ type: 'tool_call', parentId: turnId, ...callEventFields(prepared) }).id,
    };
  };
  const settled = await settleOpenCalls(cfg.resume, emitter, runToolCall);
  ledger.totals.errors += settled.errors;
  for (const m of settled.messages) conversation.pushToolResult(m);
  const hooks = combineHooks([
    budgetHook(ledger, cfg.limits, deps.price, conversation, modelCap),
    ...(!cfg.resume && cfg.attachments && cfg.attachments.length > 0
      ? [
          attachmentsHook({
            attachments: cfg.attachments,
            task: cfg.task,
            windowTokens: cfg.context.window,
            provider,
            conversation,
            ledger,
            emitter,
            redact: (t) => deps.redactor.redact(t),
            startCall,
            runToolCall,
            userSignal: deps.signal,
          }),
        ]
      : []),
    folderRulesHook(provider, conversation, emitter),
    guardsHook({
      guards: cfg.guards,
      ledger,
      emitter,
      approver: deps.approver,
      flush: deps.flush,
    }),
  ]);
  return runLoop({
    deps,
    ledger,
    limits: cfg.limits,
    conversation,
    hooks,
    startCall,
    runToolCall,
    runStartId: runStart.id,
  });
}

interface Loop {
  deps: RunDeps;
  ledger: RunLedger;
  limits: Limits;
  conversation: ContextWindow;
  hooks: TurnHooks;
  startCall: (call: ToolCallRequest, turnId: string) => { prepared: PreparedCall; eventId: string };
  runToolCall: (call: PreparedCall, parentId: string) => Promise<ToolResultEnvelope>;
  runStartId: string;
}

/** The loop's whole shape: a turn streams the model, then runs its calls; the hooks decide the rest. */
async function runLoop({
  deps,
  ledger,
  limits,
  conversation,
  hooks,
  startCall,
  runToolCall,
  runStartId,
}: Loop): Promise<RunOutcome> {
  const { emitter } = deps;
  const { signal, totals } = ledger;
  for (;;) {
    const stop = await hooks.beforeTurn();
    if (stop) return stop;
    const turn = ++totals.turns;
    const turnStart = emitter.emit({ type: 'turn_start', parentId: runStartId, turn });
    const early = await hooks.turnStarted(turn, turnStart.id);
    if (early) return early;
    const decision = await hooks.beforeCall(await conversation.prepare(turnStart.id, signal));
    if ('trip' in decision) {
      emitter.emit({ type: 'turn_end', parentId: runStartId, turn });
      return ledger.tripped(decision.trip, true);
    }
    const { request, cappedBy } = decision;
    const sentMessages = request.messages.length;
    const result = await callModel(deps, request, turnStart.id, signal);
    if (!result.ok) {
      if (result.error.errorClass === 'cancelled') return ledger.stopped() ?? ledger.end('cancelled');
      totals.errors++;
      emitter.emit({
        type: 'error',
        parentId: turnStart.id,
        message: result.error.message,
        kind: result.error.kind,
        fatal: true,
      });
      emitter.emit({ type: 'turn_end', parentId: runStartId, turn });
      return ledger.end('failed', result.error.message);
    }
    if (result.usage.reported) conversation.reportInput(result.usage.inputTokens, sentMessages);
    ledger.recordUsage(result.usage, turnStart.id);
    emitter.emit({ type: 'message_end', parentId: turnStart.id, text: result.text, stopReason: result.stopReason });
    conversation.push({ role: 'assistant', text: result.text, toolCalls: result.toolCalls });
    const cut = wasCut(result.stopReason);
    let callsCut = 0;
    for (const call of result.toolCalls) {
      totals.toolCalls++;
      const { prepared, eventId } = startCall(call, turnStart.id);
      const cutOff = cut && !argsComplete(call.argsJson);
      if (cutOff) callsCut++;
      const res = signal.aborted
        ? skipped(emitter, eventId, call, 'Not run: the run was stopped.')
        : cutOff
          ? skipped(emitter, eventId, call, cutCallOutput(request.maxOutputTokens))
          : await runToolCall(prepared, eventId);
      if (!res.ok) totals.errors++;
      conversation.pushToolResult({
        role: 'tool',
        callId: call.id,
        name: call.name,
        content: res.output,
        isError: !res.ok,
      });
      hooks.afterToolCall(call, eventId, res);
    }
    hooks.endOfTurn();
    if (cut) {
      const message = cutNotice(turn, request.maxOutputTokens, cappedBy, callsCut);
      emitter.emit({ type: 'notice', parentId: runStartId, kind: 'output_cut', message });
    }
    emitter.emit({ type: 'turn_end', parentId: runStartId, turn });
    ledger.snapshot();
    // The budget's remainder cut the reply: the budget is spent, whatever the model meant to do next.
    if (cut && cappedBy) return ledger.stopped() ?? ledger.tripped(spentBudget(totals, limits, cappedBy));
    // The model asked for nothing more: the task is done.
    if (result.toolCalls.length === 0) return ledger.stopped() ?? ledger.end('completed');
    const after = await hooks.afterTurn(turn, turnStart.id, result.text);
    if (after) return after;
  }
}

/** The budget that a cut reply used up, as it stands after the call. */
function spentBudget(t: Totals, limits: Limits, by: 'tokens' | 'cost'): Trip {
  const detail = "the model's reply was cut at what the budget had left";
  return by === 'tokens'
    ? { limit: 'tokens', value: t.inputTokens + t.outputTokens, max: limits.maxTokens ?? 0, detail }
    : { limit: 'cost', value: t.costUsd, max: limits.maxCostUsd ?? 0, detail };
}

function skipped(
  emitter: RunEmitter,
  parentId: string,
  call: { id: string; name: string },
  output: string,
): ToolResultEnvelope {
  const result = { ok: false, output, durationMs: 0 };
  emitter.emit({ type: 'tool_result', parentId, tool: call.name, callId: call.id, result });
  return result;
}
