// The panel reducer over the client's messages: runs are folded, gaps in `events` messages are
// caught, a `reset` replaces a run, answered approvals stay disabled until their decision arrives,
// and the approvals a replayed log shows are answerable only if the client still waits for them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import {
  focusedRun,
  initialPanel,
  isAnswerable,
  reducePanel,
  type PanelAction,
  type PanelState,
} from '../../../webview/src/state/panel.ts';
import { RUN, realisticRun } from './realistic-run.ts';

const reduce = (actions: PanelAction[], p: PanelState = initialPanel()) => actions.reduce(reducePanel, p);
const events = realisticRun();
const msg = (from: number, to: number): PanelAction => ({
  type: 'events',
  runId: RUN,
  fromSeq: from,
  events: events.slice(from - 1, to),
});

test('events messages fold into the run; the first run seen is focused; a reset gives the same state', () => {
  const live = reduce([msg(1, 10), msg(11, 24), msg(25, 38)]);
  assert.equal(live.focusedRunId, RUN);
  const replayed = reduce([
    { type: 'reset', runId: RUN, events },
    { type: 'focusRun', runId: RUN },
  ]);
  assert.deepStrictEqual(focusedRun(replayed), focusedRun(live));
  assert.deepStrictEqual(focusedRun(live), foldEvents(emptyRunState(RUN), events));
});

test('an events message that starts past the next seq marks the run as needing a reset', () => {
  const p = reduce([msg(1, 10), msg(13, 20)]);
  assert.deepStrictEqual(focusedRun(p)?.gap, { expected: 11, got: 13 });
  assert.equal(focusedRun(p)?.lastSeq, 10);
  const healed = reduce([{ type: 'reset', runId: RUN, events: events.slice(0, 20) }], p);
  assert.equal(focusedRun(healed)?.gap, undefined);
  assert.equal(focusedRun(healed)?.lastSeq, 20);
});

test('an answered approval stays answered until its decision is folded in', () => {
  let p = reduce([msg(1, 24)]);
  assert.ok(isAnswerable(p, 'c3'));
  p = reduce([{ type: 'ui/answered', callId: 'c3' }], p);
  assert.ok(!isAnswerable(p, 'c3'));
  p = reduce([msg(25, 26)], p);
  assert.deepStrictEqual([...p.answered], []);
});

test('approvals from a replayed log are answerable only if the client lists them; live ones always', () => {
  let p = reduce([
    { type: 'pendingApprovals', callIds: [] },
    { type: 'reset', runId: RUN, events: events.slice(0, 24) },
  ]);
  assert.ok(!isAnswerable(p, 'c3'), 'the server is not waiting for it');
  p = reduce([{ type: 'pendingApprovals', callIds: ['c3'] }], p);
  assert.ok(isAnswerable(p, 'c3'));
  const live = reduce([{ type: 'pendingApprovals', callIds: [] }, msg(1, 19), msg(20, 20)]);
  assert.ok(isAnswerable(live, 'c2'), 'asked in a live increment after the list was sent');
});

test('UI actions and simple messages', () => {
  const p = reduce([
    {
      type: 'config',
      config: { provider: 'openai', model: 'm', approval: 'ask', hasKey: false, sandbox: 'none', trusted: true },
    },
    { type: 'serverState', state: 'crashed', message: 'exit 1' },
    { type: 'showTab', tab: 'metrics' },
    { type: 'prefill', text: 'explain this' },
    { type: 'prefill', text: 'explain this' },
    { type: 'ui/starting' },
    {
      type: 'runs',
      runs: [
        {
          id: 'a',
          startedAt: 1,
          endedAt: 2,
          status: 'completed',
          task: 'old',
          cwd: '/',
          provider: 'openai',
          model: 'm',
          turns: 1,
          toolCalls: 0,
          inputTokens: 1,
          outputTokens: 1,
          cachedTokens: 0,
          costUsd: 0,
          errors: 0,
          elapsedMs: 1,
          lastSeq: 3,
        },
        {
          id: 'b',
          startedAt: 5,
          endedAt: null,
          status: 'running',
          task: 'new',
          cwd: '/',
          provider: 'openai',
          model: 'm',
          turns: 1,
          toolCalls: 0,
          inputTokens: 1,
          outputTokens: 1,
          cachedTokens: 0,
          costUsd: 0,
          errors: 0,
          elapsedMs: 1,
          lastSeq: 3,
        },
      ],
    },
  ]);
  assert.equal(p.config?.hasKey, false);
  assert.deepStrictEqual(p.server, { state: 'crashed', message: 'exit 1' });
  assert.equal(p.tab, 'metrics');
  assert.deepStrictEqual(p.prefill, { text: 'explain this', n: 2 }, 'the same text twice still changes');
  assert.equal(p.starting, true);
  assert.deepStrictEqual(
    p.runs.map((r) => r.id),
    ['b', 'a'],
    'newest first',
  );
  assert.equal(reduce([{ type: 'focusRun', runId: 'b' }], p).starting, false);
});

test('opening many past runs keeps only a few folded besides the focused one', () => {
  let p = initialPanel();
  for (let i = 0; i < 8; i++) {
    const runId = `past${i}`;
    const log = events.map((e) => ({ ...e, runId, id: e.id.replace(RUN, runId) }));
    p = reduce(
      [
        { type: 'reset', runId, events: log },
        { type: 'focusRun', runId },
      ],
      p,
    );
  }
  assert.equal(p.focusedRunId, 'past7');
  assert.ok(p.runStates.has('past7'));
  assert.equal(p.runStates.size, 4, 'the focused run and the three most recent others');
});
