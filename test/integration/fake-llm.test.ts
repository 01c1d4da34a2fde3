// The fake LLM server against the REAL `openai` and `@anthropic-ai/sdk` clients: if these pass, the
// drivers' integration tests exercise the SDKs' actual parsing, retry and error paths.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI, { APIConnectionError as OaConnErr, APIError as OaApiError } from 'openai';
import Anthropic, { APIConnectionError as AnConnErr, APIError as AnApiError } from '@anthropic-ai/sdk';
import { startFakeLlm, type FakeLlm, type ScriptSource } from '../fake-llm/server.ts';
import type { Fault, ScriptedTurn } from '../fake-llm/script.ts';

const MESSAGES = [{ role: 'user' as const, content: 'Read a.txt please' }];
const TOOLS_TURN: ScriptedTurn = {
  text: 'Reading both files now.',
  toolCalls: [
    { name: 'read_file', arguments: { path: 'a.txt', range: [1, 20] } },
    { name: 'grep', arguments: '{"pattern":"TODO","glob":"**/*.ts"}', id: 'my-id' },
  ],
};

// logLevel 'off': the SDKs console.error every malformed chunk they see, which is noise here.
const openai = (llm: FakeLlm, maxRetries = 0) =>
  new OpenAI({ apiKey: 'test', baseURL: llm.openaiBaseUrl, maxRetries, logLevel: 'off' });
const anthropic = (llm: FakeLlm, maxRetries = 0) =>
  new Anthropic({ apiKey: 'test', baseURL: llm.anthropicBaseUrl, maxRetries, logLevel: 'off' });

async function withLlm(script: ScriptSource, fn: (llm: FakeLlm) => Promise<void>): Promise<void> {
  const llm = await startFakeLlm(script);
  try {
    await fn(llm);
  } finally {
    await llm.close();
  }
}

