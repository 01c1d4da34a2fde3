// Builds a run's events by hand the way the server's emitter stamps them (id = runId.seq, gap-free
// seq, increasing ts), for the harness, the benchmark and the tests.
import type { AgioEvent, EventDraft, Totals } from '../../server/src/protocol/events.ts';

export class EventBuilder {
  readonly runId: string;
  readonly events: AgioEvent[] = [];
  ts: number;

  constructor(runId: string, startTs: number) {
    this.runId = runId;
    this.ts = startTs;
  }

  /** Appends an event `dt` ms after the previous one and returns it. */
  emit(draft: EventDraft, dt = 20): AgioEvent {
    const seq = this.events.length + 1;
    if (seq > 1) this.ts += dt;
    const event = { ...draft, id: `${this.runId}.${seq}`, runId: this.runId, seq, ts: this.ts } as AgioEvent;
    this.events.push(event);
    return event;
  }
}

export function totals(t: Partial<Totals>): Totals {
  return {
    turns: 0,
    toolCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    errors: 0,
    elapsedMs: 0,
    ...t,
  };
}

/** Splits text into stream-sized chunks (a few words each), as a model streams it. */
export function chunks(text: string, words = 3): string[] {
  const parts = text.split(/(?<= )/);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += words) out.push(parts.slice(i, i + words).join(''));
  return out;
}
