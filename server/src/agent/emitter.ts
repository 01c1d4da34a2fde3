// Stamps events with identity, order and time, serializes each exactly once, and hands the same
// string to every sink (store, stdout, LSP client), so what streamed and what replays are one text.
import type { AgioEvent, EventDraft } from '../protocol/events.ts';

export type EventSink = (event: AgioEvent, json: string) => void;

/** The last line of defence for secrets: anything key-like in any event is redacted before it is
 * stored or sent. One cheap test per event; the deep copy happens only when something matched. */
export interface EventRedactor {
  hasSecret(text: string): boolean;
  redactDeep(value: unknown): unknown;
}

export class RunEmitter {
  readonly runId: string;
  private seq = 0;
  private readonly sinks: EventSink[];
  private readonly now: () => number;
  private readonly redactor: EventRedactor | undefined;

  /** `startSeq`: the run's last seq so far, when adding to a run that already has events. */
  constructor(
    runId: string,
    sinks: EventSink[],
    opts: { now?: () => number; redactor?: EventRedactor; startSeq?: number } = {},
  ) {
    this.runId = runId;
    this.seq = opts.startSeq ?? 0;
    this.sinks = sinks;
    this.now = opts.now ?? Date.now;
    this.redactor = opts.redactor;
  }

  emit<D extends EventDraft>(draft: D): D & { id: string; runId: string; seq: number; ts: number } {
    const seq = ++this.seq;
    // Fixed key order so the JSON lines read the same everywhere: identity first, then data.
    const { parentId, type, ...data } = draft;
    let event = { id: `${this.runId}.${seq}`, runId: this.runId, seq, parentId, type, ts: this.now(), ...data };
    let json = JSON.stringify(event);
    if (this.redactor?.hasSecret(json)) {
      event = this.redactor.redactDeep(event) as typeof event;
      json = JSON.stringify(event);
    }
    for (const sink of this.sinks) sink(event as unknown as AgioEvent, json);
    return event as unknown as D & { id: string; runId: string; seq: number; ts: number };
  }

  get lastSeq(): number {
    return this.seq;
  }
}

/** Sortable by start time, unique enough to never collide on one machine, short enough to type. */
export function newRunId(now = Date.now()): string {
  const rand = Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `r${now.toString(36)}${rand}`;
}
