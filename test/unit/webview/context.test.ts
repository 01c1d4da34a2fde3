// The context subsystem in the panel's fold: the task's chips, rules found mid-run on their own row,
// the window meter from context_usage and reported usage, compaction as a visible item that ends
// ok or failed, notices; and a replay folds into the same state as the live increments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent, ContextItem, EventDraft } from '../../../server/src/protocol/events.ts';
import { contextMeter, meterTooltip } from '../../../webview/src/state/context-meter.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import { initialPanel, reducePanel, focusedRun } from '../../../webview/src/state/panel.ts';
import { toArray } from '../../../server/src/protocol/pvec.ts';
import type { RunState } from '../../../webview/src/state/types.ts';

const RUN = 'c1';
const p = (seq: number) => `${RUN}.${seq}`;
const ev = (seq: number, draft: EventDraft): AgioEvent =>
  ({ ...draft, id: p(seq), runId: RUN, seq, ts: 1000 + seq }) as AgioEvent;

const APP: ContextItem = { kind: 'file', label: 'src/app.ts', target: 'src/app.ts', chars: 1200, ok: true };
const PROBLEMS: ContextItem = { kind: 'problems', label: '@problems', chars: 300, ok: true };
const GONE: ContextItem = {
  kind: 'file',
  label: 'src/gone.ts',
  target: 'src/gone.ts',
  chars: 0,
  ok: false,
  note: 'no such file',
};
const RULES: ContextItem = { kind: 'rules', label: 'AGENTS.md', target: 'AGENTS.md', chars: 80, ok: true };
const NESTED: ContextItem = { kind: 'rules', label: 'pkg/AGENTS.md', target: 'pkg/AGENTS.md', chars: 40, ok: true };

function contextRun(): AgioEvent[] {
  return [
    ev(1, {
      type: 'run_start',
      parentId: null,
      task: 'Fix @src/app.ts using @problems',
      cwd: '/w',
      provider: 'openai',
      model: 'gpt-x',
      agioVersion: '0.1.0',
      approval: 'ask',
      limits: {},
      context: { window: 128_000, maxOutput: 16_000, compactAt: 0.8 },
    }),
    ev(2, { type: 'context_added', parentId: p(1), items: [RULES, APP, PROBLEMS, GONE] }),
    ev(3, { type: 'turn_start', parentId: p(1), turn: 1 }),
    ev(4, { type: 'context_usage', parentId: p(3), tokens: 12_800, window: 128_000, estimated: true }),
    ev(5, {
      type: 'usage',
      parentId: p(3),
      model: 'gpt-x',
      inputTokens: 13_000,
      outputTokens: 200,
      cachedTokens: 0,
      costUsd: 0.5,
      reported: true,
    }),
    ev(6, { type: 'tool_call', parentId: p(3), tool: 'read', callId: 'k1', args: { path: 'pkg/x.ts' } }),
    ev(7, { type: 'context_added', parentId: p(6), items: [NESTED] }),
    ev(8, {
      type: 'tool_result',
      parentId: p(6),
      tool: 'read',
      callId: 'k1',
      result: { ok: true, output: 'x', durationMs: 1 },
    }),
    ev(9, { type: 'turn_end', parentId: p(1), turn: 1 }),
    ev(10, { type: 'turn_start', parentId: p(1), turn: 2 }),
    ev(11, { type: 'context_usage', parentId: p(10), tokens: 104_000, window: 128_000, estimated: true, shortened: 2 }),
    ev(12, { type: 'compaction_start', parentId: p(10), reason: 'threshold', tokens: 104_000, window: 128_000 }),
    ev(13, {
      type: 'compaction_end',
      parentId: p(12),
      ok: true,
      summarized: 14,
      tokensBefore: 104_000,
      tokensAfter: 9_000,
      summary: '## Done so far\n- read pkg/x.ts',
    }),
    ev(14, {
      type: 'usage',
      parentId: p(10),
      model: 'gpt-x',
      inputTokens: 9_500,
      outputTokens: 100,
      cachedTokens: 0,
      costUsd: 0.25,
      reported: true,
    }),
    ev(15, { type: 'turn_end', parentId: p(1), turn: 2 }),
    ev(16, { type: 'compaction_start', parentId: p(1), reason: 'user', tokens: 9_600, window: 128_000 }),
    ev(17, {
      type: 'compaction_end',
      parentId: p(16),
      ok: false,
      summarized: 0,
      tokensBefore: 9_600,
      tokensAfter: 9_600,
      error: 'the model returned no summary',
    }),
    ev(18, {
      type: 'notice',
      parentId: p(1),
      kind: 'model_defaults',
      message: 'gpt-x is not in the model table: assumed a 128k window.',
    }),
  ];
}

const fold = (events: readonly AgioEvent[], s: RunState = emptyRunState(RUN)) => foldEvents(s, events);
const upTo = (seq: number) => contextRun().filter((e) => e.seq <= seq);

test('what the task came with becomes chips on the task row; rules found mid-run get a row where they were found', () => {
  const items = toArray(fold(contextRun()).items);
  assert.deepStrictEqual(items[0], {
    kind: 'task',
    id: p(1),
    version: 2,
    turn: 0,
    text: 'Fix @src/app.ts using @problems',
    context: [RULES, APP, PROBLEMS, GONE],
  });
  // After the read's card, in turn 1, before the second turn's items.
  assert.deepStrictEqual(
    items.map((it) => it.kind),
    ['task', 'tool', 'context', 'compaction', 'compaction', 'notice'],
  );
  assert.deepStrictEqual(items[2], { kind: 'context', id: p(7), version: 7, turn: 1, items: [NESTED] });
});

