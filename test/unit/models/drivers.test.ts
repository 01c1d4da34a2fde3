// The drivers through the real SDKs against the fake LLM: provider errors arrive classified by their
// body's fields, the output cap goes out under the name the endpoint reads, and the stream watchdog
// lets the SDK wait out a retry-after.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAnthropicDriver } from '../../../server/src/models/anthropic-driver.ts';
import { createOpenAIDriver, outputCap } from '../../../server/src/models/openai-driver.ts';
import { retryAfterMs } from '../../../server/src/models/observed-fetch.ts';
import { streamWatchdog } from '../../../server/src/models/stream-watchdog.ts';
import type { ModelRequest } from '../../../server/src/models/types.ts';
import { startFakeLlm, type FakeLlm } from '../../fake-llm/server.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] }, { contextWindow: 5_000 })));
after(() => fake.close());

const req = (maxOutputTokens: number, content = 'hi'): ModelRequest => ({
  system: 'be brief',
  messages: [{ role: 'user', content }],
  tools: [],
  maxOutputTokens,
});
const callbacks = { onTextDelta: () => {}, onRetry: () => {} };
const live = () => new AbortController().signal;

test("Anthropic's 400 about max_tokens comes back as an output-cap error naming --max-output", async () => {
  fake.setScript({
    turns: [
      {
        fault: {
          kind: 'status',
          status: 400,
          message: 'max_tokens: 80000 > 64000, which is the maximum allowed number of output tokens for claude-x',
        },
      },
    ],
  });
  const d = await createAnthropicDriver({ model: 'claude-x', apiKey: 'k', baseURL: fake.anthropicBaseUrl });
  const r = await d.complete(req(80_000), live(), callbacks);
  assert.ok(!r.ok);
  assert.deepEqual([r.error.kind, r.error.errorClass, r.error.status], ['output_cap', 'fatal', 400]);
  assert.match(r.error.message, /--max-output N/);
  assert.equal((fake.requests.at(-1)!.body as { max_tokens: number }).max_tokens, 80_000);
});

test('a prompt over the window is context_length from either provider, by their own fields', async () => {
  const long = 'word '.repeat(30_000);
  fake.setScript({ turns: [] });
  const oa = await createOpenAIDriver({ model: 'm', apiKey: 'k', baseURL: fake.openaiBaseUrl, maxRetries: 0 });
  const r1 = await oa.complete(req(100, long), live(), callbacks);
  assert.ok(!r1.ok && r1.error.kind === 'context_length', JSON.stringify(r1));
  const an = await createAnthropicDriver({ model: 'c', apiKey: 'k', baseURL: fake.anthropicBaseUrl, maxRetries: 0 });
  const r2 = await an.complete(req(100, long), live(), callbacks);
  assert.ok(!r2.ok && r2.error.kind === 'context_length', JSON.stringify(r2));
});

test('the OpenAI driver sends its cap, as max_tokens to a compatible server; the fake stops there with length', async () => {
  fake.setScript({ turns: [{ text: 'a'.repeat(400) }] });
  const d = await createOpenAIDriver({ model: 'm', apiKey: 'k', baseURL: fake.openaiBaseUrl });
  const r = await d.complete(req(25), live(), callbacks);
  assert.ok(r.ok);
  assert.equal((fake.requests.at(-1)!.body as { max_tokens: number }).max_tokens, 25);
  assert.deepEqual([r.text.length, r.usage.outputTokens, r.stopReason], [100, 25, 'length']);
});

test("the cap's name: max_completion_tokens for OpenAI's own API and Azure, max_tokens elsewhere", () => {
  assert.deepEqual(outputCap(undefined, 10), { max_completion_tokens: 10 });
  assert.deepEqual(outputCap('https://api.openai.com/v1', 10), { max_completion_tokens: 10 });
  assert.deepEqual(outputCap('https://me.openai.azure.com/openai', 10), { max_completion_tokens: 10 });
  assert.deepEqual(outputCap('http://127.0.0.1:11434/v1', 10), { max_tokens: 10 });
  assert.deepEqual(outputCap('https://openrouter.ai/api/v1', 10), { max_tokens: 10 });
});

test('retry-after is read as the SDKs read it: -ms first, then seconds or a date', () => {
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' })), 1500);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
  const date = retryAfterMs(new Headers({ 'retry-after': new Date(Date.now() + 5000).toUTCString() }))!;
  assert.ok(date > 3000 && date <= 5000, String(date));
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' })), undefined);
  assert.equal(retryAfterMs(new Headers()), undefined);
});

test('the watchdog fires after idleMs of nothing, but allows a wait it was told of on top', async () => {
  const quiet = streamWatchdog(live(), 50);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(quiet.stalled, true);
  quiet.dispose();
  const waiting = streamWatchdog(live(), 50);
  waiting.waiting(150);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(waiting.stalled, false, '120 ms < 50 + 150');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(waiting.stalled, true, 'the next attempt never came');
  waiting.dispose();
});
