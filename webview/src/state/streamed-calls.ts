// Tool calls the model is still writing (tool_call_delta), as cards in the `writing` state: opened by
// the call's first delta, grown by the next ones, continued in place by its tool_call (the same row,
// never a second card), thrown away by a retry. Kept apart from fold.ts, which calls in at those four
// points. A writing card is an open call (OpenCall.eventId is then its first delta's id), so it is
// found without a search and closed as interrupted with the others when a run stops mid-stream.
import type { EventOf } from '../../../server/src/protocol/events.ts';
import { get, push, type PVec, set } from '../../../server/src/protocol/pvec.ts';
import type { DisplayItem, OpenCall, ToolItem } from './types.ts';

/** The part of the fold's draft state these cards live in. */
export interface CallsDraft {
  items: PVec<DisplayItem>;
  openCalls: readonly OpenCall[];
}

function writingCall(d: CallsDraft, callId: string): { open: OpenCall; item: ToolItem } | undefined {
  for (const open of d.openCalls) {
    if (open.callId !== callId) continue;
    const item = get(d.items, open.index);
    if (item?.kind === 'tool' && item.status === 'writing') return { open, item };
  }
  return undefined;
}

export function streamCall(d: CallsDraft, ev: EventOf<'tool_call_delta'>, turn: number): void {
  const found = writingCall(d, ev.callId);
  const summary = ev.preview ?? found?.item.summary ?? '';
  if (found) {
    const item: ToolItem = { ...found.item, tool: ev.tool, summary, argsChars: ev.argsChars, version: ev.seq };
    d.items = set(d.items, found.open.index, item);
    return;
  }
  d.items = push(d.items, {
    kind: 'tool',
    id: ev.id,
    version: ev.seq,
    turn,
    callId: ev.callId,
    tool: ev.tool,
    args: {},
    summary,
    startTs: ev.ts,
    output: '',
    status: 'writing',
    argsChars: ev.argsChars,
  });
  d.openCalls = [...d.openCalls, { eventId: ev.id, callId: ev.callId, index: d.items.size - 1 }];
}

/** The call's tool_call: its card takes the writing card's row (keeping that row's key), or is added. */
export function placeCall(d: CallsDraft, card: ToolItem): number {
  const found = writingCall(d, card.callId);
  if (!found) {
    d.items = push(d.items, card);
    return d.items.size - 1;
  }
  d.items = set(d.items, found.open.index, { ...card, rowKey: found.item.rowKey ?? found.item.id });
  d.openCalls = d.openCalls.filter((c) => c !== found.open);
  return found.open.index;
}

/** The message is complete: the calls it wrote wait for the ones before them to run. */
export function callsWritten(d: CallsDraft, turn: number, seq: number): void {
  for (const open of d.openCalls) {
    const item = get(d.items, open.index);
    if (item?.kind === 'tool' && item.status === 'writing' && item.turn === turn && !item.written)
      d.items = set(d.items, open.index, { ...item, written: true, version: seq });
  }
}

/** A retry: what this turn's attempt was writing is void; the next attempt writes its calls afresh. */
export function discardWritingCalls(d: CallsDraft, turn: number, seq: number): void {
  const kept: OpenCall[] = [];
  for (const open of d.openCalls) {
    const item = get(d.items, open.index);
    if (item?.kind === 'tool' && item.status === 'writing' && item.turn === turn)
      d.items = set(d.items, open.index, { ...item, discarded: true, version: seq });
    else kept.push(open);
  }
  if (kept.length !== d.openCalls.length) d.openCalls = kept;
}

/** The row's key in the chat list: a card keeps the key it was born with. */
export function rowKey(item: DisplayItem): string {
  return (item.kind === 'tool' ? item.rowKey : undefined) ?? item.id;
}
