// What the two wire encoders (openai-wire.ts, anthropic-wire.ts) have in common: the provider-neutral
// answer they encode, and the interface server.ts drives them through. Faults are applied by the
// server on top of the encoded event list, so each encoder only has to describe the happy path.

import type { ErrorFields } from './script.ts';

export interface Usage {
  /** Total input tokens, cached ones included (OpenAI's prompt_tokens convention). */
  input: number;
  output: number;
  cached: number;
}

export interface AnswerToolCall {
  id: string;
  name: string;
  /** The argument JSON exactly as it goes on the wire (may be deliberately malformed). */
  arguments: string;
}

/** One model answer, independent of the wire format. */
export interface Answer {
  /** Sequence number of the response, for message / completion ids. */
  seq: number;
  model: string;
  text: string;
  toolCalls: AnswerToolCall[];
  /** Undefined when the turn says `omitUsage`. */
  usage: Usage | undefined;
  /** The parsed request body, for per-request options such as stream_options.include_usage. */
  request: Record<string, unknown>;
  /** The reply ran into the request's output cap and stops there (max_tokens / length). */
  cut: boolean;
}

export interface EncodedStream {
  /** Complete SSE events (each ends with a blank line), in order. */
  events: string[];
  /** The closing events (finish / usage / [DONE], or message_delta / message_stop): what `truncate` omits. */
  tail: string[];
  /** Whether the usage actually went on the wire (OpenAI sends none without include_usage). */
  reportsUsage: boolean;
}

export interface WireFormat {
  name: 'openai' | 'anthropic';
  toolIdPrefix: string;
  stream(a: Answer): EncodedStream;
  json(a: Answer): { body: unknown; reportsUsage: boolean };
  /** The error body the real API sends with this status (or with the given fields). */
  error(status: number, message: string, fields?: ErrorFields): unknown;
  /** An event whose data is not JSON but which the SDK will try to parse (not skip). */
  malformedEvent: string;
}

export function sseData(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\n${sseData(data)}`;
}

/** Splits a string into several pieces (by code point, so no surrogate pair is cut) so that clients
 * see more than one delta, but caps the piece size so long texts stream like real ones do. */
export function pieces(s: string): string[] {
  const cps = Array.from(s);
  if (cps.length === 0) return [];
  const size = Math.max(1, Math.min(32, Math.ceil(cps.length / 4)));
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}
