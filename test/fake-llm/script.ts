// The script format of the fake LLM server: what the model "says" on each request. Both wire formats
// (OpenAI Chat Completions and Anthropic Messages) are served from the same script, so one scripted
// task runs against either provider.

export interface ScriptedToolCall {
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (so tests can send malformed JSON). */
  arguments: Record<string, unknown> | string;
  /** Defaults to a generated id (call_1, toolu_1, …). */
  id?: string;
}

export type Fault =
  /** Answer with this HTTP status and an error body in the provider's format. */
  | {
      kind: 'status';
      status: number;
      /** Sent as `retry-after` (seconds); `retryAfterMs` as `retry-after-ms`. */
      retryAfterSeconds?: number;
      retryAfterMs?: number;
      message?: string;
      /** The body's error fields, when not the ones the real API sends with this status by default. */
      errorFields?: ErrorFields;
    }
  /** Stream part of the response, then destroy the socket. */
  | { kind: 'drop'; afterChunks: number }
  /** Stream a chunk that is not valid JSON in the middle of the response. */
  | { kind: 'malformed' }
  /** Send headers and the first chunk, then go silent for this long before finishing. */
  | { kind: 'stall'; ms: number }
  /** Stream the content but never send the provider's final event / [DONE]. */
  | { kind: 'truncate' };

/** Fields of a provider's error body: Anthropic has only a type; OpenAI a type, a code and a param. */
export interface ErrorFields {
  type?: string;
  code?: string | null;
  param?: string | null;
}

export interface ScriptedTurn {
  /** Assistant text, streamed in several deltas. */
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Reported usage; when absent the server derives it from request and response sizes. */
  usage?: { input: number; output: number; cached?: number };
  /** Omit usage from the response entirely (a provider that does not report it). */
  omitUsage?: boolean;
  /** A fault instead of (or in the middle of) the normal answer. A faulted turn is not consumed
   * unless `consume` is true, so a retry gets the same turn's real answer. */
  fault?: Fault;
  consume?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
}

/** A whole script: turns are consumed in order, one per request. When the script runs out the
 * server answers with a plain text "done" turn (so a runaway loop ends) unless `strict`. */
export interface Script {
  turns: ScriptedTurn[];
  strict?: boolean;
}

/** A request as the fake server received it, for tests to inspect. */
export interface RecordedRequest {
  wire: 'openai' | 'anthropic';
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body as received (for byte-level prefix checks). */
  rawBody: string;
  body: unknown;
  /** When it arrived (ms since the epoch), to check the waits between retries. */
  receivedAt: number;
  /** Set when the request was over the configured context window (and refused with a 400). */
  overWindow?: boolean;
  /** The usage the server reported for this request (absent when omitted or faulted). */
  reportedUsage?: { input: number; output: number; cached: number };
}
