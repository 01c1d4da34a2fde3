// The fold must stay O(n) over a run: a 10,000-event run folds in well under 100 ms on this kind of
// machine, whether at once (a replay) or in 50-event increments (a live run). The time assertion is a
// generous bound (the figures are printed); the sharing check is the deterministic guard against
// copying whole lists per event. bench/webview-render.bench.ts has the real numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import { syntheticRun } from '../../../webview/dev/synthetic-run.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';

function timeFold(events: AgioEvent[], batch: number): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    let s = emptyRunState('bench');
    for (let i = 0; i < events.length; i += batch) s = foldEvents(s, events.slice(i, i + batch));
    best = Math.min(best, performance.now() - t0);
    assert.equal(s.lastSeq, events.length);
  }
  return best;
}

test('10,000 events fold in well under a second, at once and in increments', () => {
  const events = syntheticRun('bench', 10_000);
  const oneShot = timeFold(events, events.length);
  const live = timeFold(events, 50);
  const single = timeFold(events, 1);
  console.log(
    `fold 10,000 events: one reset ${oneShot.toFixed(1)} ms · 50 per message ${live.toFixed(1)} ms · 1 per message ${single.toFixed(1)} ms`,
  );
  assert.ok(oneShot < 1000 && live < 1000 && single < 1000);
});

test('folding one more event shares almost everything with the previous state', () => {
  // The deterministic half of "O(n) overall": an event costs a path of 32-wide nodes, never a copy of
  // the lists. (Timing ratios belong in bench/: on a loaded machine they say more about the machine.)
  const events = syntheticRun('bench', 10_000);
  const before = foldEvents(emptyRunState('bench'), events.slice(0, 9_000));
  const after = foldEvents(before, events.slice(9_000, 9_001));
  const leaves = (v: { root: readonly unknown[] }) => (v.root as unknown[][]).flat();
  for (const list of ['items', 'events', 'turns'] as const) {
    const a = leaves(before[list]);
    const b = leaves(after[list]);
    const shared = b.filter((node, i) => node === a[i]).length;
    assert.ok(shared >= b.length - 1, `${list}: ${b.length - shared} of ${b.length} trie nodes copied`);
  }
});
