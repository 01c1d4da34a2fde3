// Stamps events with identity, order and time, serializes each exactly once, and hands the same
// string to every sink (store, stdout, LSP client), so what streamed and what replays are one text.
import type { AgioEvent, EventDraft } from '../protocol/events.ts';

export type EventSink = (event: AgioEvent, json: string) => void;

export class RunEmitter {
  readonly runId: string;
  private seq = 0;
  private readonly sinks: EventSink[];
  private readonly now: () => number;

  constructor(runId: string, sinks: EventSink[], now: () => number = Date.now) {
    this.runId = runId;
    this.sinks = sinks;
    this.now = now;
  }

  emit<D extends EventDraft>(draft: D): D & { id: string; runId: string; seq: number; ts: number } {
    const seq = ++this.seq;
    // Fixed key order so the JSON lines read the same everywhere: identity first, then data.
    const { parentId, type, ...data } = draft;
    const event = { id: `${this.runId}.${seq}`, runId: this.runId, seq, parentId, type, ts: this.now(), ...data };
    const json = JSON.stringify(event);
    for (const sink of this.sinks) sink(event as unknown as AgioEvent, json);
    return event as unknown as D & { id: string; runId: string; seq: number; ts: number };
  }

  get lastSeq(): number {
    return this.seq;
  }
}

/** Sortable by start time, unique enough to never collide on one machine, short enough to type. */
export function newRunId(now = Date.now()): string {
  const rand = Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0');
  return `r${now.toString(36)}${rand}`;
}
