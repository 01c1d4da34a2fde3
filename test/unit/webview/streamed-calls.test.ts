// A tool call's card while the model writes its arguments: deltas open and grow one `writing` card, the
// tool_call continues it in the same row (same index, same row key), a retry leaves no stale card.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent, EventDraft } from '../../../server/src/protocol/events.ts';
import { get, toArray } from '../../../server/src/protocol/pvec.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import { rowKey } from '../../../webview/src/state/streamed-calls.ts';
import type { RunState, ToolItem } from '../../../webview/src/state/types.ts';
import { RUN, ev } from './realistic-run.ts';

const TURN = `${RUN}.2`;
const WRITE_ARGS = { path: 'src/big.ts', content: 'x'.repeat(50_000) };

/** Events from seq 1, one ms apart. */
function events(drafts: EventDraft[]): AgioEvent[] {
  return drafts.map((d, i) => ev(i + 1, 1000 + i, d));
}

const start: EventDraft[] = [
  {
    type: 'run_start',
    parentId: null,
    task: 'write a big file',
    cwd: '/w',
    provider: 'openai',
    model: 'gpt-4.1',
    agioVersion: '0.1.0',
    approval: 'full-auto',
    limits: {},
  },
  { type: 'turn_start', parentId: `${RUN}.1`, turn: 1 },
];
const delta = (argsChars: number, preview?: string, callId = 'call_1'): EventDraft => ({
  type: 'tool_call_delta',
  parentId: TURN,
  callId,
  tool: 'write',
  index: 0,
  argsChars,
  ...(preview !== undefined ? { preview } : {}),
});
const messageEnd: EventDraft = { type: 'message_end', parentId: TURN, text: '', stopReason: 'tool_calls' };
const call = (callId = 'call_1'): EventDraft => ({
  type: 'tool_call',
  parentId: TURN,
  tool: 'write',
  callId,
  args: WRITE_ARGS,
  summary: 'src/big.ts (1 line)',
});

const tools = (s: RunState) => toArray(s.items).filter((i): i is ToolItem => i.kind === 'tool');
const visibleTools = (s: RunState) => tools(s).filter((i) => !i.discarded);

test('deltas then the call: one card, writing → running, in the same row with the same key', () => {
  const evs = events([...start, delta(0), delta(20, 'src/big.ts'), delta(49_000, 'src/big.ts'), messageEnd, call()]);
  const deltasOnly = foldEvents(emptyRunState(RUN), evs.slice(0, 5));
  const writing = tools(deltasOnly);
  assert.equal(writing.length, 1);
  assert.deepEqual(
    [writing[0]!.status, writing[0]!.summary, writing[0]!.argsChars, writing[0]!.written],
    ['writing', 'src/big.ts', 49_000, undefined],
  );
  const index = deltasOnly.items.size - 1;
  const key = rowKey(get(deltasOnly.items, index)!);

  const written = foldEvents(deltasOnly, evs.slice(5, 6));
  assert.equal(tools(written)[0]!.written, true, 'after message_end the call is written and waits its turn');

  const s = foldEvents(written, evs.slice(6));
  const cards = tools(s);
  assert.equal(cards.length, 1, 'no second card');
  const card = cards[0]!;
  assert.equal(s.items.size - 1, index, 'the same row');
  assert.equal(rowKey(card), key, 'the same row key: the card is not drawn again');
  assert.equal(card.id, `${RUN}.7`, "the card's id is the tool_call's, which later events point at");
  assert.deepEqual(
    [card.status, card.args, card.argsChars, card.written],
    ['running', WRITE_ARGS, undefined, undefined],
  );
  assert.deepEqual(s.openCalls, [{ eventId: `${RUN}.7`, callId: 'call_1', index }]);
  assert.equal(s.totals.toolCalls, 1, 'deltas are not calls');

  // Later events of the call find the card; live increments and a one-shot replay agree.
  const result: EventDraft = {
    type: 'tool_result',
    parentId: `${RUN}.7`,
    tool: 'write',
    callId: 'call_1',
    result: { ok: true, output: 'wrote', durationMs: 3 },
  };
  const done = foldEvents(s, [ev(8, 2000, result)]);
  assert.equal(tools(done)[0]!.status, 'ok');
  assert.deepEqual(foldEvents(emptyRunState(RUN), [...evs, ev(8, 2000, result)]), done);
});

test('a retry discards the card being written; the next attempt writes one card that the call continues', () => {
  const retry: EventDraft = { type: 'retry', parentId: TURN, attempt: 2, reason: 'stream dropped' };
  const s = foldEvents(
    emptyRunState(RUN),
    events([...start, delta(0), delta(4000, 'src/big.ts'), retry, delta(0), delta(8000, 'src/big.ts'), call()]),
  );
  const all = tools(s);
  assert.equal(all.length, 2, 'ids never shift: the discarded card keeps its row');
  assert.equal(all[0]!.discarded, true);
  assert.equal(all[0]!.status, 'writing');
  const shown = visibleTools(s);
  assert.equal(shown.length, 1);
  assert.equal(shown[0]!.status, 'running');
  assert.equal(rowKey(shown[0]!), `${RUN}.6`, "the second attempt's card, continued");
  assert.equal(s.openCalls.length, 1);
});

test('a retry with the call half-written and a delta after it leaves no stale writing card', () => {
  const retry: EventDraft = { type: 'retry', parentId: TURN, attempt: 2, reason: 'stalled' };
  const s = foldEvents(emptyRunState(RUN), events([...start, delta(100, 'a.ts'), retry, delta(5, undefined)]));
  const shown = visibleTools(s);
  assert.equal(shown.length, 1);
  assert.deepEqual([shown[0]!.argsChars, shown[0]!.summary], [5, ''], 'nothing of the void attempt carries over');
});

test('a run that ends while a call is being written shows it interrupted, not writing forever', () => {
  const end: EventDraft = {
    type: 'run_end',
    parentId: `${RUN}.1`,
    status: 'cancelled',
    totals: {
      turns: 1,
      toolCalls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedTokens: 0,
      costUsd: 0,
      errors: 0,
      elapsedMs: 5,
    },
  };
  const s = foldEvents(emptyRunState(RUN), events([...start, delta(100, 'a.ts'), end]));
  assert.equal(tools(s)[0]!.status, 'interrupted');
  assert.deepEqual(s.openCalls, []);
});

test('calls without deltas (older logs, attachments) still get their own card', () => {
  const s = foldEvents(emptyRunState(RUN), events([...start, delta(10, 'a.ts', 'call_1'), call('call_2')]));
  assert.equal(tools(s).length, 2);
  assert.deepEqual(
    tools(s).map((c) => [c.callId, c.status]),
    [
      ['call_1', 'writing'],
      ['call_2', 'running'],
    ],
  );
});
