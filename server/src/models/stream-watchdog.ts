// A model stream that goes silent holds a run forever: the SDKs' `timeout` covers the wait for the
// response headers, not a body that stops arriving mid-stream. The watchdog aborts the request when
// nothing has arrived (no HTTP attempt started, no chunk received) for `idleMs`, and remembers that
// it did, so the driver can report a retryable stall rather than a user cancel. While the SDK waits
// between attempts (a 429's retry-after may be longer than `idleMs`) nothing arrives either, and that
// is not a stall: `waiting` allows the wait on top of `idleMs`.

export interface StreamWatchdog {
  /** Pass to the SDK instead of the caller's signal: aborts on the caller's cancel or on a stall. */
  readonly signal: AbortSignal;
  /** Something arrived: restart the idle clock. */
  touch(): void;
  /** The SDK may wait this long before its next attempt: the idle clock allows it, once. */
  waiting(ms: number): void;
  readonly stalled: boolean;
  dispose(): void;
}

export const DEFAULT_STREAM_IDLE_MS = 120_000;

export function streamWatchdog(outer: AbortSignal, idleMs: number): StreamWatchdog {
  const stall = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (allowed: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      stall.abort(new Error(`no data for ${allowed} ms`));
    }, allowed);
  };
  arm(idleMs);
  return {
    signal: AbortSignal.any([outer, stall.signal]),
    touch: () => {
      if (!stalled) arm(idleMs);
    },
    waiting: (ms) => {
      if (!stalled) arm(idleMs + ms);
    },
    get stalled() {
      return stalled && !outer.aborted;
    },
    dispose: () => clearTimeout(timer),
  };
}
