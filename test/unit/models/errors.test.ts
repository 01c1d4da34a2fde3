// classifyError against the SDKs' own error objects, built the way the SDKs build them from a response
// (APIError.generate with the status, the parsed body and the headers), with bodies in each provider's
// documented shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorText } from '../../../webview/src/state/notices.ts';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { classifyError, providerErrorFields } from '../../../server/src/models/errors.ts';

const live = new AbortController().signal;
const headers = new Headers({ 'content-type': 'application/json' });

const anthropicError = (status: number, type: string, message: string) =>
  Anthropic.APIError.generate(status, { type: 'error', error: { type, message } }, undefined, headers);
const openaiError = (
  status: number,
  body: { message: string; type: string; param: string | null; code: string | null },
) => OpenAI.APIError.generate(status, { error: body }, undefined, headers);

test('the SDK error objects give up their type, code, param and the provider message', () => {
  const an = anthropicError(400, 'invalid_request_error', 'max_tokens: 80000 > 64000, which is the maximum');
  assert.deepEqual(providerErrorFields(an), {
    status: 400,
    type: 'invalid_request_error',
    code: undefined,
    param: undefined,
    message: 'max_tokens: 80000 > 64000, which is the maximum',
  });
  const oa = openaiError(400, {
    message: "This model's maximum context length is 128000 tokens.",
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  });
  assert.deepEqual(providerErrorFields(oa), {
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    param: 'messages',
    message: "This model's maximum context length is 128000 tokens.",
  });
});

test("Anthropic's max_tokens over the model's output cap is an output-cap error that names --max-output, not the window", () => {
  const err = anthropicError(
    400,
    'invalid_request_error',
    'max_tokens: 80000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-5-20250929',
  );
  const d = classifyError(err, 'anthropic', live);
  assert.equal(d.kind, 'output_cap');
  assert.equal(d.errorClass, 'fatal');
  assert.equal(d.status, 400);
  assert.match(d.message, /output cap/);
  assert.match(d.message, /--max-output N/);
  assert.match(d.message, /"maxOutput" for the model in prices\.json/);
  // The panel says the same in the editor's settings.
  assert.match(errorText(d.message), /"maxOutput" for the model in the agio\.models setting/);
  assert.doesNotMatch(errorText(d.message), /--max-output|prices\.json/);
  assert.match(d.message, /max_tokens: 80000 > 64000/, 'the provider message is kept');
  assert.doesNotMatch(d.message, /context window/);
});

test("OpenAI's error about max_tokens / max_completion_tokens (by param) is an output-cap error", () => {
  for (const param of ['max_tokens', 'max_completion_tokens']) {
    const err = openaiError(400, {
      message: `${param} is too large: 100000. This model supports at most 16384 completion tokens, whereas you provided 100000.`,
      type: 'invalid_request_error',
      param,
      code: 'invalid_value',
    });
    const d = classifyError(err, 'openai', live);
    assert.deepEqual([d.kind, d.errorClass], ['output_cap', 'fatal'], param);
    assert.match(d.message, /--max-output/);
  }
});

test("an overflowing prompt is context_length: OpenAI's code, Anthropic's 'prompt is too long'", () => {
  const oa = classifyError(
    openaiError(400, {
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    }),
    'openai',
    live,
  );
  assert.deepEqual([oa.kind, oa.errorClass], ['context_length', 'fatal']);
  assert.match(oa.message, /no longer fits the model's context window.*Start a new run with a narrower task/);

  const an = classifyError(
    anthropicError(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
    'anthropic',
    live,
  );
  assert.deepEqual([an.kind, an.errorClass], ['context_length', 'fatal']);
});

test('words alone do not make a context error: the same phrase under another type, or another field, is not one', () => {
  // An Anthropic 400 whose message merely mentions a long prompt, but not in the documented form.
  const an = classifyError(
    anthropicError(
      400,
      'invalid_request_error',
      'messages: text content blocks must be non-empty (your prompt is too long?)',
    ),
    'anthropic',
    live,
  );
  assert.equal(an.kind, 'invalid_request');
  // An OpenAI 400 with a code that is not context_length_exceeded, whatever the message says.
  const oa = classifyError(
    openaiError(400, {
      message: 'Invalid value: too long a maximum of tokens',
      type: 'invalid_request_error',
      param: 'tools',
      code: 'invalid_value',
    }),
    'openai',
    live,
  );
  assert.equal(oa.kind, 'invalid_request');
});

test("an OpenAI-compatible server's 400 without a code is recognised by OpenAI's wording, as a last resort", () => {
  const vllm = OpenAI.APIError.generate(
    400,
    {
      error: {
        message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
        type: 'BadRequestError',
        param: null,
        code: null,
      },
    },
    undefined,
    headers,
  );
  assert.equal(classifyError(vllm, 'openai', live).kind, 'context_length');
});

test("Anthropic's rate_limit_error and overloaded_error are retried; authentication_error names the key", () => {
  const rate = classifyError(
    anthropicError(429, 'rate_limit_error', 'Number of requests has exceeded your rate limit'),
    'anthropic',
    live,
  );
  assert.deepEqual([rate.errorClass, rate.status], ['retryable', 429]);
  assert.match(rate.message, /429 rate_limit_error/);
  const over = classifyError(anthropicError(529, 'overloaded_error', 'Overloaded'), 'anthropic', live);
  assert.deepEqual([over.errorClass, over.status], ['retryable', 529]);
  const auth = classifyError(anthropicError(401, 'authentication_error', 'invalid x-api-key'), 'anthropic', live);
  assert.deepEqual([auth.kind, auth.errorClass], ['auth', 'fatal']);
  assert.match(auth.message, /ANTHROPIC_API_KEY/);
});

test('an error event inside an Anthropic stream (no status, a type) is classified by its type', () => {
  // The SDK's stream reader throws this for `event: error` (status undefined, the event's data as body).
  const midStream = new Anthropic.APIError(
    undefined,
    { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    undefined,
    headers,
  );
  const d = classifyError(midStream, 'anthropic', live);
  assert.equal(d.errorClass, 'retryable');
  assert.match(d.message, /overloaded_error: Overloaded/);
  const bad = new Anthropic.APIError(
    undefined,
    { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 5 tokens > 4 maximum' } },
    undefined,
    headers,
  );
  assert.equal(classifyError(bad, 'anthropic', live).kind, 'context_length');
});

test("OpenAI's insufficient_quota 429 is fatal (retrying cannot add credit); a plain 429 is retried", () => {
  const quota = classifyError(
    openaiError(429, {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      param: null,
      code: 'insufficient_quota',
    }),
    'openai',
    live,
  );
  assert.deepEqual([quota.kind, quota.errorClass], ['quota', 'fatal']);
  const rate = classifyError(
    openaiError(429, { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' }),
    'openai',
    live,
  );
  assert.deepEqual([rate.kind, rate.errorClass, rate.status], ['http_429', 'retryable', 429]);
});

test('a 500 with no body fields goes by its status; a cancelled request is a cancel', () => {
  const bare = OpenAI.APIError.generate(502, undefined, 'Bad Gateway', headers);
  assert.deepEqual([classifyError(bare, 'openai', live).errorClass], ['retryable']);
  const stopped = new AbortController();
  stopped.abort();
  assert.equal(classifyError(new OpenAI.APIUserAbortError(), 'openai', stopped.signal).errorClass, 'cancelled');
  const conn = classifyError(new Anthropic.APIConnectionError({ message: 'Connection error.' }), 'anthropic', live);
  assert.deepEqual([conn.kind, conn.errorClass], ['connection', 'retryable']);
});
