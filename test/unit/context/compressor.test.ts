import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SHORTENED_MARK,
  shortenActedOn,
  toolOutputCap,
  truncateToolOutput,
} from '../../../server/src/context/compressor.ts';
import type { Message } from '../../../server/src/models/types.ts';

test('the per-result cap is a share of the window, within bounds', () => {
  assert.equal(toolOutputCap(16_000), 9_600);
  assert.equal(toolOutputCap(1_000), 2_000);
  assert.equal(toolOutputCap(1_000_000), 40_000);
});

test('a long output keeps its start and end, and says what was cut and how to get the rest', () => {
  const out = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n');
  const t = truncateToolOutput('read', out, 2_000);
  assert.ok(t.content.startsWith('line 1\nline 2\n'));
  assert.ok(t.content.endsWith('line 5000'));
  assert.equal(t.cut, out.length - 2_000);
  assert.match(
    t.content,
    new RegExp(`Agio cut ${t.cut.toLocaleString('en-US')} of ${out.length.toLocaleString('en-US')} characters`),
  );
  assert.match(t.content, /call read with offset and limit/);
  // Kept text is exactly the cap; only the note is added.
  const note = t.content.slice(1_400, t.content.length - 600);
  assert.equal(t.content.length - note.length, 2_000);
});

test('an output within the cap is returned as it is', () => {
  assert.deepEqual(truncateToolOutput('bash', 'short', 2_000), { content: 'short', cut: 0 });
});

const turn = (id: string, output: string): Message[] => [
  { role: 'assistant', text: '', toolCalls: [{ id, name: 'read', argsJson: '{}' }] },
  { role: 'tool', callId: id, name: 'read', content: output, isError: false },
];

test('results older than the last turns are shortened once; recent ones and the task are kept', () => {
  const big = 'x'.repeat(5_000);
  const msgs: Message[] = [{ role: 'user', content: big }, ...turn('1', big), ...turn('2', big), ...turn('3', big)];
  const r = shortenActedOn(msgs, 2);
  assert.equal(r.shortened, 1);
  assert.equal(r.messages[0], msgs[0], 'the task is untouched');
  const first = r.messages[2] as Extract<Message, { role: 'tool' }>;
  assert.ok(first.content.length < 600);
  assert.ok(first.content.includes(SHORTENED_MARK));
  assert.equal(r.messages[4], msgs[4], 'the last two turns keep their results');
  assert.equal(r.messages[6], msgs[6]);
  // Shortening again changes nothing (the bytes stay put).
  const again = shortenActedOn(r.messages, 2);
  assert.equal(again.shortened, 0);
  assert.deepEqual(again.messages, r.messages);
  assert.equal(shortenActedOn(msgs, 0).shortened, 3);
});
