// Rebuilds where an interrupted run stood from its event log (the log is the truth): the conversation
// the model saw, the totals, and the tool calls left without a result. A call whose approval was never
// answered is asked again; a call that had started has an unknown outcome and is never run again.
import type { AgioEvent, EventOf, Totals } from '../protocol/events.ts';
import type { Message, ToolCallRequest } from '../models/types.ts';
import { emptyTotals } from './totals.ts';
import { ATTACHMENT_CALL_PREFIX } from '../context/attachments.ts';

export interface OpenCall {
  call: ToolCallRequest;
  /** The tool_call event's id: its approval and result events hang under it. */
  eventId: string;
  /** true: the call was allowed and had started, so what it did is unknown. */
  started: boolean;
}

export interface ResumeState {
  runStart: EventOf<'run_start'>;
  messages: Message[];
  totals: Totals;
  openCalls: OpenCall[];
  lastSeq: number;
  /** The last checkpoint step taken: the resumed run numbers on from here. */
  lastCheckpointStep: number;
  /** Subfolder rules files already in the conversation, so they are not added twice. */
  folderRules: string[];
}

export function rebuildRun(events: readonly AgioEvent[]): ResumeState | { error: string } {
  const runStart = events[0];
  if (runStart?.type !== 'run_start') return { error: 'the run has no run_start event' };
  const last = events[events.length - 1]!;
  if (last.type === 'run_end') return { error: `the run already ended (${last.status}); start a new run instead` };
  const messages: Message[] = [{ role: 'user', content: runStart.task }];
  const totals = emptyTotals();
  const calls = new Map<string, { event: EventOf<'tool_call'>; decided: boolean; result?: EventOf<'tool_result'> }>();
  const order: string[] = [];
  let lastCheckpointStep = 0;
  // Tool calls of a turn follow its message_end; their results come in order after them.
  let pendingAssistant: Extract<Message, { role: 'assistant' }> | undefined;
  const afterTools: string[] = [];
  const folderRules: string[] = [];
  const flushAssistant = () => {
    if (!pendingAssistant) return;
    messages.push(pendingAssistant);
    for (const id of order) {
      const c = calls.get(id)!;
      if (c.result) messages.push({ role: 'tool', callId: c.event.callId, name: c.event.tool, content: c.result.result.output, isError: !c.result.result.ok });
    }
    for (const text of afterTools.splice(0)) messages.push({ role: 'user', content: text });
    pendingAssistant = undefined;
  };
  for (const e of events) {
    switch (e.type) {
      case 'turn_start':
        flushAssistant();
        order.length = 0;
        totals.turns = e.turn;
        break;
      case 'message_end':
        pendingAssistant = { role: 'assistant', text: e.text, toolCalls: [] };
        break;
      case 'context_added':
        // What the task came with (attachments) is part of its first message; rules found later
        // came as a message of their own after that turn's tool results.
        if (e.text === undefined) break;
        if (e.parentId === runStart.id) messages[0] = { role: 'user', content: runStart.task + e.text };
        else {
          afterTools.push(e.text);
          for (const item of e.items) if (item.kind === 'rules') folderRules.push(item.label);
        }
        break;
      case 'tool_call':
        totals.toolCalls++;
        // The reads of the task's attachments (turn 1, before the model spoke) are not the model's calls.
        if (e.callId.startsWith(ATTACHMENT_CALL_PREFIX)) break;
        calls.set(e.id, { event: e, decided: false });
        order.push(e.id);
        pendingAssistant?.toolCalls.push({ id: e.callId, name: e.tool, argsJson: typeof e.args === 'string' ? e.args : JSON.stringify(e.args) });
        break;
      case 'approval_decision': {
        const c = e.parentId ? calls.get(e.parentId) : undefined;
        if (c && e.decision !== 'deny') c.decided = true;
        break;
      }
      case 'tool_result': {
        const c = e.parentId ? calls.get(e.parentId) : undefined;
        if (c) c.result = e;
        if (!e.result.ok) totals.errors++;
        break;
      }
      case 'usage':
        totals.inputTokens += e.inputTokens;
        totals.outputTokens += e.outputTokens;
        totals.cachedTokens += e.cachedTokens;
        totals.costUsd += e.costUsd;
        break;
      case 'checkpoint':
        lastCheckpointStep = Math.max(lastCheckpointStep, e.step);
        break;
      case 'metrics_snapshot':
        totals.elapsedMs = e.totals.elapsedMs;
        break;
      default:
        break;
    }
  }
  // The last turn: its calls without results are what the interruption left open.
  const openCalls = order
    .map((id) => calls.get(id)!)
    .filter((c) => !c.result)
    .map((c) => ({
      call: { id: c.event.callId, name: c.event.tool, argsJson: typeof c.event.args === 'string' ? c.event.args : JSON.stringify(c.event.args) },
      eventId: c.event.id,
      started: c.decided,
    }));
  flushAssistant();
  return { runStart, messages, totals, openCalls, lastSeq: last.seq, lastCheckpointStep, folderRules };
}
