// Makes the SDKs' own retries visible. Both official SDKs retry transient failures themselves
// (honouring retry-after) and mark each attempt with `x-stainless-retry-count`; wrapping their
// `fetch` lets us emit a `retry` event per attempt without re-implementing their backoff.

export interface RetryObserver {
  onRetry(attempt: number, reason: string, status?: number): void;
  /** An HTTP attempt is starting (the first or a retry): the stream is not stalled. */
  onAttempt?(): void;
  /** An attempt failed with an HTTP status: the SDK may now wait up to `ms` before its next attempt
   * (what the provider asked for, else the SDKs' longest backoff), and that wait is not a stall. */
  onWaiting?(ms: number): void;
}

/** Both SDKs back off at most 8 s between attempts when the provider names no wait. */
export const SDK_MAX_BACKOFF_MS = 8_000;

/** What the statuses the SDKs retry mean, for the retry event's reason. */
const STATUS_MEANING: Record<number, string> = {
  408: 'request timeout',
  409: 'conflict',
  429: 'rate limited',
  500: 'server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
  529: 'overloaded',
};

export function observedFetch(getObserver: () => RetryObserver | undefined): typeof fetch {
  let lastFailure: { reason: string; status?: number } | undefined;
  return async (input, init) => {
    getObserver()?.onAttempt?.();
    const retryCount = Number(new Headers(init?.headers).get('x-stainless-retry-count') ?? '0');
    if (retryCount > 0) {
      const f = lastFailure ?? { reason: 'previous attempt failed' };
      getObserver()?.onRetry(retryCount + 1, f.reason, f.status);
    }
    try {
      const res = await fetch(input, init);
      if (res.ok) lastFailure = undefined;
      else {
        const asked = retryAfterMs(res.headers);
        const meaning = STATUS_MEANING[res.status];
        const wait = asked === undefined ? '' : `; the provider asked to wait ${formatWait(asked)}`;
        lastFailure = { reason: `HTTP ${res.status}${meaning ? ` (${meaning}${wait})` : wait}`, status: res.status };
        getObserver()?.onWaiting?.(asked ?? SDK_MAX_BACKOFF_MS);
      }
      return res;
    } catch (err) {
      // undici says only "fetch failed"; the cause says what happened (reset, refused, closed).
      const cause = (err as { cause?: { message?: string; code?: string } }).cause;
      const detail = cause?.code ?? cause?.message;
      const message = err instanceof Error ? err.message : String(err);
      lastFailure = { reason: detail ? `${message} (${detail})` : message };
      getObserver()?.onWaiting?.(SDK_MAX_BACKOFF_MS);
      throw err;
    }
  };
}

/** The wait a response asks for, read as the SDKs read it: `retry-after-ms`, else `retry-after` in
 * seconds or as an HTTP date. Undefined when it names none (or nothing usable). */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  const fromDate = Number.isNaN(seconds) ? Date.parse(value) - Date.now() : seconds * 1000;
  return Number.isFinite(fromDate) && fromDate > 0 ? fromDate : undefined;
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