test('the meter follows context_usage, then reported usage, then a compaction', () => {
  assert.equal(contextMeter(fold(upTo(3))), undefined, 'nothing measured yet');
  const estimated = contextMeter(fold(upTo(4)))!;
  assert.deepStrictEqual(
    { text: estimated.text, warn: estimated.warn, estimated: estimated.estimated },
    { text: '~10% of 128k', warn: false, estimated: true },
  );
  // The provider's figure (input + output) replaces the estimate.
  const reported = contextMeter(fold(upTo(5)))!;
  assert.deepStrictEqual({ tokens: reported.tokens, text: reported.text }, { tokens: 13_200, text: '10% of 128k' });
  // 104k of 128k is past compactAt 0.8: the warning colour.
  const full = contextMeter(fold(upTo(11)))!;
  assert.deepStrictEqual({ text: full.text, warn: full.warn }, { text: '~81% of 128k', warn: true });
  assert.match(meterTooltip(full), /104,000 of the model's 128,000-token window/);
  assert.match(meterTooltip(full), /At 80%/);
  // The compaction drops it at once to its own estimate; the next usage gives the real figure.
  assert.deepStrictEqual(contextMeter(fold(upTo(13)))!.text, '~7% of 128k');
  assert.deepStrictEqual(contextMeter(fold(upTo(14)))!.tokens, 9_600);
});

test('a compaction shows running until its end, then what it did; a failed one keeps its error', () => {
  const running = toArray(fold(upTo(12)).items).at(-1);
  assert.deepStrictEqual(running, {
    kind: 'compaction',
    id: p(12),
    version: 12,
    turn: 2,
    reason: 'threshold',
    tokens: 104_000,
    window: 128_000,
    status: 'running',
  });
  const items = toArray(fold(contextRun()).items);
  assert.deepStrictEqual(items[3], {
    kind: 'compaction',
    id: p(12),
    version: 13,
    turn: 2,
    reason: 'threshold',
    tokens: 104_000,
    window: 128_000,
    status: 'ok',
    summarized: 14,
    tokensBefore: 104_000,
    tokensAfter: 9_000,
    summary: '## Done so far\n- read pkg/x.ts',
  });
  assert.deepStrictEqual(items[4], {
    kind: 'compaction',
    id: p(16),
    version: 17,
    turn: 0,
    reason: 'user',
    tokens: 9_600,
    window: 128_000,
    status: 'failed',
    summarized: 0,
    tokensBefore: 9_600,
    tokensAfter: 9_600,
    error: 'the model returned no summary',
  });
  // A failed compaction left the conversation as it was: the meter does not drop.
  assert.equal(contextMeter(fold(contextRun()))!.tokens, 9_600);
  assert.deepStrictEqual(items[5], {
    kind: 'notice',
    id: p(18),
    version: 18,
    turn: 0,
    notice: 'info',
    text: 'gpt-x is not in the model table: assumed a 128k window.',
  });
});

test('each turn records how full the window was, for the Metrics tab', () => {
  const turns = toArray(fold(contextRun()).turns);
  assert.deepStrictEqual(
    turns.map((t) => t.contextTokens),
    [13_200, 9_600],
  );
  assert.deepStrictEqual(fold(contextRun()).context, {
    window: 128_000,
    maxOutput: 16_000,
    compactAt: 0.8,
    tokens: 9_600,
    estimated: false,
  });
});

test('a run without a known window (recorded before the context subsystem) has no meter and no per-turn figure', () => {
  const old = contextRun()
    .filter((e) => e.type !== 'context_usage')
    .map((e) => {
      if (e.type !== 'run_start') return e;
      const { context: _, ...rest } = e;
      return rest as AgioEvent;
    })
    .filter((e) => e.seq <= 10);
  const s = fold(old.map((e, i) => ({ ...e, seq: i + 1 })));
  assert.equal(s.context, undefined);
  assert.equal(contextMeter(s), undefined);
  assert.deepStrictEqual(
    toArray(s.turns).map((t) => t.contextTokens),
    [undefined, undefined],
  );
});

test('live increments of every size and a one-shot replay give the same state', () => {
  const events = contextRun();
  const replayed = focusedRun(reducePanel(initialPanel(), { type: 'reset', runId: RUN, events }));
  for (const size of [1, 2, 5, 7]) {
    let panel = initialPanel();
    for (let i = 0; i < events.length; i += size) {
      panel = reducePanel(panel, {
        type: 'events',
        runId: RUN,
        fromSeq: events[i]!.seq,
        events: events.slice(i, i + size),
      });
    }
    assert.deepStrictEqual(focusedRun(panel), replayed, `increments of ${size}`);
  }
  // Folding never edits the state it started from.
  const half = fold(upTo(12));
  const copy = structuredClone(half);
  fold(events, half);
  assert.deepStrictEqual(half, copy);
});

test("a compaction's own summary call counts in the totals but does not move the meter", () => {
  const events = upTo(12);
  events.push(
    ev(13, {
      type: 'usage',
      parentId: p(12),
      model: 'gpt-x',
      inputTokens: 90_000,
      outputTokens: 800,
      cachedTokens: 0,
      costUsd: 0.5,
      reported: true,
    }),
  );
  const s = fold(events);
  assert.equal(s.totals.inputTokens, 13_000 + 90_000);
  assert.equal(contextMeter(s)!.tokens, 104_000);
  assert.deepStrictEqual(
    toArray(s.turns).map((t) => t.contextTokens),
    [13_200, 104_000],
  );
});
