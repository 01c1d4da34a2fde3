// The panel's fold: a hand-written run gives exactly the display items and figures worked out by
// hand; live increments and a one-shot replay give deep-equal states; gaps and re-sent events are
// handled; folding never changes the state it started from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import {
  pendingApprovalItems,
  runPhase,
  toolsByCount,
  turnSeries,
  turnTimeStats,
} from '../../../webview/src/state/metrics.ts';
import { toArray } from '../../../server/src/protocol/pvec.ts';
import type { DisplayItem, RunState } from '../../../webview/src/state/types.ts';
import { DIFF, FINAL_TOTALS, RUN, ev, realisticRun, runStartDraft } from './realistic-run.ts';

const fold = (events: AgioEvent[], state: RunState = emptyRunState(RUN)) => foldEvents(state, events);
const upTo = (seq: number) => realisticRun().filter((e) => e.seq <= seq);

test('a realistic run folds into exactly the expected chat items', () => {
  const s = fold(realisticRun());
  const events = realisticRun();
  const result = (seq: number) => (events[seq - 1] as Extract<AgioEvent, { type: 'tool_result' }>).result;
  const expected: DisplayItem[] = [
    { kind: 'task', id: 'r1.1', version: 1, turn: 0, text: 'Fix the port check' },
    { kind: 'assistant', id: 'r1.3', version: 6, turn: 1, text: 'Let me look.', streaming: false, discarded: false },
    {
      kind: 'tool',
      id: 'r1.7',
      version: 9,
      turn: 1,
      callId: 'c1',
      tool: 'read',
      args: { path: 'src/a.ts', offset: 10, limit: 20 },
      summary: 'src/a.ts:10-29',
      startTs: 1500,
      output: '',
      status: 'ok',
      result: result(9),
      policy: { decision: 'allow', reason: 'read tools run in ask mode', details: [] },
    },
    // The retry voided what turn 2 had streamed; the item keeps its place and id but shows nothing.
    { kind: 'assistant', id: 'r1.13', version: 14, turn: 2, text: '', streaming: false, discarded: true },
    {
      kind: 'notice',
      id: 'r1.14',
      version: 14,
      turn: 2,
      notice: 'retry',
      text: 'Retrying the model call (attempt 2) after HTTP 529: stream dropped',
    },
    {
      kind: 'assistant',
      id: 'r1.15',
      version: 18,
      turn: 2,
      text: 'I will edit and test.',
      streaming: false,
      discarded: false,
    },
    {
      kind: 'tool',
      id: 'r1.19',
      version: 22,
      turn: 2,
      callId: 'c2',
      tool: 'edit',
      args: { path: 'src/a.ts', edits: [{ old_text: 'a', new_text: 'b' }] },
      summary: 'src/a.ts (1 edit)',
      startTs: 2700,
      output: '',
      status: 'ok',
      result: result(22),
      approval: {
        tier: 'write',
        summary: 'edit src/a.ts (1 edit)',
        reason: 'write tools need approval in ask mode (src/a.ts)',
        details: [],
        diff: DIFF,
        decision: 'allow',
        by: 'user',
        decisionReason: 'approved by the user',
        // A log from before waitedMs: the wait is measured between the request (2710) and the decision (3000).
        askedTs: 2710,
        waitedMs: 290,
        waitEstimated: true,
      },
    },
    {
      kind: 'tool',
      id: 'r1.23',
      version: 26,
      turn: 2,
      callId: 'c3',
      tool: 'bash',
      args: { command: 'rm -rf build' },
      summary: 'rm -rf build',
      startTs: 3100,
      output: '',
      status: 'denied',
      result: result(26),
      approval: {
        tier: 'exec',
        summary: 'rm -rf build',
        reason: 'always asks: rm -rf deletes recursively',
        details: ['destructive: rm -rf build'],
        decision: 'deny',
        by: 'user',
        decisionReason: 'keep the build',
        askedTs: 3110,
        waitedMs: 390,
        waitEstimated: true,
      },
    },
    {
      kind: 'tool',
      id: 'r1.27',
      version: 31,
      turn: 2,
      callId: 'c4',
      tool: 'bash',
      args: { command: 'npm test' },
      summary: 'npm test',
      startTs: 3600,
      output: 'ok 1\nwarn\n',
      status: 'ok',
      result: result(31),
      policy: { decision: 'allow', reason: 'command rule "allow npm test" matches "npm test"', details: [] },
    },
    { kind: 'assistant', id: 'r1.34', version: 36, turn: 3, text: 'Done.', streaming: false, discarded: false },
    { kind: 'summary', id: 'r1.38', version: 38, turn: 0, status: 'completed', totals: FINAL_TOTALS },
  ];
  assert.deepStrictEqual(toArray(s.items), expected);
});

