import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  filesChanged,
  mechanicalSummary,
  renderForSummary,
  splitPoint,
  summaryMessage,
} from '../../../server/src/context/compaction.ts';
import type { Message } from '../../../server/src/models/types.ts';

const call = (id: string, name: string, args: object, output: string, isError = false): Message[] => [
  { role: 'assistant', text: `doing ${id}`, toolCalls: [{ id, name, argsJson: JSON.stringify(args) }] },
  { role: 'tool', callId: id, name, content: output, isError },
];

const convo: Message[] = [
  { role: 'user', content: 'the task' },
  ...call('1', 'read', { path: 'a.ts' }, 'a content'),
  ...call('2', 'write', { path: 'b.ts', content: 'x' }, 'Created b.ts'),
  ...call('3', 'edit', { path: 'c.ts', edits: [] }, 'no match', true),
  ...call('4', 'edit', { path: 'a.ts', edits: [] }, 'Edited a.ts'),
];

test('the split keeps whole turns (an assistant message and its results) and never the task', () => {
  assert.equal(splitPoint(convo, 2), 5);
  assert.equal(convo[5]!.role, 'assistant');
  assert.equal(splitPoint(convo, 1), 7);
  assert.equal(splitPoint(convo.slice(0, 3), 1), undefined, 'only the task and one turn: nothing older');
});

test('files changed come from successful write/edit calls and from earlier summaries', () => {
  assert.deepEqual(filesChanged(convo), ['b.ts', 'a.ts']);
  const earlier = summaryMessage('did things', ['old.ts', 'b.ts']);
  assert.deepEqual(filesChanged([earlier, ...convo.slice(1)]), ['old.ts', 'b.ts', 'a.ts']);
  assert.match((earlier as { content: string }).content, /Files changed so far: old\.ts, b\.ts/);
});

test('the transcript for the summarizer fits its budget, cutting results first, then the middle', () => {
  const long: Message[] = [];
  for (let i = 0; i < 100; i++) long.push(...call(String(i), 'read', { path: `f${i}` }, 'y'.repeat(3_000)));
  const roomy = renderForSummary(long, 1_000_000);
  assert.ok(roomy.includes(`RESULT of read: ${'y'.repeat(2_000)}`));
  const tight = renderForSummary(long, 20_000);
  assert.ok(tight.length <= 20_000);
  assert.match(tight, /messages left out to fit/);
  assert.ok(tight.includes('doing 0') && tight.includes('doing 99'), 'keeps both ends');
});

test('the mechanical summary lists the steps and failures within its size', () => {
  const m = mechanicalSummary(convo.slice(1), 10_000);
  assert.match(m, /called write \{"path":"b\.ts"/);
  assert.match(m, /edit failed: no match/);
  assert.ok(mechanicalSummary(convo.slice(1), 150).length <= 150 + 80);
});
