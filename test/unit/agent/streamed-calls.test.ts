import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argsPreview, StreamedCalls } from '../../../server/src/agent/streamed-calls.ts';
import type { EventDraft, EventOf } from '../../../server/src/protocol/events.ts';

type Delta = Omit<EventOf<'tool_call_delta'>, 'id' | 'runId' | 'seq' | 'ts'>;

function recorder() {
  const out: Delta[] = [];
  let clock = 0;
  const calls = new StreamedCalls(
    (d: EventDraft) => {
      if (d.type === 'tool_call_delta') out.push(d);
    },
    'turn-1',
    () => clock,
  );
  return { out, calls, advance: (ms: number) => (clock += ms) };
}

/** Streams `json` in `chunk`-character pieces, `msPerChunk` apart. */
function stream(r: ReturnType<typeof recorder>, json: string, chunk: number, msPerChunk: number, id = 'call_1') {
  r.calls.onDelta({ index: 0, id, name: 'write', argsJson: '' });
  for (let i = chunk; i < json.length + chunk; i += chunk) {
    r.advance(msPerChunk);
    r.calls.onDelta({ index: 0, id, name: 'write', argsJson: json.slice(0, i) });
  }
}

const big = JSON.stringify({ path: 'src/big.ts', content: 'x'.repeat(200_000) });

test('a fast 200 KB call is a handful of events: the first, then each doubling', () => {
  const r = recorder();
  stream(r, big, 32, 0);
  assert.ok(r.out.length >= 10 && r.out.length <= 1 + Math.ceil(Math.log2(big.length)), `${r.out.length} events`);
  assert.equal(r.out[0]!.argsChars, 0, 'the card appears when the call opens');
  for (let i = 1; i < r.out.length; i++) assert.ok(r.out[i]!.argsChars > r.out[i - 1]!.argsChars);
  assert.equal(r.out.at(-1)!.preview, 'src/big.ts');
  assert.deepEqual(
    [r.out[0]!.parentId, r.out[0]!.callId, r.out[0]!.tool, r.out[0]!.index],
    ['turn-1', 'call_1', 'write', 0],
  );
});

test('a slow stream reports at most every 100 ms', () => {
  const r = recorder();
  // 20 KB at 32 characters every 10 ms: 6.4 s of streaming.
  stream(r, big.slice(0, 20_000), 32, 10);
  assert.ok(r.out.length <= 1 + 64 + 15, `${r.out.length} events`);
  assert.ok(r.out.length >= 60, `${r.out.length} events: progress keeps showing`);
});

test('after reset (a retry) the same call is reported again from its start', () => {
  const r = recorder();
  stream(r, big.slice(0, 1000), 100, 0);
  const before = r.out.length;
  r.calls.reset();
  r.calls.onDelta({ index: 0, id: 'call_1', name: 'write', argsJson: '{"pa' });
  assert.equal(r.out.length, before + 1);
  assert.equal(r.out.at(-1)!.argsChars, 4);
});

test('the preview is the first telling key whose value is complete, never a key inside a string', () => {
  assert.equal(argsPreview('{"path":"src/a'), undefined);
  assert.equal(argsPreview('{"path":"src/a\\"b.ts","con'), 'src/a"b.ts');
  assert.equal(argsPreview('{"content":"say \\"path\\": \\"no\\"", "path": "yes.ts"}'), 'yes.ts');
  assert.equal(argsPreview('{"command":"npm test"'), 'npm test');
  assert.equal(argsPreview(`{"command":"${'a'.repeat(300)}"`)!.length, 120);
});
