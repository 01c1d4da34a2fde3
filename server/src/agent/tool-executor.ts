// One tool call, start to finish: validate the arguments (once: everything after uses the parsed
// value), ask the policy, ask the user if needed, run the tool, and record each step as an event under
// the call's `tool_call` event.
import type { ToolResultEnvelope } from '../protocol/events.ts';
import type { ToolCallRequest } from '../models/types.ts';
import { decide, readApprovalFor, type PolicyContext, type PolicyDecision } from '../policy/engine.ts';
import { previewWrite } from '../policy/preview.ts';
import { addGrantedRules } from '../policy/granted-rules.ts';
import type { Redactor } from '../policy/secrets.ts';
import { getTool, parseToolArgs, type ParsedArgs } from '../tools/registry.ts';
import type { Tool, ToolContext, ToolOutcome } from '../tools/types.ts';
import { nodeNetwork, nodeProcesses } from '../workspace/node-processes.ts';
import type { Approver } from './approver.ts';
import { LiveOutput } from './live-output.ts';
import type { RunEmitter } from './emitter.ts';
import { CheckpointFailed, type RunCheckpoints } from '../checkpoints/run-checkpoints.ts';

export interface ToolExecutorDeps {
  emitter: RunEmitter;
  approver: Approver;
  policy: PolicyContext;
  tools: readonly Tool[];
  /** The tools' seams; processes and network default to the real ones. */
  context: Omit<ToolContext, 'onOutput' | 'signal' | 'launch' | 'processes' | 'network' | 'readNeedsApproval'> &
    Partial<Pick<ToolContext, 'processes' | 'network'>>;
  /** How a command line becomes a process: inside the sandbox when there is one. */
  launcher: (command: string, allowNetwork: boolean) => { file: string; args: string[]; afterExit?: () => void };
  redactor: Redactor;
  /** Called before anything with side effects, so the log is durable up to that point. */
  beforeSideEffect: () => void;
  /** Snapshots before writes and commands, so a run can be undone. */
  checkpoints?: RunCheckpoints;
}

/** A call as the model sent it, with its tool looked up and its arguments parsed: done once, before
 * the `tool_call` event, which then carries the tool's own summary. */
export interface PreparedCall extends ToolCallRequest {
  readonly tool: Tool | undefined;
  /** Undefined when the tool is unknown. */
  readonly parsed: ParsedArgs | undefined;
}

export function prepareCall(tools: readonly Tool[], call: ToolCallRequest): PreparedCall {
  if ('parsed' in call) return call as PreparedCall;
  const tool = getTool(call.name, tools);
  return {
    id: call.id,
    name: call.name,
    argsJson: call.argsJson,
    tool,
    parsed: tool ? parseToolArgs(tool, call.argsJson) : undefined,
  };
}

/** The `tool_call` event's fields: what the model sent (parsed when it was JSON, the raw text
 * otherwise) and, when the arguments fit the tool, its one-line summary. */
export function callEventFields(call: PreparedCall): { tool: string; callId: string; args: unknown; summary?: string } {
  let args: unknown;
  try {
    args = JSON.parse(call.argsJson);
  } catch {
    args = call.argsJson;
  }
  const summary = call.tool && call.parsed?.ok ? call.tool.summarize(call.parsed.args) : undefined;
  return { tool: call.name, callId: call.id, args, ...(summary !== undefined ? { summary } : {}) };
}

