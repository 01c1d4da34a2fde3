// Unknown cost is shown as unknown: calls to a model without a price are counted by the fold, and
// every place the panel shows a cost (status line, Metrics, History) says "cost unknown" or
// "$x + unknown" instead of $0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import { scriptedRun } from '../../../webview/dev/scripted-run.ts';
import { costFigure } from '../../../webview/src/state/cost.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import { acrossRuns, type RunSummary } from '../../../webview/src/state/history.ts';
import { initialPanel, reducePanel } from '../../../webview/src/state/panel.ts';
import { runRow } from '../../../webview/src/state/run-row.ts';
import { statusItems } from '../../../webview/src/state/status-items.ts';
import { RUN, ev, realisticRun } from './realistic-run.ts';

test('a cost with unpriced calls is unknown, or a lower bound beside priced ones', () => {
  assert.equal(costFigure(0.0219).text, '$0.022');
  assert.equal(costFigure(0).text, '$0', 'priced and free is a real $0');
  assert.equal(costFigure(0, 0).unknown, 'none');
  const all = costFigure(0, 4);
  assert.deepStrictEqual([all.text, all.unknown], ['cost unknown', 'all']);
  assert.match(all.title, /agio\.models/, 'says where prices are set');
  const some = costFigure(0.12, 2);
  assert.deepStrictEqual([some.text, some.unknown], ['$0.120 + unknown', 'some']);
  assert.match(some.title, /2 model calls/);
});

test('the fold counts usage events with priced: false, and old logs (no field) stay priced', () => {
  const unpriced = foldEvents(emptyRunState('r-current'), scriptedRun('r-current', 'completed', 0, { priced: false }));
  assert.equal(unpriced.totals.costUsd, 0);
  assert.equal(unpriced.totals.unpricedCalls, 4);
  assert.equal(unpriced.serverTotals?.unpricedCalls, 4);
  const old = foldEvents(emptyRunState(RUN), realisticRun());
  assert.equal(old.totals.unpricedCalls, undefined);
  // One priced call and one not: a lower bound.
  const mixed = foldEvents(emptyRunState(RUN), [
    ...realisticRun().slice(0, 5),
    ev(6, 1450, {
      type: 'usage',
      parentId: 'r1.2',
      model: 'local',
      inputTokens: 10,
      outputTokens: 1,
      cachedTokens: 0,
      costUsd: 0,
      reported: true,
      priced: false,
    }),
  ]);
  assert.deepStrictEqual([mixed.totals.costUsd, mixed.totals.unpricedCalls], [0.0625, 1]);
  assert.equal(costFigure(mixed.totals.costUsd, mixed.totals.unpricedCalls).text, '$0.063 + unknown');
});

test('the status line says "cost unknown" for an unpriced run, the price otherwise', () => {
  const panelWith = (events: AgioEvent[]) =>
    reducePanel(initialPanel(), { type: 'events', runId: 'r-current', fromSeq: 1, events });
  const cost = (events: AgioEvent[]) => {
    const p = panelWith(events);
    return statusItems(p, p.runStates.get('r-current')).find((i) => i.key === 'cost')?.text;
  };
  assert.equal(cost(scriptedRun('r-current', 'completed', 0, { priced: false })), 'cost unknown');
  assert.equal(cost(scriptedRun('r-current', 'completed', 0)), '$0.020');
});

const row = (over: Partial<RunSummary>): RunSummary => ({
  id: 'r9',
  startedAt: Date.UTC(2026, 0, 5, 10, 0),
  endedAt: null,
  status: 'completed',
  task: 'Explain the store',
  cwd: '/w',
  provider: 'openai',
  model: 'qwen',
  turns: 5,
  toolCalls: 9,
  inputTokens: 1,
  outputTokens: 1,
  cachedTokens: 0,
  costUsd: 0,
  errors: 0,
  elapsedMs: 96_000,
  lastSeq: 80,
  ...over,
});

test('a History row shows an unpriced run as cost unknown, and an interrupted run with what it had done', () => {
  const now = Date.UTC(2026, 0, 5, 12, 0);
  assert.ok(runRow(row({ unpricedCalls: 5 }), now).meta.includes('cost unknown'));
  assert.ok(!runRow(row({ unpricedCalls: 5 }), now).meta.includes('$0'));
  assert.ok(runRow(row({ costUsd: 0.05 }), now).meta.includes('$0.050'));
  const interrupted = runRow(row({ status: 'interrupted', unpricedCalls: 5 }), now);
  assert.deepStrictEqual(interrupted.meta.slice(1), [
    'cost unknown',
    '1m 36s',
    '5 turns',
    '9 tool calls',
    'interrupted',
  ]);
  assert.match(interrupted.title, /Explain the store/, 'the tooltip has the whole row, which the panel cuts to fit');
  // Across runs: a lower bound once any run had unpriced calls.
  const all = acrossRuns([row({ unpricedCalls: 5 }), row({ id: 'r8', costUsd: 0.25 })]);
  assert.equal(costFigure(all.costUsd, all.unpricedCalls).text, '$0.250 + unknown');
});
