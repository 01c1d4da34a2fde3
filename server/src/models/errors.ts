// Turns whatever an SDK or stream threw into a DriverError the loop can act on: a class
// (retryable / fatal / cancelled) and a message that says what happened and what the user can do.
//
// Provider errors are told apart by the fields the providers put in their error bodies, which the
// SDKs expose on their APIError objects: Anthropic's `error.type` (invalid_request_error,
// rate_limit_error, overloaded_error, …) and OpenAI's `code` / `type` / `param`
// (context_length_exceeded, insufficient_quota, param "max_tokens"). The HTTP status decides only
// where a body says nothing (an OpenAI-compatible server, a proxy). Words in a message are looked at
// in two documented cases only, each inside a known type, because the provider gives no code there.
import type { DriverError } from './types.ts';

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

/** Anthropic's error types that are worth another attempt (rate limit, overload, its own failures). */
const ANTHROPIC_RETRYABLE_TYPES = new Set(['rate_limit_error', 'overloaded_error', 'api_error', 'timeout_error']);

/** Where the model's output cap is set, for errors about it. */
const OUTPUT_CAP_ADVICE = 'Set a smaller output cap with --max-output N, or "maxOutput" for the model in prices.json';

/** What an SDK's error object tells about a failed request, whichever SDK made it. */
export interface ProviderErrorFields {
  status: number | undefined;
  /** Anthropic: error.type; OpenAI: error.type. */
  type: string | undefined;
  /** OpenAI's error.code (Anthropic has none in its bodies). */
  code: string | undefined;
  /** OpenAI's error.param: the request field at fault. */
  param: string | undefined;
  /** The provider's own message, without the SDK's "400 {json}" wrapping. */
  message: string;
}