test('a realistic run gives the expected totals, series and counts', () => {
  const s = fold(realisticRun());
  assert.equal(s.status, 'completed');
  assert.equal(s.lastSeq, 38);
  assert.equal(s.events.size, 38);
  // Derived from the events the way the server counts: the denial is a failed tool result.
  assert.deepStrictEqual(s.totals, FINAL_TOTALS);
  assert.deepStrictEqual(s.serverTotals, FINAL_TOTALS);
  assert.deepStrictEqual(s.info, {
    task: 'Fix the port check',
    cwd: '/w',
    provider: 'openai',
    model: 'gpt-x',
    approval: 'ask',
    agioVersion: '0.1.0',
    sandbox: 'none',
    trusted: true,
  });
  assert.deepStrictEqual(s.approvals, { asked: 2, granted: 1, denied: 1 });
  assert.deepStrictEqual(toolsByCount(s), [
    ['bash', 2],
    ['edit', 1],
    ['read', 1],
  ]);
  assert.deepStrictEqual(s.pending, []);
  assert.deepStrictEqual(s.openCalls, []);
  assert.deepStrictEqual(turnSeries(s), [
    {
      turn: 1,
      eventId: 'r1.2',
      startTs: 1100,
      endTs: 2000,
      durationMs: 900,
      inputTokens: 1000,
      outputTokens: 50,
      cachedTokens: 200,
      costUsd: 0.0625,
      cumulativeCostUsd: 0.0625,
      toolCalls: 1,
      approvalWaitMs: 0,
      assistantIndex: 1,
    },
    {
      turn: 2,
      eventId: 'r1.12',
      startTs: 2100,
      endTs: 4100,
      durationMs: 2000,
      inputTokens: 2000,
      outputTokens: 100,
      cachedTokens: 1000,
      costUsd: 0.125,
      cumulativeCostUsd: 0.1875,
      toolCalls: 3,
      approvalWaitMs: 680,
      assistantIndex: 5,
    },
    {
      turn: 3,
      eventId: 'r1.33',
      startTs: 4200,
      endTs: 4500,
      durationMs: 300,
      inputTokens: 2500,
      outputTokens: 20,
      cachedTokens: 2000,
      costUsd: 0.03125,
      cumulativeCostUsd: 0.21875,
      toolCalls: 0,
      approvalWaitMs: 0,
      assistantIndex: 9,
    },
  ]);
  // Own times 300, 900 and 2000 − 680 (turn 2's questions waited 290 + 390 ms): the median is the
  // middle one; nearest-rank p95 of three is the largest.
  assert.deepStrictEqual(turnTimeStats(s), { count: 3, medianMs: 900, p95Ms: 1320, maxMs: 1320 });
  assert.deepStrictEqual(runPhase(s), { phase: 'ended', status: 'completed' });
});

test('mid-run: streaming text, a pending approval and the run phase', () => {
  const streaming = fold(upTo(13));
  assert.deepStrictEqual(toArray(streaming.items).at(-1), {
    kind: 'assistant',
    id: 'r1.13',
    version: 13,
    turn: 2,
    text: 'Partial ans',
    streaming: true,
    discarded: false,
  });
  assert.deepStrictEqual(runPhase(streaming), { phase: 'running', turn: 2 });

  const waiting = fold(upTo(24));
  assert.deepStrictEqual(waiting.pending, ['c3']);
  const [card] = pendingApprovalItems(waiting);
  assert.equal(card?.callId, 'c3');
  assert.equal(card?.status, 'waiting-approval');
  assert.equal(card?.approval?.decision, undefined);
  assert.deepStrictEqual(runPhase(waiting), { phase: 'waiting', turn: 2, approvals: 1 });
  assert.equal(waiting.totals.elapsedMs, 3110 - 1000);

  const answered = fold(upTo(25));
  assert.deepStrictEqual(answered.pending, []);
  assert.equal(pendingApprovalItems(answered).length, 0);
});

