// The one panel state of this page, changed only through dispatch, with the work spread over frames
// so that no frame runs long (DESIGN §7: no frame over 50 ms).
//
// - Messages are queued and folded in slices of at most SLICE_MS, each slice its own task, so the
//   browser can draw between them; a long message (a replay's whole log) is cut into CHUNK-event
//   pieces first. The pieces fold exactly like the whole (the fold is incremental), so nothing changes
//   but the pacing.
// - Drawing happens at most once per animation frame, however many messages arrived, and while a
//   backlog is being folded at most every BACKLOG_DRAW_MS; none happens while the panel is hidden (no
//   frames then), though folding goes on so nothing piles up.
import { initialPanel, reducePanel, type PanelAction, type PanelState, type Tab } from './state/panel.ts';

const CHUNK = 500;
const SLICE_MS = 8;
/** While a backlog is folded, draw only this often: each draw of a half-folded replay is thrown away. */
const BACKLOG_DRAW_MS = 100;

let panel: PanelState = initialPanel();
let listener: (() => void) | undefined;
let queue: PanelAction[] = [];
let head = 0;
let workScheduled = false;
let drawScheduled = false;
let dirty = false;
let lastDraw = 0;
let backlogSince = 0;
const channel = new MessageChannel();
channel.port1.onmessage = work;

export function initPanel(tab: Tab): void {
  panel = initialPanel(tab);
}

export function getPanel(): PanelState {
  return panel;
}

/** Work still queued: the benchmark and tests wait for it to drain. */
export function pendingWork(): number {
  return queue.length - head;
}

export function dispatch(action: PanelAction): void {
  if (head === queue.length) backlogSince = performance.now();
  if ((action.type === 'events' || action.type === 'reset') && action.events.length > CHUNK)
    queue.push(...split(action));
  else queue.push(action);
  if (!workScheduled) {
    workScheduled = true;
    channel.port2.postMessage(null);
  }
}

function split(a: Extract<PanelAction, { type: 'events' | 'reset' }>): PanelAction[] {
  const out: PanelAction[] = [];
  for (let i = 0; i < a.events.length; i += CHUNK) {
    const events = a.events.slice(i, i + CHUNK);
    if (a.type === 'reset')
      out.push(i === 0 ? { type: 'reset', runId: a.runId, events } : { type: 'ui/resetMore', runId: a.runId, events });
    else out.push({ type: 'events', runId: a.runId, fromSeq: i === 0 ? a.fromSeq : events[0]!.seq, events });
  }
  return out;
}

function work(): void {
  workScheduled = false;
  const start = performance.now();
  const before = panel;
  while (head < queue.length && performance.now() - start < SLICE_MS) panel = reducePanel(panel, queue[head++]!);
  if (head === queue.length) {
    queue = [];
    head = 0;
  } else {
    workScheduled = true;
    channel.port2.postMessage(null);
  }
  if (panel !== before) dirty = true;
  if (dirty && (head === 0 || performance.now() - Math.max(lastDraw, backlogSince) >= BACKLOG_DRAW_MS)) scheduleDraw();
}

function scheduleDraw(): void {
  if (drawScheduled || !listener) return;
  drawScheduled = true;
  requestAnimationFrame(() => {
    drawScheduled = false;
    dirty = false;
    lastDraw = performance.now();
    listener?.();
  });
}

export function onPanelChange(fn: () => void): void {
  listener = fn;
}
