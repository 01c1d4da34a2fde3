// Plays the VS Code client for the benchmark: builds the synthetic run and posts it to the page from
// another thread, so (as with the real client) serialization costs the panel nothing and only the
// page's own work (deserializing, folding, drawing) lands on its main thread.
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import type { ToWebview } from '../../server/src/protocol/webview.ts';
import { syntheticRun } from './synthetic-run.ts';

export type WorkerCommand =
  | { cmd: 'make'; runId: string; size: number }
  | { cmd: 'events'; from: number; to: number }
  | { cmd: 'all'; batch: number }
  | { cmd: 'reset' };

let runId = '';
let events: AgioEvent[] = [];
const post = (msg: ToWebview) => (self as unknown as { postMessage(m: unknown): void }).postMessage(msg);

self.onmessage = (e: MessageEvent<WorkerCommand>) => {
  const c = e.data;
  if (c.cmd === 'make') {
    runId = c.runId;
    events = syntheticRun(c.runId, c.size);
    post({ type: 'serverState', state: 'running' }); // an "I am ready" the panel ignores
  } else if (c.cmd === 'events') {
    post({ type: 'events', runId, fromSeq: c.from + 1, events: events.slice(c.from, c.to) });
  } else if (c.cmd === 'all') {
    for (let i = 0; i < events.length; i += c.batch)
      post({ type: 'events', runId, fromSeq: i + 1, events: events.slice(i, i + c.batch) });
  } else {
    post({ type: 'reset', runId, events });
    post({ type: 'focusRun', runId });
  }
};
