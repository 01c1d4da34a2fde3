// Where an interrupted run stood, for the loop to go on from: read off the one projection of its event
// log (protocol/projection.ts) — the conversation the model last saw (compactions applied), the totals,
// and the tool calls left without a result. A call whose approval was never answered is asked again; a
// call that had started has an unknown outcome and is never run again.
import type { AgioEvent, EventOf, Totals } from '../protocol/events.ts';
import type { Message, ToolCallRequest } from '../models/types.ts';
import { conversationOf, isModelCall, lastTurn, projectAll } from '../protocol/projection.ts';

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
  const p = projectAll(events);
  // The last turn: its calls without results are what the interruption left open.
  const openCalls = (lastTurn(p)?.calls ?? [])
    .filter((c) => isModelCall(c) && !c.result)
    .map((c) => ({
      call: { id: c.callId, name: c.tool, argsJson: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) },
      eventId: c.eventId,
      started: c.decision !== undefined && c.decision.decision !== 'deny',
    }));
  return {
    runStart,
    messages: conversationOf(p),
    totals: { ...p.totals },
    openCalls,
    lastSeq: last.seq,
    lastCheckpointStep: p.lastCheckpointStep,
    folderRules: [...p.folderRules],
  };
}
