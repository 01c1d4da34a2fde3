import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContextWindow } from '../../../server/src/context/context-window.ts';
import type { EventDraft } from '../../../server/src/protocol/events.ts';
import type { Message, ModelRequest } from '../../../server/src/models/types.ts';

function setup(
  summary: { ok: true; text: string } | { ok: false; error: string } = { ok: true, text: 'SUMMARY of the older turns' },
) {
  const events: EventDraft[] = [];
  const asked: ModelRequest[] = [];
  const ctx = new ContextWindow(
    { window: 4_000, maxOutput: 1_000, compactAt: 0.8 },
    { system: 'system prompt', tools: [], messages: [{ role: 'user', content: 'THE TASK' }], maxOutputTokens: 8_192 },
    {
      emit: (d) => {
        events.push(d);
        return { id: `e${events.length}` };
      },
      summarize: async (req) => {
        asked.push(req);
        return summary;
      },
    },
  );
  return { ctx, events, asked };
}

const addTurn = (ctx: ContextWindow, i: number, chars: number) => {
  const id = `c${i}`;
  ctx.push({ role: 'assistant', text: `turn ${i}`, toolCalls: [{ id, name: 'read', argsJson: `{"path":"f${i}"}` }] });
  ctx.pushToolResult({
    role: 'tool',
    callId: id,
    name: 'read',
    content: `result ${i} `.repeat(chars).slice(0, chars),
    isError: false,
  });
};
const types = (events: EventDraft[]) => events.map((e) => e.type);

test('the threshold leaves room for the output cap in the window', () => {
  const { ctx } = setup();
  assert.equal(ctx.threshold, 3_000, 'min(0.8 × 4000, 4000 − 1000)');
});

test('below the threshold nothing changes and the request is the conversation as it grew', async () => {
  const { ctx, events } = setup();
  addTurn(ctx, 1, 400);
  const before = [...ctx.messages];
  const req = await ctx.prepare('turn', new AbortController().signal);
  assert.deepEqual(types(events), ['context_usage']);
  assert.deepEqual(req.messages, before);
  assert.equal(req.maxOutputTokens, 1_000, 'never more than the model can write');
});

test('near the window, old results the model acted on are shortened first; that may be enough', async () => {
  const { ctx, events, asked } = setup();
  for (let i = 1; i <= 8; i++) addTurn(ctx, i, 1_500);
  assert.ok((await ctx.estimate()) >= ctx.threshold);
  const req = await ctx.prepare('turn', new AbortController().signal);
  assert.deepEqual(types(events), ['context_usage']);
  const usage = events[0] as Extract<EventDraft, { type: 'context_usage' }>;
  assert.equal(usage.shortened, 6, 'all but the last two turns');
  assert.ok(usage.tokens < ctx.threshold);
  assert.match((req.messages[2] as { content: string }).content, /Agio shortened this result from 1,500 characters/);
  assert.equal((req.messages.at(-1) as { content: string }).content.length, 1_500);
  assert.equal(asked.length, 0, 'no model call was needed');
});

test('when shortening is not enough, the older turns are compacted, visibly', async () => {
  const { ctx, events, asked } = setup();
  for (let i = 1; i <= 40; i++) addTurn(ctx, i, 1_500);
  const req = await ctx.prepare('turn', new AbortController().signal);
  assert.deepEqual(types(events), ['compaction_start', 'compaction_end', 'context_usage']);
  const start = events[0] as Extract<EventDraft, { type: 'compaction_start' }>;
  const end = events[1] as Extract<EventDraft, { type: 'compaction_end' }>;
  assert.equal(start.reason, 'threshold');
  assert.ok(end.ok && end.tokensAfter < end.tokensBefore && end.tokensAfter < ctx.threshold);
  // The task stays first; the summary replaces the older turns; the last two turns stay verbatim.
  assert.deepEqual(req.messages[0], { role: 'user', content: 'THE TASK' });
  assert.match(
    (req.messages[1] as { content: string }).content,
    /<conversation-summary>[\s\S]*SUMMARY of the older turns[\s\S]*Files changed so far: \(none\)/,
  );
  assert.equal(req.messages.length, 2 + 4);
  assert.equal((req.messages[2] as { text: string }).text, 'turn 39');
  // The summarizer's own request fits the window.
  assert.equal(asked.length, 1);
  assert.ok(JSON.stringify(asked[0]).length / 4 < 4_000);
  const usage = events[2] as Extract<EventDraft, { type: 'context_usage' }>;
  assert.ok(usage.tokens < ctx.threshold);
});

