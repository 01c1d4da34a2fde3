// Makes the SDKs' own retries visible. Both official SDKs retry transient failures themselves
// (honouring retry-after) and mark each attempt with `x-stainless-retry-count`; wrapping their
// `fetch` lets us emit a `retry` event per attempt without re-implementing their backoff.

export interface RetryObserver {
  onRetry(attempt: number, reason: string, status?: number): void;
  /** An HTTP attempt is starting (the first or a retry): the stream is not stalled. */
  onAttempt?(): void;
}

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
      lastFailure = res.ok ? undefined : { reason: `HTTP ${res.status}`, status: res.status };
      return res;
    } catch (err) {
      // undici says only "fetch failed"; the cause says what happened (reset, refused, closed).
      const cause = (err as { cause?: { message?: string; code?: string } }).cause;
      const detail = cause?.code ?? cause?.message;
      const message = err instanceof Error ? err.message : String(err);
      lastFailure = { reason: detail ? `${message} (${detail})` : message };
      throw err;
    }
  };
}
