// Provider-neutral conversation and the driver contract. Drivers translate to one wire protocol each;
// the loop only ever sees these types. A driver never throws into the loop: it returns a result.

import type { Message, ToolCallRequest } from '../protocol/conversation.ts';
export type { Message, ToolCallRequest };

/** A tool as the model is told of it (tools/registry.ts makes these from the tools' zod schemas). */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the arguments object, without `$schema`. */
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  system: string;
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  maxOutputTokens: number;
  /** Where the prompt's stable prefix ends, for providers with explicit cache breakpoints (Anthropic's
   * cache_control): after the system prompt, and after these messages. Others cache by prefix anyway. */
  cache?: { system: boolean; messages: readonly number[] };
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** false when the provider did not report usage and the figures are estimates. */
  reported: boolean;
}

export type ErrorClass = 'retryable' | 'fatal' | 'cancelled';

export interface DriverError {
  message: string;
  kind: string;
  errorClass: ErrorClass;
  status?: number;
}

export type ModelResult =
  | { ok: true; text: string; toolCalls: ToolCallRequest[]; usage: Usage; stopReason: string }
  | { ok: false; error: DriverError; partialText: string };

/** A tool call as far as the model has written it. `argsJson` is everything so far (not the chunk):
 * the caller decides how often to look at it. */
export interface PartialToolCall {
  /** Its position among the message's tool calls (0, 1, …). */
  index: number;
  id: string;
  name: string;
  argsJson: string;
}

export interface DriverCallbacks {
  onTextDelta(text: string): void;
  /** Called on every chunk of a tool call's arguments (and when the call opens), while it streams. */
  onToolCallDelta?(call: PartialToolCall): void;
  /** The SDK is retrying a failed HTTP attempt (attempt = 2, 3, …). */
  onRetry(attempt: number, reason: string, status?: number): void;
}

export interface ModelDriver {
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  complete(req: ModelRequest, signal: AbortSignal, cb: DriverCallbacks): Promise<ModelResult>;
}

export interface DriverOptions {
  model: string;
  apiKey: string;
  baseURL?: string;
  /** Retries the SDK makes for transient failures (429, 5xx, connection errors). */
  maxRetries?: number;
  /** Per-request timeout for the response headers (the SDKs' own timeout). */
  timeoutMs?: number;
  /** A stream that sends nothing for this long is abandoned as stalled (retryable). */
  idleTimeoutMs?: number;
}