export async function executeToolCall(
  deps: ToolExecutorDeps,
  raw: ToolCallRequest | PreparedCall,
  parentId: string,
  signal: AbortSignal,
): Promise<ToolResultEnvelope> {
  const { emitter, redactor } = deps;
  // The call's own time starts when it runs: a wait for the user's answer is counted apart (waitedMs).
  let started = performance.now();
  const finish = (outcome: ToolOutcome): ToolResultEnvelope => {
    // Nothing secret reaches the model or the log, whatever a command printed or a file held.
    const result: ToolResultEnvelope = {
      ...outcome,
      output: redactor.redact(outcome.output),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    if (outcome.stdout !== undefined) result.stdout = redactor.redact(outcome.stdout);
    if (outcome.stderr !== undefined) result.stderr = redactor.redact(outcome.stderr);
    emitter.emit({ type: 'tool_result', parentId, tool: call.name, callId: call.id, result });
    return result;
  };

  const call = prepareCall(deps.tools, raw);
  const { tool, parsed } = call;
  if (!tool || !parsed) {
    const names = deps.tools.map((t) => t.name).join(', ');
    return finish({ ok: false, output: `Unknown tool "${call.name}". Available tools: ${names}.` });
  }
  if (!parsed.ok) return finish({ ok: false, output: parsed.error });
  const args = parsed.args as Record<string, unknown>;

  const decision = await decide(tool, args, deps.policy);
  const details = decision.details.length > 0 ? { details: decision.details } : {};
  if (decision.verdict === 'deny') {
    emitter.emit({
      type: 'approval_decision',
      parentId,
      decision: 'deny',
      by: 'policy',
      reason: decision.reason,
      ...details,
    });
    return finish({ ok: false, output: `The ${tool.name} call was not run: ${decision.reason}.` });
  }
  if (decision.verdict === 'ask') {
    const denial = await askUser(deps, tool, args, decision, call.id, parentId, signal);
    started = performance.now(); // the wait was the user's, not the call's
    if (denial !== undefined) return finish({ ok: false, output: denial });
  } else {
    emitter.emit({
      type: 'approval_decision',
      parentId,
      decision: 'allow',
      by: 'policy',
      reason: decision.reason,
      ...details,
    });
  }
  if (signal.aborted) return finish({ ok: false, output: 'Cancelled before the tool ran.' });
  started = performance.now();

  if (tool.tier !== 'read') deps.beforeSideEffect();
  const checkpoints = tool.tier === 'write' || tool.tier === 'exec' ? deps.checkpoints : undefined;
  const files =
    checkpoints && tool.tier === 'write' ? checkpoints.files(deps.context.files, parentId) : deps.context.files;
  // Live output is bounded and redacted across chunks; what it held is shown when the tool returns,
  // before the checkpoint's after-scan and the result.
  const live = new LiveOutput(
    (stream, chunk) => emitter.emit({ type: 'tool_output', parentId, stream, chunk }),
    redactor,
  );
  try {
    // What a launch left on the host for the command's sake (the sandbox's placeholder folders) is
    // undone when the tool returns, before the checkpoint looks at the workspace again.
    const afterExit: (() => void)[] = [];
    const execute = async () => {
      try {
        const outcome = await tool.execute(args, {
          ...deps.context,
          processes: deps.context.processes ?? nodeProcesses,
          network: deps.context.network ?? nodeNetwork,
          files,
          signal,
          readNeedsApproval: readApprovalFor(tool, args, decision, deps.policy),
          launch: (command: string) => {
            const launch = deps.launcher(command, decision.allowNetwork ?? false);
            if (launch.afterExit) afterExit.push(launch.afterExit);
            return launch;
          },
          onOutput: (stream, chunk) => live.write(stream, chunk),
        });
        live.end();
        return outcome;
      } finally {
        for (const undo of afterExit.splice(0)) undo();
      }
    };
    const outcome =
      checkpoints && tool.tier === 'exec' ? await checkpoints.aroundExec(parentId, execute) : await execute();
    return finish(outcome);
  } catch (err) {
    live.end();
    if (err instanceof CheckpointFailed) return finish({ ok: false, output: `Not run: ${err.message}.` });
    // Tools return expected failures as data; anything thrown is a bug, still reported, never fatal.
    return finish({ ok: false, output: `${tool.name} failed unexpectedly: ${(err as Error).message ?? String(err)}` });
  }
}

/** Asks the approver; returns the message for the model when the call is denied. */
async function askUser(
  deps: ToolExecutorDeps,
  tool: Tool,
  args: Record<string, unknown>,
  decision: PolicyDecision,
  callId: string,
  parentId: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const { emitter } = deps;
  const summary = tool.summarize(args);
  const preview = await previewWrite(tool, args, { root: deps.policy.root, files: deps.context.files });
  const diff = preview?.diff;
  emitter.emit({
    type: 'approval_request',
    parentId,
    tool: tool.name,
    tier: tool.tier,
    summary,
    reason: decision.reason,
    repeatable: decision.grant !== undefined,
    ...(decision.details.length > 0 ? { details: decision.details } : {}),
    ...(diff !== undefined ? { diff } : {}),
  });
  // The request is on disk before anyone sees it: a crash while waiting keeps it visible.
  deps.beforeSideEffect();
  const asked = performance.now();
  const answer = await deps.approver(
    {
      runId: emitter.runId,
      callId,
      tool: tool.name,
      tier: tool.tier,
      summary,
      args,
      reason: decision.reason,
      repeatable: decision.grant !== undefined,
      ...(preview ? { diff: preview.diff, ...(preview.proposed ? { proposed: preview.proposed } : {}) } : {}),
    },
    signal,
  );
  let reason = answer.feedback ?? (answer.decision === 'deny' ? 'denied by the user' : 'approved by the user');
  if (answer.decision === 'allow_session' || answer.decision === 'always') {
    if (decision.grant) {
      deps.policy.grants.add(decision.grant);
      if (answer.decision === 'always') reason += `; rule saved: ${persistGrant(deps, decision.grant)}`;
    } else {
      reason += '; this kind of call asks every time, so it was allowed once';
    }
  }
  const waitedMs = Math.round(performance.now() - asked);
  emitter.emit({ type: 'approval_decision', parentId, decision: answer.decision, by: answer.by, reason, waitedMs });
  if (answer.decision !== 'deny') return undefined;
  const why = answer.feedback ? ` Reason: ${answer.feedback}` : '';
  return `The ${tool.name} call was denied (${tool.name} ${summary}). It needed approval because ${decision.reason}.${why}`;
}

/** "Always" writes a rule into the user's own config, for this workspace only: never into the
 * workspace, where a rule could come from a cloned repository. Rules hold program names, folders and
 * hosts, never a command's arguments. */
function persistGrant(deps: ToolExecutorDeps, grant: NonNullable<PolicyDecision['grant']>): string {
  const { file, workspace } = deps.policy.rules.grants;
  const [group, items] =
    grant.kind === 'commands'
      ? (['commands', grant.patterns] as const)
      : grant.kind === 'paths'
        ? (['paths', grant.patterns] as const)
        : (['network', grant.hosts] as const);
  const safe = items.map((i) => deps.redactor.redact(i)).filter((i) => !i.includes('[REDACTED'));
  try {
    addGrantedRules(file, workspace, group, 'allow', safe);
    return `allow ${safe.join(', ')} for ${workspace} in ${file}`;
  } catch (err) {
    return `could not write ${file} (${(err as Error).message}); allowed for this session only`;
  }
}
