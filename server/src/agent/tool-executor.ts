// One tool call, start to finish: validate the arguments, ask the policy, ask the user if needed,
// run the tool, and record each step as an event under the call's `tool_call` event.
import type { ApprovalMode, ToolResultEnvelope } from '../protocol/events.ts';
import { getTool, parseToolArgs } from '../tools/registry.ts';
import type { Tool, ToolContext, ToolOutcome } from '../tools/types.ts';
import type { Approver } from './approver.ts';
import type { RunEmitter } from './emitter.ts';
import { decide, type SessionGrants } from './policy.ts';
import type { ToolCallRequest } from '../models/types.ts';

export interface ToolExecutorDeps {
  emitter: RunEmitter;
  approval: ApprovalMode;
  approver: Approver;
  grants: SessionGrants;
  tools: readonly Tool[];
  context: Omit<ToolContext, 'onOutput' | 'signal'>;
  /** Called before a tool with side effects runs, so the log is durable up to that point. */
  beforeSideEffect: () => void;
}

export async function executeToolCall(
  deps: ToolExecutorDeps,
  call: ToolCallRequest,
  parentId: string,
  signal: AbortSignal,
): Promise<ToolResultEnvelope> {
  const { emitter } = deps;
  const started = performance.now();
  const finish = (outcome: ToolOutcome): ToolResultEnvelope => {
    const result = { ...outcome, durationMs: Math.round((performance.now() - started) * 1000) / 1000 };
    emitter.emit({ type: 'tool_result', parentId, tool: call.name, callId: call.id, result });
    return result;
  };

  const tool = getTool(call.name, deps.tools);
  if (!tool) {
    const names = deps.tools.map((t) => t.name).join(', ');
    return finish({ ok: false, output: `Unknown tool "${call.name}". Available tools: ${names}.` });
  }
  const parsed = parseToolArgs(tool, call.argsJson);
  if (!parsed.ok) return finish({ ok: false, output: parsed.error });

  const policy = decide(deps.approval, tool.tier);
  let verdict = policy.verdict;
  if (verdict === 'ask' && deps.grants.has(tool.name)) {
    emitter.emit({ type: 'approval_decision', parentId, decision: 'allow', by: 'policy', reason: `${tool.name} was allowed for this session` });
    verdict = 'allow';
  } else if (verdict === 'ask') {
    const summary = tool.summarize(parsed.args);
    emitter.emit({ type: 'approval_request', parentId, tool: tool.name, tier: tool.tier, summary, reason: policy.reason });
    // The request must be on disk before anyone sees it: a crash while waiting keeps it visible.
    deps.beforeSideEffect();
    const answer = await deps.approver(
      { runId: emitter.runId, callId: call.id, tool: tool.name, tier: tool.tier, summary, args: parsed.args, reason: policy.reason },
      signal,
    );
    const reason = answer.feedback ?? (answer.decision === 'deny' ? 'denied by the user' : 'approved by the user');
    emitter.emit({ type: 'approval_decision', parentId, decision: answer.decision, by: answer.by, reason });
    if (answer.decision === 'allow_session' || answer.decision === 'always') deps.grants.grant(tool.name);
    if (answer.decision === 'deny') {
      const why = answer.feedback ? ` Reason: ${answer.feedback}` : '';
      return finish({ ok: false, output: `The ${tool.name} call was denied (${summary}).${why}` });
    }
    verdict = 'allow';
  } else {
    emitter.emit({ type: 'approval_decision', parentId, decision: verdict === 'allow' ? 'allow' : 'deny', by: 'policy', reason: policy.reason });
  }
  if (verdict === 'deny') {
    return finish({ ok: false, output: `The ${tool.name} call was not run: ${policy.reason}.` });
  }
  if (signal.aborted) return finish({ ok: false, output: 'Cancelled before the tool ran.' });

  if (tool.tier !== 'read') deps.beforeSideEffect();
  try {
    const outcome = await tool.execute(parsed.args, {
      ...deps.context,
      signal,
      onOutput: (stream: 'stdout' | 'stderr', chunk: string) => emitter.emit({ type: 'tool_output', parentId, stream, chunk }),
    });
    return finish(outcome);
  } catch (err) {
    // Tools return expected failures as data; anything thrown is a bug, still reported, never fatal.
    return finish({ ok: false, output: `${tool.name} failed unexpectedly: ${(err as Error).message ?? String(err)}` });
  }
}