test('when the summary call fails, a mechanical summary keeps the run inside the window and the event says so', async () => {
  const { ctx, events } = setup({ ok: false, error: 'HTTP 500' });
  for (let i = 1; i <= 40; i++) addTurn(ctx, i, 1_500);
  const req = await ctx.prepare('turn', new AbortController().signal);
  const end = events.find((e) => e.type === 'compaction_end') as Extract<EventDraft, { type: 'compaction_end' }>;
  assert.equal(end.ok, false);
  assert.match(end.error ?? '', /HTTP 500; the earlier steps were listed mechanically/);
  assert.match((req.messages[1] as { content: string }).content, /called read \{"path":"f1"\}/);
  assert.ok(end.tokensAfter < ctx.threshold);
});

test('the user can ask to compact below the threshold; with nothing old enough it says so instead', async () => {
  const { ctx, events } = setup();
  addTurn(ctx, 1, 100);
  ctx.requestCompaction();
  await ctx.prepare('t1', new AbortController().signal);
  const end = events.find((e) => e.type === 'compaction_end') as Extract<EventDraft, { type: 'compaction_end' }>;
  assert.equal(end.ok, false);
  assert.match(end.error ?? '', /nothing to compact yet/);
  addTurn(ctx, 2, 100);
  addTurn(ctx, 3, 100);
  ctx.requestCompaction();
  events.length = 0;
  await ctx.prepare('t2', new AbortController().signal);
  assert.equal((events[0] as Extract<EventDraft, { type: 'compaction_start' }>).reason, 'user');
  assert.equal((events[1] as Extract<EventDraft, { type: 'compaction_end' }>).ok, true);
});

test("the estimate follows the provider's reported count plus what was added since", async () => {
  const { ctx } = setup();
  addTurn(ctx, 1, 40);
  ctx.reportInput(1_234, ctx.messages.length);
  assert.equal(await ctx.estimate(), 1_234);
  ctx.push({ role: 'user', content: 'x'.repeat(400) });
  const est = await ctx.estimate();
  assert.ok(est > 1_234 && est < 1_234 + 200, `${est}`);
});

test('a huge tool result enters the conversation cut to the cap', () => {
  const { ctx } = setup();
  addTurn(ctx, 1, 50_000);
  const m = ctx.messages.at(-1) as Extract<Message, { role: 'tool' }>;
  assert.ok(m.content.length < 3_000);
  assert.match(m.content, /Agio cut/);
});

test('the budget projection counts a rewritten conversation as all new, not as the stale reported figure', async () => {
  const { ctx } = setup();
  for (let i = 1; i <= 8; i++) addTurn(ctx, i, 1_500);
  ctx.reportInput(3_500, ctx.messages.length);
  addTurn(ctx, 9, 100);
  const before = await ctx.projection();
  assert.equal(before.reported, 3_500);
  assert.ok(before.added > 0 && before.added < 200);
  await ctx.prepare('turn', new AbortController().signal); // shortens the old results
  const after = await ctx.projection();
  assert.equal(after.reported, 0);
  assert.ok(after.added < 3_500, `${after.added}: the shortened conversation, all of it counted as new`);
});

test('when what compaction keeps is itself over the threshold, it does not compact again every turn', async () => {
  const { ctx, events, asked } = setup();
  // A task that alone takes most of the threshold: compaction cannot bring the conversation under it.
  ctx.replaceTask('T'.repeat(10_000));
  for (let i = 1; i <= 6; i++) addTurn(ctx, i, 600);
  await ctx.prepare('t1', new AbortController().signal);
  assert.equal(asked.length, 1);
  addTurn(ctx, 7, 200);
  await ctx.prepare('t2', new AbortController().signal);
  assert.equal(asked.length, 1, 'no second summary call for a conversation that barely grew');
  assert.equal(events.filter((e) => e.type === 'compaction_start').length, 1);
});