test('live increments of any size and a one-shot replay give deep-equal states', () => {
  const events = realisticRun();
  const oneShot = fold(events);
  let oneByOne = emptyRunState(RUN);
  for (const e of events) oneByOne = foldEvents(oneByOne, [e]);
  assert.deepStrictEqual(oneByOne, oneShot);
  // Irregular batches, as messages arrive from the client (a fixed pseudo-random sequence).
  let seed = 7;
  let batched = emptyRunState(RUN);
  for (let i = 0; i < events.length; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (seed % 6);
    batched = foldEvents(batched, events.slice(i, i + n));
    i += n;
  }
  assert.deepStrictEqual(batched, oneShot);
});

test('folding never changes the state it starts from', () => {
  const events = realisticRun();
  const before = fold(events.slice(0, 20));
  const snapshot = structuredClone(before);
  const after = foldEvents(before, events.slice(20));
  assert.notEqual(after, before);
  assert.deepStrictEqual(before, snapshot);
  // And a state can be folded on twice (e.g. a test, or a renderer holding an old one) without interference.
  assert.deepStrictEqual(foldEvents(before, events.slice(20)), after);
});

test('an event that skips ahead marks a gap and nothing after it is folded', () => {
  const events = realisticRun();
  const s = fold([...events.slice(0, 5), ...events.slice(6, 10)]);
  assert.deepStrictEqual(s.gap, { expected: 6, got: 7 });
  assert.equal(s.lastSeq, 5);
  assert.equal(s.events.size, 5);
  // Still stuck until the run is reset (a fresh fold of the whole log).
  assert.equal(foldEvents(s, events.slice(5)), s);
  assert.deepStrictEqual(fold(events), fold(events.slice(0, 38)));
});

test('re-sent and foreign events are ignored', () => {
  const events = realisticRun();
  const s = fold(events.slice(0, 10));
  assert.equal(foldEvents(s, events.slice(3, 10)), s, 'an increment already folded changes nothing');
  const foreign = { ...events[10]!, runId: 'other' } as AgioEvent;
  assert.equal(foldEvents(s, [foreign]), s);
  assert.deepStrictEqual(
    foldEvents(s, events.slice(5, 12)),
    fold(events.slice(0, 12)),
    'an overlapping increment folds only its new part',
  );
});

test('a run that ends with calls still open marks them interrupted and clears pending approvals', () => {
  const events = [
    ...upTo(24),
    ev(25, 3600, { type: 'error', parentId: 'r1.12', message: 'server crashed', kind: 'crash', fatal: true }),
    ev(26, 3700, {
      type: 'run_end',
      parentId: 'r1.1',
      status: 'failed',
      totals: FINAL_TOTALS,
      error: 'server crashed',
    }),
  ];
  const s = fold(events);
  const items = toArray(s.items);
  const card = items.find((i) => i.kind === 'tool' && i.callId === 'c3');
  assert.equal(card?.kind === 'tool' && card.status, 'interrupted');
  assert.deepStrictEqual(s.pending, []);
  assert.equal(s.error, 'server crashed');
  assert.deepStrictEqual(items.at(-2), {
    kind: 'notice',
    id: 'r1.25',
    version: 25,
    turn: 2,
    notice: 'error',
    text: 'server crashed',
  });
  assert.equal(s.totals.errors, 1 /* fatal error */ + 0);
});

