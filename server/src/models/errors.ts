// Turns whatever an SDK or stream threw into a DriverError the loop can act on: a class
// (retryable / fatal / cancelled) and a message that says what happened and what the user can do.
import type { DriverError } from './types.ts';

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

interface MaybeApiError {
  name?: string;
  status?: number;
  message?: string;
  code?: string;
}

export function classifyError(err: unknown, provider: string, signal: AbortSignal): DriverError {
  const e = (err ?? {}) as MaybeApiError;
  const raw = typeof e.message === 'string' ? e.message : String(err);
  if (signal.aborted || e.name === 'AbortError' || e.name === 'APIUserAbortError') {
    return { message: 'the model request was cancelled', kind: 'cancelled', errorClass: 'cancelled' };
  }
  const keyVar = provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY';
  const status = typeof e.status === 'number' ? e.status : undefined;
  if (status !== undefined) {
    if (status === 401 || status === 403) {
      return fatal(`${provider} rejected the API key (${status}): ${raw}. Check ${keyVar}.`, 'auth', status);
    }
    if (status === 404) {
      return fatal(`${provider} answered 404: ${raw}. Check the model name and the base URL.`, 'not_found', status);
    }
    if (status === 400 && /context|too long|maximum.*tokens|prompt is too long/i.test(raw)) {
      return fatal(
        `the conversation no longer fits the model's context window: ${raw}. Start a new run with a narrower task, or use a model with a larger window.`,
        'context_length',
        status,
      );
    }
    if (RETRYABLE_STATUS.has(status)) {
      return {
        message: `${provider} answered ${status}: ${raw}`,
        kind: `http_${status}`,
        errorClass: 'retryable',
        status,
      };
    }
    return fatal(
      `${provider} refused the request (${status}): ${raw}. This is not retried: check the model name, the base URL and your account's access to the model.`,
      'invalid_request',
      status,
    );
  }
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
  // A dropped socket mid-stream surfaces as a plain Error from the body reader.
  if (/terminated|socket|ECONNRESET|aborted|premature close|other side closed/i.test(raw)) {
    return {
      message: `the connection to ${provider} broke mid-stream: ${raw}`,
      kind: 'stream_broken',
      errorClass: 'retryable',
    };
  }
  return fatal(`${provider} request failed: ${raw}`, 'unknown');
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