interface MaybeApiError {
  name?: string;
  status?: unknown;
  message?: unknown;
  type?: unknown;
  code?: unknown;
  param?: unknown;
  apiMessage?: unknown;
  error?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Reads the fields both SDKs set on their APIError: `@anthropic-ai/sdk` keeps the whole body in
 * `error` ({type: "error", error: {type, message}}) and its type in `type`; `openai` keeps the body's
 * `error` object in `error` and copies code / param / type onto the error. */
export function providerErrorFields(err: unknown): ProviderErrorFields {
  const e = (err ?? {}) as MaybeApiError;
  const body = (e.error ?? {}) as { type?: unknown; message?: unknown; error?: { type?: unknown; message?: unknown } };
  const inner = body.error && typeof body.error === 'object' ? body.error : undefined;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const type = str(e.type) ?? str(inner?.type) ?? (body.type !== 'error' ? str(body.type) : undefined);
  // OpenAI-compatible servers sometimes send a number as the code (vLLM: the status): not a code.
  const code = str(e.code);
  const message =
    str(e.apiMessage) ?? str(inner?.message) ?? str(body.message) ?? str(e.message) ?? String(err ?? 'unknown error');
  return { status, type, code, param: str(e.param), message };
}

export function classifyError(err: unknown, provider: string, signal: AbortSignal): DriverError {
  const e = (err ?? {}) as MaybeApiError;
  if (signal.aborted || e.name === 'AbortError' || e.name === 'APIUserAbortError') {
    return { message: 'the model request was cancelled', kind: 'cancelled', errorClass: 'cancelled' };
  }
  const f = providerErrorFields(err);
  // An error the provider described (a status, or an error event inside a stream, which has a type).
  if (f.status !== undefined || f.type !== undefined) {
    return provider === 'anthropic' ? classifyAnthropic(f) : classifyOpenAI(f, provider);
  }
  const raw = f.message;
  if (e.name === 'APIConnectionError' || e.name === 'APIConnectionTimeoutError') {
    return {
      message: `could not reach ${provider}: ${raw}. Check the base URL and your connection.`,
      kind: e.name === 'APIConnectionTimeoutError' ? 'timeout' : 'connection',
      errorClass: 'retryable',
    };
  }
  if (err instanceof SyntaxError) {
    return {
      message: `${provider} sent a malformed stream: ${raw}`,
      kind: 'malformed_stream',
      errorClass: 'retryable',
    };
  }
  // A dropped socket mid-stream surfaces as a plain Error from the body reader, which has no fields.
  if (/terminated|socket|ECONNRESET|aborted|premature close|other side closed/i.test(raw)) {
    return {
      message: `the connection to ${provider} broke mid-stream: ${raw}`,
      kind: 'stream_broken',
      errorClass: 'retryable',
    };
  }
  return fatal(`${provider} request failed: ${raw}`, 'unknown');
}

/** Anthropic's bodies carry a type and a message, no code. https://docs.anthropic.com/en/api/errors */
function classifyAnthropic(f: ProviderErrorFields): DriverError {
  const p = 'anthropic';
  const shown = describe(f);
  switch (f.type) {
    case 'authentication_error':
    case 'permission_error':
      return auth(p, shown, f.status);
    case 'not_found_error':
      return notFound(p, shown, f.status);
    case 'request_too_large':
      return fatal(
        `${p} refused the request as too large (${shown}). A file or command output in the conversation is too big: start a new run that reads less at once.`,
        'request_too_large',
        f.status,
      );
    case 'billing_error':
      return fatal(
        `${p} refused the request for billing (${shown}). Check your plan and credits.`,
        'billing',
        f.status,
      );
    case 'invalid_request_error':
      // No code tells these two apart, so the message's documented form does, within this type only:
      // the prompt that does not fit reads "prompt is too long: N tokens > M maximum"; a field that is
      // out of range is named first, as "max_tokens: N > M, which is the maximum allowed number of
      // output tokens for <model>".
      if (/^prompt is too long\b/i.test(f.message)) return contextLength(shown, f.status);
      if (/^max_tokens\s*:/.test(f.message)) return outputCap(p, shown, f.status);
      return invalidRequest(p, shown, f.status);
  }
  if (f.type !== undefined && ANTHROPIC_RETRYABLE_TYPES.has(f.type)) return retryable(p, shown, f.status, f.type);
  return byStatus(p, f, shown);
}

/** OpenAI's bodies carry code, type and param. https://platform.openai.com/docs/guides/error-codes */
function classifyOpenAI(f: ProviderErrorFields, p: string): DriverError {
  const shown = describe(f);
  if (f.code === 'context_length_exceeded') return contextLength(shown, f.status);
  if (f.param === 'max_tokens' || f.param === 'max_completion_tokens') return outputCap(p, shown, f.status);
  if (f.code === 'invalid_api_key' || f.type === 'authentication_error') return auth(p, shown, f.status);
  if (f.code === 'model_not_found') return notFound(p, shown, f.status);
  // A 429 that retrying cannot fix: the account is out of credit.
  if (f.code === 'insufficient_quota')
    return fatal(`${p} refused the request: ${shown}. Check your plan and billing details.`, 'quota', f.status);
  // OpenAI-compatible servers (vLLM, LM Studio, llama.cpp) copy OpenAI's wording for an overflowing
  // prompt but not its code: for a 400 that has no code, that wording is the last thing to go by.
  if (f.status === 400 && f.code === undefined && /maximum context length/i.test(f.message))
    return contextLength(shown, f.status);
  return byStatus(p, f, shown);
}

function byStatus(p: string, f: ProviderErrorFields, shown: string): DriverError {
  const status = f.status;
  if (status === 401 || status === 403) return auth(p, shown, status);
  if (status === 404) return notFound(p, shown, status);
  if (status !== undefined && RETRYABLE_STATUS.has(status)) return retryable(p, shown, status, `http_${status}`);
  if (status === undefined) return retryable(p, shown, undefined, f.type ?? 'stream_error');
  return invalidRequest(p, shown, status);
}

/** The provider's message with its type or code, so the user can look it up. */
function describe(f: ProviderErrorFields): string {
  const tag = [f.status, f.code ?? f.type].filter((x) => x !== undefined).join(' ');
  return tag === '' ? f.message : `${tag}: ${f.message}`;
}

function retryable(p: string, shown: string, status: number | undefined, kind: string): DriverError {
  const message = `${p} answered ${shown}`;
  return status === undefined
    ? { message, kind, errorClass: 'retryable' }
    : { message, kind, errorClass: 'retryable', status };
}

function auth(p: string, shown: string, status: number | undefined): DriverError {
  const keyVar = p === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
  return fatal(`${p} rejected the API key (${shown}). Check ${keyVar}.`, 'auth', status);
}

function notFound(p: string, shown: string, status: number | undefined): DriverError {
  return fatal(`${p} answered ${shown}. Check the model name and the base URL.`, 'not_found', status);
}

function contextLength(shown: string, status: number | undefined): DriverError {
  return fatal(
    `the conversation no longer fits the model's context window (${shown}). Start a new run with a narrower task, or use a model with a larger window.`,
    'context_length',
    status,
  );
}

function outputCap(p: string, shown: string, status: number | undefined): DriverError {
  return fatal(
    `${p} refused the request's output cap (${shown}): the model allows fewer output tokens than Agio asked for. ${OUTPUT_CAP_ADVICE}.`,
    'output_cap',
    status,
  );
}

function invalidRequest(p: string, shown: string, status: number | undefined): DriverError {
  return fatal(
    `${p} refused the request (${shown}). This is not retried: check the model name, the base URL and your account's access to the model.`,
    'invalid_request',
    status,
  );
}

function fatal(message: string, kind: string, status?: number): DriverError {
  return status === undefined ? { message, kind, errorClass: 'fatal' } : { message, kind, errorClass: 'fatal', status };
}

export function stalledStream(provider: string, idleMs: number): DriverError {
  return {
    message: `${provider} sent nothing for ${Math.round(idleMs / 1000)} s; the stalled stream was abandoned`,
    kind: 'stream_stalled',
    errorClass: 'retryable',
  };
}

export function incompleteStream(provider: string): DriverError {
  return {
    message: `${provider} ended the stream before its final event; the answer may be incomplete`,
    kind: 'incomplete_stream',
    errorClass: 'retryable',
  };
}
