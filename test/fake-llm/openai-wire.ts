// OpenAI Chat Completions wire format (POST /v1/chat/completions), shaped like the real API's output
// so the official `openai` SDK (and its ChatCompletionStream helper) parse it unmodified.

import type { ErrorFields } from './script.ts';
import type { Answer, EncodedStream, Usage, WireFormat } from './wire.ts';
import { pieces, sseData } from './wire.ts';

// A fixed timestamp keeps responses byte-for-byte reproducible between runs.
const CREATED = 1_700_000_000;

function usageObject(u: Usage) {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cached },
  };
}

function finishReason(a: Answer): 'length' | 'tool_calls' | 'stop' {
  if (a.cut) return 'length';
  return a.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

function stream(a: Answer): EncodedStream {
  const opts = a.request.stream_options as { include_usage?: boolean } | undefined;
  const includeUsage = opts?.include_usage === true && a.usage !== undefined;
  const base = {
    id: `chatcmpl-fake-${a.seq}`,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: a.model,
    system_fingerprint: 'fp_fake',
  };
  // The real API puts `usage: null` on every chunk but the last when include_usage is on.
  const chunk = (delta: object, finish: string | null = null) =>
    sseData({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });

  const events = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const p of pieces(a.text)) events.push(chunk({ content: p }));
  a.toolCalls.forEach((tc, index) => {
    events.push(
      chunk({ tool_calls: [{ index, id: tc.id, type: 'function', function: { name: tc.name, arguments: '' } }] }),
    );
    for (const p of pieces(tc.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }));
  });

  const tail = [chunk({}, finishReason(a))];
  if (includeUsage && a.usage) tail.push(sseData({ ...base, choices: [], usage: usageObject(a.usage) }));
  tail.push(sseData('[DONE]'));
  return { events, tail, reportsUsage: includeUsage };
}

function json(a: Answer): { body: unknown; reportsUsage: boolean } {
  const message = {
    role: 'assistant',
    content: a.text === '' && a.toolCalls.length > 0 ? null : a.text,
    refusal: null,
    ...(a.toolCalls.length > 0
      ? {
          tool_calls: a.toolCalls.map((tc) => ({
            id: tc.id,
            type: 'function',
            function: { name: tc.name, arguments: tc.arguments },
          })),
        }
      : {}),
  };
  const body = {
    id: `chatcmpl-fake-${a.seq}`,
    object: 'chat.completion',
    created: CREATED,
    model: a.model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(a) }],
    ...(a.usage ? { usage: usageObject(a.usage) } : {}),
  };
  return { body, reportsUsage: a.usage !== undefined };
}

// Type and code as the real API reports them for these statuses.
const ERROR_KINDS: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', null],
};

function error(status: number, message: string, fields?: ErrorFields): unknown {
  const [type, code] =
    ERROR_KINDS[status] ?? (status >= 500 ? ['server_error', null] : ['invalid_request_error', null]);
  return {
    error: {
      message,
      type: fields?.type ?? type,
      param: fields?.param === undefined ? null : fields.param,
      code: fields?.code === undefined ? code : fields.code,
    },
  };
}

export const openaiWire: WireFormat = {
  name: 'openai',
  toolIdPrefix: 'call_',
  stream,
  json,
  error,
  malformedEvent: 'data: {"id":"chatcmpl-fake","choices":[{"delta": this is not json\n\n',
};
