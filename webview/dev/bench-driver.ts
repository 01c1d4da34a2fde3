// The page side of bench/webview-render.bench.ts: has a worker (bench-worker.ts, standing in for the
// VS Code client) post a synthetic 10,000-event run to the panel, relays each message to the panel's
// window `message` listener exactly as it arrived, and measures frames while the panel renders it.
import type { ToWebview } from '../../server/src/protocol/webview.ts';
import { emptyRunState, foldEvents } from '../src/state/fold.ts';
import type { WorkerCommand } from './bench-worker.ts';
import { syntheticRun } from './synthetic-run.ts';

export interface StreamResult {
  mode: string;
  events: number;
  messages: number;
  /** From the first message posted to the frame after the last event was drawn. */
  totalMs: number;
  /** Longest gap between animation frames while rendering (a frame's whole work, if it was long). */
  maxFrameMs: number;
  p95FrameMs: number;
  framesOver50: number;
  /** Longest long-animation-frame entry (Chromium reports frames over 50 ms only); 0 when none. */
  maxLoafMs: number;
  /** Longest single task over 50 ms (the longtask API); 0 when none: a long frame made of many short
   * tasks is the browser's scheduling of a message flood, not one piece of the panel's work. */
  maxTaskMs: number;
  items: number;
  domNodes: number;
}

type PanelPeek = { runStates: Map<string, { lastSeq: number; items: { size: number } }> };
const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
const panelState = () => (globalThis as unknown as { __agioPanel: () => PanelPeek }).__agioPanel();

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;
}

export function installBenchDriver(): void {
  let worker: Worker | undefined;
  let received = 0;
  const command = (c: WorkerCommand) => worker!.postMessage(c);
  const start = async (runId: string, size: number) => {
    worker ??= new Worker('../dist/webview-harness/bench-worker.js');
    worker.onmessage = (e: MessageEvent<ToWebview>) => {
      received++;
      window.dispatchEvent(new MessageEvent('message', { data: e.data }));
    };
    const ready = received + 1;
    command({ cmd: 'make', runId, size });
    while (received < ready) await new Promise((r) => setTimeout(r, 5));
  };

  async function measure(
    mode: string,
    runId: string,
    size: number,
    feed: () => Promise<number>,
  ): Promise<StreamResult> {
    await start(runId, size);
    const gaps: number[] = [];
    let last = 0;
    let on = true;
    const tick = (t: number) => {
      if (last) gaps.push(t - last);
      last = t;
      if (on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    let maxLoaf = 0;
    let maxTask = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.entryType === 'longtask') maxTask = Math.max(maxTask, e.duration);
        else maxLoaf = Math.max(maxLoaf, e.duration);
      }
    });
    try {
      observer.observe({ entryTypes: ['long-animation-frame', 'longtask'] });
    } catch {
      // No LoAF in this browser: the frame gaps still tell.
    }
    await frame();
    const t0 = performance.now();
    const messages = await feed();
    while ((panelState().runStates.get(runId)?.lastSeq ?? 0) < size) await frame();
    await frame(); // the store draws in this frame…
    await frame(); // …and it has been painted by the next
    const totalMs = performance.now() - t0;
    on = false;
    observer.disconnect();
    const sorted = [...gaps].sort((a, b) => a - b);
    return {
      mode,
      events: size,
      messages,
      totalMs,
      maxFrameMs: sorted[sorted.length - 1] ?? 0,
      p95FrameMs: quantile(sorted, 0.95),
      framesOver50: gaps.filter((g) => g > 50).length,
      maxLoafMs: maxLoaf,
      maxTaskMs: maxTask,
      items: panelState().runStates.get(runId)?.items.size ?? 0,
      domNodes: document.getElementsByTagName('*').length,
    };
  }

  const bench = {
    /** Like a live run: one `events` message of `batch` events per frame. */
    stream: (runId: string, size = 10_000, batch = 50) =>
      measure(`live, ${batch} events per message, one message per frame`, runId, size, async () => {
        let n = 0;
        for (let i = 0; i < size; i += batch, n++) {
          command({ cmd: 'events', from: i, to: i + batch });
          await frame();
        }
        return n;
      }),
    /** A burst: every message posted at once (the store spreads the work over frames). */
    burst: (runId: string, size = 10_000, batch = 50) =>
      measure(`burst, ${batch} events per message, all at once`, runId, size, async () => {
        command({ cmd: 'all', batch });
        return Math.ceil(size / batch);
      }),
    /** Opening a stored run: one `reset` with the whole log. */
    replay: (runId: string, size = 10_000) =>
      measure('replay, one reset message', runId, size, async () => {
        command({ cmd: 'reset' });
        return 1;
      }),
    /** The fold alone in this page, in the same increments: the floor under any rendering. */
    foldOnly: (size = 10_000, batch = 50) => {
      const events = syntheticRun('r-fold', size);
      const t0 = performance.now();
      let s = emptyRunState('r-fold');
      for (let i = 0; i < events.length; i += batch) s = foldEvents(s, events.slice(i, i + batch));
      return { foldMs: performance.now() - t0, items: s.items.size };
    },
  };
  (globalThis as { agioBench?: typeof bench }).agioBench = bench;
}