/** Streams one OpenAI completion, keeping what arrived before any error. */
async function oaStream(llm: FakeLlm, maxRetries = 0) {
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  let error: unknown;
  try {
    const s = await openai(llm, maxRetries).chat.completions.create({
      model: 'gpt-fake',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const c of s) chunks.push(c);
  } catch (e) {
    error = e;
  }
  const deltas = chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
  const text = deltas.map((d) => d.content ?? '').join('');
  return {
    chunks,
    deltas,
    text,
    error,
    finish: chunks.flatMap((c) => c.choices).find((ch) => ch.finish_reason)?.finish_reason,
  };
}

async function anStream(llm: FakeLlm, maxRetries = 0) {
  const events: Anthropic.RawMessageStreamEvent[] = [];
  let error: unknown;
  try {
    const s = await anthropic(llm, maxRetries).messages.create({
      model: 'claude-fake',
      max_tokens: 100,
      messages: MESSAGES,
      stream: true,
    });
    for await (const e of s) events.push(e);
  } catch (e) {
    error = e;
  }
  const textDeltas = events.flatMap((e) =>
    e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : [],
  );
  return { events, textDeltas, types: events.map((e) => e.type), error };
}

test('streamed text arrives in several deltas and concatenates to the scripted text', async () => {
  const text = 'Hello from the fake model — with a non-ASCII 🎉 and enough words to split.';
  await withLlm({ turns: [{ text }, { text }] }, async (llm) => {
    const oa = await oaStream(llm);
    assert.equal(oa.error, undefined);
    assert.ok(oa.deltas.filter((d) => d.content).length > 1);
    assert.equal(oa.text, text);
    assert.equal(oa.deltas[0]?.role, 'assistant');
    assert.equal(oa.finish, 'stop');

    const an = await anStream(llm);
    assert.ok(an.textDeltas.length > 1);
    assert.equal(an.textDeltas.join(''), text);
    assert.equal(an.types.at(-1), 'message_stop');
  });
});

test('two tool calls in one turn arrive with names, ids and the exact argument JSON (OpenAI)', async () => {
  await withLlm({ turns: [TOOLS_TURN] }, async (llm) => {
    const { deltas, finish, error } = await oaStream(llm);
    assert.equal(error, undefined);
    const calls: { id?: string; name?: string; args: string; pieces: number }[] = [];
    for (const tc of deltas.flatMap((d) => d.tool_calls ?? [])) {
      calls[tc.index] ??= { args: '', pieces: 0 };
      const call = calls[tc.index]!;
      if (tc.id) call.id = tc.id;
      if (tc.function?.name) call.name = tc.function.name;
      if (tc.function?.arguments) {
        call.args += tc.function.arguments;
        call.pieces++;
      }
    }
    assert.deepEqual(
      calls.map(({ id, name, args }) => ({ id, name, args })),
      [
        { id: 'call_1', name: 'read_file', args: '{"path":"a.txt","range":[1,20]}' },
        { id: 'my-id', name: 'grep', args: '{"pattern":"TODO","glob":"**/*.ts"}' },
      ],
    );
    assert.ok(
      calls.every((c) => c.pieces > 1),
      'arguments are split over several chunks',
    );
    assert.equal(finish, 'tool_calls');
  });
});

test('two tool calls in one turn arrive with names, ids and the exact argument JSON (Anthropic)', async () => {
  await withLlm({ turns: [TOOLS_TURN] }, async (llm) => {
    const { events, error } = await anStream(llm);
    assert.equal(error, undefined);
    const blocks: { id: string; name: string; json: string }[] = [];
    for (const e of events) {
      if (e.type === 'content_block_start' && e.content_block.type === 'tool_use') {
        blocks[e.index] = { id: e.content_block.id, name: e.content_block.name, json: '' };
      }
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta')
        blocks[e.index]!.json += e.delta.partial_json;
    }
    assert.deepEqual(blocks.filter(Boolean), [
      { id: 'toolu_1', name: 'read_file', json: '{"path":"a.txt","range":[1,20]}' },
      { id: 'my-id', name: 'grep', json: '{"pattern":"TODO","glob":"**/*.ts"}' },
    ]);
    const delta = events.find((e) => e.type === 'message_delta');
    assert.equal(delta?.type === 'message_delta' && delta.delta.stop_reason, 'tool_use');
    // The SDK's own accumulator agrees.
    llm.setScript({ turns: [TOOLS_TURN] });
    const final = await anthropic(llm)
      .messages.stream({ model: 'c', max_tokens: 1024, messages: MESSAGES })
      .finalMessage();
    assert.deepEqual(
      final.content.filter((b) => b.type === 'tool_use').map((b) => b.input),
      [
        { path: 'a.txt', range: [1, 20] },
        { pattern: 'TODO', glob: '**/*.ts' },
      ],
    );
  });
});

test('usage read by the SDKs equals the scripted usage; derived and omitted usage', async () => {
  const usage = { input: 120, output: 30, cached: 100 };
  await withLlm(
    { turns: [{ text: 'a', usage }, { text: 'b', usage }, { text: 'abcdefgh' }, { text: 'x', omitUsage: true }] },
    async (llm) => {
      const oa = await oaStream(llm);
      const last = oa.chunks.at(-1)!;
      assert.deepEqual(last.choices, []);
      assert.deepEqual(last.usage, {
        prompt_tokens: 120,
        completion_tokens: 30,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 100 },
      });

      // Anthropic counts cache reads apart from input_tokens: 120 total = 20 uncached + 100 cached.
      const final = await anthropic(llm)
        .messages.stream({ model: 'c', max_tokens: 1024, messages: MESSAGES })
        .finalMessage();
      assert.equal(final.usage.input_tokens, 20);
      assert.equal(final.usage.cache_read_input_tokens, 100);
      assert.equal(final.usage.output_tokens, 30);
      assert.deepEqual(
        llm.requests.map((r) => r.reportedUsage),
        [usage, usage],
      );

      await oaStream(llm); // derived: ceil(body / 4) in, ceil('abcdefgh'.length / 4) = 2 out
      assert.deepEqual(llm.requests[2]!.reportedUsage, {
        input: Math.ceil(llm.requests[2]!.rawBody.length / 4),
        output: 2,
        cached: 0,
      });

      const omitted = await oaStream(llm);
      assert.ok(omitted.chunks.every((c) => !c.usage));
      assert.equal(llm.requests[3]!.reportedUsage, undefined);
    },
  );
});

test('a 429 with retry-after 0 is retried by each SDK and then succeeds', async () => {
  const turn: ScriptedTurn = { text: 'after the limit', fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } };
  await withLlm({ turns: [turn] }, async (llm) => {
    const oa = await openai(llm, 2).chat.completions.create({ model: 'm', messages: MESSAGES });
    assert.equal(oa.choices[0]?.message.content, 'after the limit');
    assert.equal(llm.requests.length, 2);

    llm.setScript({ turns: [turn] });
    const an = await anthropic(llm, 2).messages.create({ model: 'c', max_tokens: 1024, messages: MESSAGES });
    assert.deepEqual(an.content, [{ type: 'text', text: 'after the limit' }]);
    assert.equal(llm.requests.length, 4);
  });
});

