// Anthropic Messages wire format (POST /v1/messages), shaped like the real API's output so the
// official `@anthropic-ai/sdk` (and its MessageStream helper) parse it unmodified.

import type { ErrorFields } from './script.ts';
import type { Answer, EncodedStream, Usage, WireFormat } from './wire.ts';
import { pieces, sseEvent } from './wire.ts';

// Anthropic counts cached tokens apart from input_tokens; our Usage.input includes them.
// With `omitUsage` we still send zeros: the SDK's types (and MessageStream's accumulation, which
// writes into message.usage) require the usage object, so a provider cannot really leave it out.
function startUsage(u: Usage | undefined) {
  return {
    input_tokens: u ? Math.max(0, u.input - u.cached) : 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: u?.cached ?? 0,
    output_tokens: u ? 1 : 0,
  };
}

function stopReason(a: Answer): 'max_tokens' | 'tool_use' | 'end_turn' {
  if (a.cut) return 'max_tokens';
  return a.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
}

/** Tool input as an object for non-streaming bodies; a malformed script string is sent as-is. */
function inputObject(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function stream(a: Answer): EncodedStream {
  const message = {
    id: `msg_fake_${a.seq}`,
    type: 'message',
    role: 'assistant',
    model: a.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: startUsage(a.usage),
  };
  const events = [sseEvent('message_start', { type: 'message_start', message }), sseEvent('ping', { type: 'ping' })];
  let index = 0;
  const block = (start: object, deltas: object[]) => {
    events.push(sseEvent('content_block_start', { type: 'content_block_start', index, content_block: start }));
    for (const delta of deltas)
      events.push(sseEvent('content_block_delta', { type: 'content_block_delta', index, delta }));
    events.push(sseEvent('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  };
  if (a.text !== '') {
    block(
      { type: 'text', text: '' },
      pieces(a.text).map((text) => ({ type: 'text_delta', text })),
    );
  }
  for (const tc of a.toolCalls) {
    const deltas = pieces(tc.arguments).map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    block({ type: 'tool_use', id: tc.id, name: tc.name, input: {} }, deltas);
  }
  const tail = [
    sseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason(a), stop_sequence: null },
      usage: { output_tokens: a.usage?.output ?? 0 },
    }),
    sseEvent('message_stop', { type: 'message_stop' }),
  ];
  return { events, tail, reportsUsage: a.usage !== undefined };
}

function json(a: Answer): { body: unknown; reportsUsage: boolean } {
  const content: object[] = [];
  if (a.text !== '') content.push({ type: 'text', text: a.text });
  for (const tc of a.toolCalls)
    content.push({ type: 'tool_use', id: tc.id, name: tc.name, input: inputObject(tc.arguments) });
  const usage = { ...startUsage(a.usage), output_tokens: a.usage?.output ?? 0 };
  const body = {
    id: `msg_fake_${a.seq}`,
    type: 'message',
    role: 'assistant',
    model: a.model,
    content,
    stop_reason: stopReason(a),
    stop_sequence: null,
    usage,
  };
  return { body, reportsUsage: a.usage !== undefined };
}

// Error types as the real API names them for these statuses.
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function error(status: number, message: string, fields?: ErrorFields): unknown {
  const type = fields?.type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message } };
}

export const anthropicWire: WireFormat = {
  name: 'anthropic',
  toolIdPrefix: 'toolu_',
  stream,
  json,
  error,
  // Named like a real event: the SDK skips data lines that carry no `event:` name.
  malformedEvent: 'event: content_block_delta\ndata: {"type":"content_block_delta", this is not json\n\n',
};
