// The Events tab's tree (Run → Turn → ToolCall from parentId) with folding, type filter and search;
// the runs list and the figures across runs; median and p95.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import { acrossRuns, eventLabel, eventTree, newestFirst, type RunSummary } from '../../../webview/src/state/history.ts';
import { median, percentile, timeStats } from '../../../webview/src/state/metrics.ts';
import { RUN, realisticRun } from './realistic-run.ts';

const state = foldEvents(emptyRunState(RUN), realisticRun());
const none = { types: new Set<string>(), query: '', collapsed: new Set<string>() };

test('the event tree nests turns under the run and tool events under their call', () => {
  const rows = eventTree(state.events, none);
  assert.equal(rows.length, 38);
  const depthOf = (seq: number) => rows.find((r) => r.event.seq === seq)!.depth;
  assert.deepStrictEqual([1, 2, 3, 7, 8, 10, 38].map(depthOf), [0, 1, 2, 2, 3, 1, 1]);
  assert.equal(rows[0]!.children, 8, 'run_start: 3 turn_start, 3 turn_end, a snapshot and run_end');
  assert.equal(rows.find((r) => r.event.seq === 27)!.children, 4);
});

test('collapsing a node hides its subtree; filters and search show matches at their depth', () => {
  const collapsed = eventTree(state.events, { ...none, collapsed: new Set(['r1.12']) });
  assert.equal(collapsed.length, 38 - 19, 'turn 2 holds events 13–31');
  const calls = eventTree(state.events, { ...none, types: new Set(['tool_call']) });
  assert.deepStrictEqual(
    calls.map((r) => [r.event.seq, r.depth]),
    [
      [7, 2],
      [19, 2],
      [23, 2],
      [27, 2],
    ],
  );
  const search = eventTree(state.events, { ...none, query: 'KEEP THE' });
  assert.deepStrictEqual(
    search.map((r) => r.event.seq),
    [25, 26],
  );
  const both = eventTree(state.events, {
    ...none,
    types: new Set(['approval_decision']),
    query: 'user',
    collapsed: new Set(['r1.1']),
  });
  assert.deepStrictEqual(
    both.map((r) => r.event.seq),
    [21, 25],
    'collapsing does not hide matches',
  );
});

test('every event type has a one-line label', () => {
  for (const e of realisticRun()) assert.ok(eventLabel(e).length > 0 && !eventLabel(e).includes('\n'), e.type);
  assert.equal(eventLabel(realisticRun()[24]!), 'deny by user: keep the build');
});

const summary = (
  id: string,
  startedAt: number,
  status: RunSummary['status'],
  turns: number,
  elapsedMs: number,
  costUsd: number,
): RunSummary => ({
  id,
  startedAt,
  endedAt: null,
  status,
  task: id,
  cwd: '/',
  provider: 'openai',
  model: 'm',
  turns,
  toolCalls: turns * 2,
  inputTokens: 100 * turns,
  outputTokens: 10 * turns,
  cachedTokens: 50 * turns,
  costUsd,
  errors: status === 'failed' ? 1 : 0,
  elapsedMs,
  lastSeq: 1,
});

test('runs newest first, and the figures across runs', () => {
  // c ran on a model without a price: its 3 calls are counted as unpriced, not as $0.
  const runs = [
    summary('a', 10, 'completed', 2, 4000, 0.25),
    summary('b', 30, 'failed', 4, 4000, 0.5),
    { ...summary('c', 20, 'completed', 0, 10, 0), unpricedCalls: 3 },
  ];
  assert.deepStrictEqual(
    newestFirst(runs).map((r) => r.id),
    ['b', 'c', 'a'],
  );
  const all = acrossRuns(runs);
  assert.deepStrictEqual(
    { ...all, turnTime: undefined },
    {
      runs: 3,
      turns: 6,
      toolCalls: 12,
      inputTokens: 600,
      outputTokens: 60,
      cachedTokens: 300,
      costUsd: 0.75,
      unpricedCalls: 3,
      errors: 1,
      elapsedMs: 8010,
      byStatus: { completed: 2, failed: 1 },
      turnTime: undefined,
    },
  );
  // Mean turn time per run: a 2000 ms, b 1000 ms (c has no turns).
  assert.deepStrictEqual(all.turnTime, { count: 2, medianMs: 1500, p95Ms: 2000, maxMs: 2000 });
});

test('median and nearest-rank p95', () => {
  assert.equal(median([]), 0);
  assert.equal(median([5]), 5);
  assert.equal(median([1, 2, 3, 10]), 2.5);
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 95), 95);
  assert.equal(percentile([1, 2], 95), 2);
  assert.deepStrictEqual(timeStats([30, 10, 20]), { count: 3, medianMs: 20, p95Ms: 30, maxMs: 30 });
});