test('a 500 with maxRetries 0 raises the SDK APIError with status 500, body in provider format', async () => {
  const turn: ScriptedTurn = { text: 'x', fault: { kind: 'status', status: 500, message: 'boom' } };
  await withLlm({ turns: [turn] }, async (llm) => {
    await assert.rejects(openai(llm).chat.completions.create({ model: 'm', messages: MESSAGES }), (e: unknown) => {
      assert.ok(e instanceof OaApiError);
      assert.equal(e.status, 500);
      assert.match(e.message, /boom/);
      return true;
    });
    llm.setScript({ turns: [turn] });
    await assert.rejects(
      anthropic(llm).messages.create({ model: 'c', max_tokens: 1024, messages: MESSAGES }),
      (e: unknown) => {
        assert.ok(e instanceof AnApiError);
        assert.equal(e.status, 500);
        assert.deepEqual(e.error, { type: 'error', error: { type: 'api_error', message: 'boom' } });
        return true;
      },
    );
  });
});

test('faults mid-stream: drop throws "terminated", malformed throws SyntaxError, truncate ends early', async () => {
  const run = async (fault: Fault) => {
    const llm = await startFakeLlm({ turns: [{ ...TOOLS_TURN, fault }] });
    try {
      const oa = await oaStream(llm);
      llm.setScript({ turns: [{ ...TOOLS_TURN, fault }] });
      return { oa, an: await anStream(llm) };
    } finally {
      await llm.close();
    }
  };
  // Dropped after headers: the SDK has already returned the stream, so nothing retries.
  const drop = await run({ kind: 'drop', afterChunks: 3 });
  assert.ok(drop.oa.error instanceof TypeError && /terminated/.test(drop.oa.error.message));
  assert.equal(drop.oa.chunks.length, 3);
  assert.ok(drop.an.error instanceof TypeError && /terminated/.test(drop.an.error.message));
  assert.deepEqual(drop.an.types, ['message_start', 'content_block_start']); // the 3rd chunk was a ping

  const bad = await run({ kind: 'malformed' });
  assert.ok(bad.oa.error instanceof SyntaxError);
  assert.ok(bad.an.error instanceof SyntaxError);

  // Truncated: the raw streams end quietly; only the missing finish / message_stop tells.
  const cut = await run({ kind: 'truncate' });
  assert.equal(cut.oa.error, undefined);
  assert.equal(cut.oa.finish, undefined);
  assert.equal(cut.an.error, undefined);
  assert.ok(!cut.an.types.includes('message_delta') && !cut.an.types.includes('message_stop'));
});

test('truncated streams make the SDK stream helpers reject', async () => {
  const turn: ScriptedTurn = { text: 'partial', fault: { kind: 'truncate' } };
  await withLlm({ turns: [turn] }, async (llm) => {
    const oa = openai(llm).chat.completions.stream({ model: 'm', messages: MESSAGES });
    await assert.rejects(oa.finalChatCompletion(), /missing finish_reason/);
    llm.setScript({ turns: [turn] });
    const an = anthropic(llm).messages.stream({ model: 'c', max_tokens: 1024, messages: MESSAGES });
    await assert.rejects(an.finalMessage(), /stream ended without producing a Message/);
  });
});

test('a connection dropped before any response is a connection error that the SDK retries', async () => {
  const turn: ScriptedTurn = { text: 'second try', fault: { kind: 'drop', afterChunks: 0 } };
  await withLlm({ turns: [turn, turn] }, async (llm) => {
    await assert.rejects(openai(llm).chat.completions.create({ model: 'm', messages: MESSAGES }), OaConnErr);
    assert.equal((await oaStream(llm)).text, 'second try'); // the fault fired once; the turn was kept
    llm.setScript({ turns: [turn] });
    await assert.rejects(
      anthropic(llm).messages.create({ model: 'c', max_tokens: 1024, messages: MESSAGES }),
      AnConnErr,
    );
  });
});

test('a stall pauses after the first chunk and then completes', async () => {
  await withLlm({ turns: [{ text: 'slow but sure', fault: { kind: 'stall', ms: 150 } }] }, async (llm) => {
    const times: number[] = [];
    const s = await openai(llm).chat.completions.create({ model: 'm', messages: MESSAGES, stream: true });
    let text = '';
    for await (const c of s) {
      times.push(Date.now());
      text += c.choices[0]?.delta.content ?? '';
    }
    assert.equal(text, 'slow but sure');
    assert.ok(times[1]! - times[0]! >= 100, `gap ${times[1]! - times[0]!}ms`);
  });
});