test('limit and cancel notices say what stopped the run', () => {
  const s = fold([
    ev(1, 0, runStartDraft({ limits: { maxCostUsd: 0.5 } })),
    ev(2, 10, { type: 'limit_reached', parentId: 'r1.1', limit: 'cost', value: 0.5123, max: 0.5 }),
    ev(3, 20, { type: 'cancelled', parentId: 'r1.1', reason: 'cancelled by the user' }),
  ]);
  assert.deepStrictEqual(
    toArray(s.items)
      .slice(1)
      .map((i) => i.kind === 'notice' && [i.notice, i.text]),
    [
      ['limit', 'Stopped: the cost budget was reached ($0.51 of $0.50).'],
      ['cancelled', 'Cancelled: cancelled by the user.'],
    ],
  );
});

test('a run interrupted while an approval waited: the card is closed as interrupted, nothing is pending', () => {
  const events: AgioEvent[] = [
    ev(1, 1000, runStartDraft({ pid: 4242 })),
    ev(2, 1001, { type: 'turn_start', parentId: `${RUN}.1`, turn: 1 }),
    ev(3, 1002, { type: 'message_end', parentId: `${RUN}.2`, text: '', stopReason: 'tool_calls' }),
    ev(4, 1003, { type: 'tool_call', parentId: `${RUN}.2`, tool: 'bash', callId: 'c1', args: { command: 'touch x' } }),
    ev(5, 1004, {
      type: 'approval_request',
      parentId: `${RUN}.4`,
      tool: 'bash',
      tier: 'exec',
      summary: 'touch x',
      reason: 'commands need approval in ask mode',
      repeatable: true,
    }),
  ];
  const waiting = fold(events);
  assert.deepEqual(waiting.pending, ['c1']);
  const interrupted = fold([
    ...events,
    ev(6, 9000, {
      type: 'run_interrupted',
      parentId: `${RUN}.1`,
      reason: 'the server stopped',
      lastStep: 'an approval was waiting; it was not approved',
    }),
  ]);
  assert.equal(interrupted.status, 'interrupted');
  assert.deepEqual(interrupted.pending, [], 'no approval can be answered any more');
  const items = toArray(interrupted.items);
  const tool = items.find((i) => i.kind === 'tool');
  assert.equal(tool?.kind === 'tool' && tool.status, 'interrupted');
  const last = items.at(-1)!;
  assert.equal(
    last.kind === 'notice' && last.text,
    'Interrupted: the server stopped. In flight: an approval was waiting; it was not approved. Nothing was approved or re-run.',
  );
});

test('a "no progress: go on?" question becomes its own card; the answer settles it; the stop shows why', () => {
  const events: AgioEvent[] = [
    ev(1, 1000, runStartDraft()),
    ev(2, 1001, { type: 'turn_start', parentId: `${RUN}.1`, turn: 4 }),
    ev(3, 1002, {
      type: 'approval_request',
      parentId: `${RUN}.2`,
      tool: 'agio',
      tier: 'read',
      summary: 'No progress for 3 turns. Let the run go on?',
      reason: 'r',
      repeatable: false,
      callId: 'agio-no-progress-4',
    }),
  ];
  const asking = fold(events);
  assert.deepEqual(asking.pending, ['agio-no-progress-4']);
  const card = toArray(asking.items).at(-1)!;
  assert.ok(card.kind === 'tool' && card.status === 'waiting-approval' && card.summary.startsWith('No progress'));
  const allowed = fold([
    ...events,
    ev(4, 1003, { type: 'approval_decision', parentId: `${RUN}.3`, decision: 'allow', by: 'user', reason: 'go on' }),
  ]);
  assert.deepEqual(allowed.pending, []);
  const settled = toArray(allowed.items).at(-1)!;
  assert.equal(settled.kind === 'tool' && settled.status, 'ok', 'answered, not left "running"');
  const stopped = fold([
    ...events,
    ev(4, 1003, { type: 'approval_decision', parentId: `${RUN}.3`, decision: 'deny', by: 'user', reason: 'stop' }),
    ev(5, 1004, {
      type: 'limit_reached',
      parentId: `${RUN}.1`,
      limit: 'no_progress',
      value: 3,
      max: 3,
      detail: '3 turns in a row repeated earlier read calls with the same results',
    }),
  ]);
  const last = toArray(stopped.items).at(-1)!;
  assert.equal(
    last.kind === 'notice' && last.text,
    'Stopped: no progress — 3 turns in a row repeated earlier read calls with the same results.',
  );
});
