// What a run does before its first turn: announce itself (run_start, or run_resumed for a run that
// continues), report settings problems and notices, and for a resumed run settle the calls its
// interruption left open. An unanswered approval is asked again; a call that had started is never run
// twice, and the model is told its outcome is unknown.
import type { Message, ToolCallRequest } from '../models/types.ts';

type ToolMessage = Extract<Message, { role: 'tool' }>;
import type { EventOf, ToolResultEnvelope } from '../protocol/events.ts';
import type { RunEmitter } from './emitter.ts';
import type { ResumeState } from './resume-state.ts';
import type { RunConfig } from './runner.ts';

export function openRun(cfg: RunConfig, emitter: RunEmitter, warnings: readonly string[]): EventOf<'run_start'> {
  const runStart = cfg.resume
    ? cfg.resume.runStart
    : emitter.emit({
        type: 'run_start',
        parentId: null,
        task: cfg.task,
        cwd: cfg.cwd,
        provider: cfg.provider,
        model: cfg.model,
        agioVersion: cfg.agioVersion,
        approval: cfg.approval,
        limits: cfg.limits,
        guards: cfg.guards,
        sandbox: cfg.sandbox,
        trusted: cfg.trusted,
        unsandboxedFullAuto: cfg.unsandboxedFullAuto === true,
        pid: process.pid,
        ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}),
        context: cfg.context,
      });
  if (cfg.resume)
    emitter.emit({
      type: 'run_resumed',
      parentId: runStart.id,
      pid: process.pid,
      reason: 'resumed by the user from its recorded conversation',
    });
  for (const message of warnings)
    emitter.emit({ type: 'error', parentId: runStart.id, message, kind: 'policy_file', fatal: false });
  // A resumed run told the user already, when it started.
  if (!cfg.resume)
    for (const n of cfg.notices ?? [])
      emitter.emit({ type: 'notice', parentId: runStart.id, kind: n.kind, message: n.message });
  return runStart;
}

/** The tool results that close a resumed run's open calls, in order: the messages its conversation
 * continues with. */
export async function settleOpenCalls(
  resume: ResumeState | undefined,
  emitter: RunEmitter,
  runToolCall: (call: ToolCallRequest, parentId: string) => Promise<ToolResultEnvelope>,
): Promise<{ messages: ToolMessage[]; errors: number }> {
  const messages: ToolMessage[] = [];
  let errors = 0;
  for (const open of resume?.openCalls ?? []) {
    const res = open.started
      ? unknownOutcome(emitter, open.eventId, open.call)
      : await runToolCall(open.call, open.eventId);
    if (!res.ok) errors++;
    messages.push({ role: 'tool', callId: open.call.id, name: open.call.name, content: res.output, isError: !res.ok });
  }
  return { messages, errors };
}

function unknownOutcome(emitter: RunEmitter, parentId: string, call: { id: string; name: string }): ToolResultEnvelope {
  const result = {
    ok: false,
    output:
      'Outcome unknown: the Agio server stopped while this call ran, and it was not run again. Check the workspace before repeating it.',
    durationMs: 0,
  };
  emitter.emit({ type: 'tool_result', parentId, tool: call.name, callId: call.id, result });
  return result;
}