test('close() does not hang on a stalled stream or a delayed answer', async () => {
  const llm = await startFakeLlm({
    turns: [
      { text: 'x', fault: { kind: 'stall', ms: 60_000 }, consume: true },
      { text: 'y', delayMs: 60_000 },
    ],
  });
  const s = await openai(llm).chat.completions.create({ model: 'm', messages: MESSAGES, stream: true });
  const pending = anthropic(llm)
    .messages.create({ model: 'c', max_tokens: 1024, messages: MESSAGES })
    .catch((e: unknown) => e);
  while (llm.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
  await llm.close();
  await assert.rejects(async () => {
    for await (const _ of s);
  });
  assert.ok((await pending) instanceof AnConnErr);
});

test('consume, script exhaustion, strict mode, function scripts and non-streaming tool calls', async () => {
  const rate: Fault = { kind: 'status', status: 429 };
  await withLlm({ turns: [{ text: 'lost', fault: rate, consume: true }, TOOLS_TURN] }, async (llm) => {
    await assert.rejects(openai(llm).chat.completions.create({ model: 'm', messages: MESSAGES }), { status: 429 });
    const oa = await openai(llm).chat.completions.create({ model: 'm', messages: MESSAGES });
    assert.deepEqual(
      oa.choices[0]?.message.tool_calls?.map((t) => t.type === 'function' && [t.id, t.function.arguments]),
      [
        ['call_1', '{"path":"a.txt","range":[1,20]}'],
        ['my-id', '{"pattern":"TODO","glob":"**/*.ts"}'],
      ],
    );
    assert.equal((await oaStream(llm)).text, 'done'); // exhausted: a plain "done"
    llm.setScript({ turns: [TOOLS_TURN], strict: true });
    const an = await anthropic(llm).messages.create({ model: 'c', max_tokens: 1024, messages: MESSAGES });
    assert.deepEqual(
      an.content.map((b) => (b.type === 'tool_use' ? [b.id, b.input] : b.type)),
      ['text', ['toolu_1', { path: 'a.txt', range: [1, 20] }], ['my-id', { pattern: 'TODO', glob: '**/*.ts' }]],
    );
    await assert.rejects(
      anthropic(llm).messages.create({ model: 'c', max_tokens: 1024, messages: MESSAGES }),
      /script exhausted/,
    );
  });
  await withLlm(
    (req, i) => ({ text: `${req.wire} #${i}` }),
    async (llm) => {
      assert.equal((await oaStream(llm)).text, 'openai #0');
      assert.equal((await anStream(llm)).textDeltas.join(''), 'anthropic #1');
    },
  );
});

test('recorded requests hold what the clients sent', async () => {
  await withLlm({ turns: [] }, async (llm) => {
    await oaStream(llm);
    await anStream(llm);
    const [oa, an] = llm.requests;
    assert.equal(oa?.wire, 'openai');
    assert.equal(oa?.path, '/v1/chat/completions');
    assert.equal(oa?.headers.authorization, 'Bearer test');
    assert.deepEqual((oa?.body as { messages: unknown } | undefined)?.messages, MESSAGES);
    assert.equal(an?.wire, 'anthropic');
    assert.equal(an?.path, '/v1/messages');
    // @anthropic-ai/sdk 1.x sends the API key as a bearer token, not as x-api-key.
    assert.equal(an?.headers.authorization, 'Bearer test');
    assert.ok(an?.headers['anthropic-version']);
    assert.deepEqual(JSON.parse(an!.rawBody), an!.body);
    assert.deepEqual((an?.body as { messages: unknown } | undefined)?.messages, MESSAGES);
  });
});

test('the CLI prints its URLs, serves the script file and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fake-llm-'));
  writeFileSync(join(dir, 's.json'), JSON.stringify({ turns: [{ text: 'from a file' }] }));
  const main = new URL('../fake-llm/main.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', main, '--script', join(dir, 's.json')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const info = JSON.parse(line) as { port: number; openaiBaseUrl: string; anthropicBaseUrl: string };
    assert.equal(info.openaiBaseUrl, `http://127.0.0.1:${info.port}/v1`);
    const client = new OpenAI({ apiKey: 'test', baseURL: info.openaiBaseUrl, maxRetries: 0 });
    const r = await client.chat.completions.create({ model: 'm', messages: MESSAGES });
    assert.equal(r.choices[0]?.message.content, 'from a file');
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
