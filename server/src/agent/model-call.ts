// One model call of a turn, with the retries the SDKs cannot make themselves: a stream that broke or
// stalled after it had started. Every attempt, its text deltas and its calls as they are written are
// events under the turn.
import type { DriverCallbacks, ModelRequest, ModelResult } from '../models/types.ts';
import type { RunDeps } from './runner.ts';
import { StreamedCalls } from './streamed-calls.ts';

/** Stream-level failures the SDK could not retry (a drop mid-stream, a stall) get this many more tries. */
const STREAM_RETRIES = 2;
/** …and none once a turn has spent this long failing: retries are bounded in time as well as count. */
const RETRY_WINDOW_MS = 5 * 60_000;

export async function callModel(
  deps: RunDeps,
  req: ModelRequest,
  turnId: string,
  signal: AbortSignal,
): Promise<ModelResult> {
  const { emitter } = deps;
  const streamed = new StreamedCalls((d) => emitter.emit(d), turnId);
  const callbacks: DriverCallbacks = {
    onTextDelta: (text) => emitter.emit({ type: 'text_delta', parentId: turnId, text }),
    onToolCallDelta: (call) => streamed.onDelta(call),
    onRetry: (attempt, reason, status) => {
      streamed.reset();
      emitter.emit({ type: 'retry', parentId: turnId, attempt, reason, ...(status !== undefined ? { status } : {}) });
    },
  };
  const started = performance.now();
  let result = await deps.driver.complete(req, signal, callbacks);
  for (
    let attempt = 1;
    !result.ok &&
    result.error.errorClass === 'retryable' &&
    attempt <= STREAM_RETRIES &&
    performance.now() - started < RETRY_WINDOW_MS;
    attempt++
  ) {
    // A `retry` event tells every view to discard the text this turn streamed so far.
    emitter.emit({ type: 'retry', parentId: turnId, attempt: attempt + 1, reason: result.error.message });
    streamed.reset();
    await sleep(250 * 2 ** attempt * (0.5 + Math.random()), signal);
    if (signal.aborted) break;
    result = await deps.driver.complete(req, signal, callbacks);
  }
  return result;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
