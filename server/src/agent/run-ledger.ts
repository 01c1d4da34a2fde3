// A run's account: its totals and wall clock, the time budget's alarm, usage and cost as they come in,
// and every way a run ends (completed, failed, cancelled, a budget or guard reached). The loop and its
// hooks share one ledger; nothing else holds a run's totals.
import { costOf, type Price } from '../models/prices.ts';
import type { Usage } from '../models/types.ts';
import type { EventOf, Limits, RunStatus, Totals } from '../protocol/events.ts';
import type { RunEmitter } from './emitter.ts';
import type { Trip } from './guards.ts';
import { emptyTotals, exceededLimit } from './totals.ts';

export interface RunOutcome {
  status: Exclude<RunStatus, 'running' | 'interrupted'>;
  totals: Totals;
  error?: string;
}

export class RunLedger {
  readonly totals: Totals;
  /** Aborted by the user's Stop or by the time budget: what every model call and tool gets. */
  readonly signal: AbortSignal;
  private readonly startedAt: number;
  private readonly timeLimit = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly emitter: RunEmitter;
  private readonly limits: Limits;
  private readonly userSignal: AbortSignal;
  private readonly price: Price | undefined;
  private readonly model: string;
  private readonly flush: () => void;
  private runStartId = '';

  constructor(o: {
    emitter: RunEmitter;
    limits: Limits;
    signal: AbortSignal;
    price: Price | undefined;
    model: string;
    flush: () => void;
    resumed?: Totals | undefined;
  }) {
    this.emitter = o.emitter;
    this.limits = o.limits;
    this.userSignal = o.signal;
    this.price = o.price;
    this.model = o.model;
    this.flush = o.flush;
    this.totals = o.resumed ? { ...o.resumed } : emptyTotals();
    // A resumed run's wall time goes on from what it had used.
    this.startedAt = performance.now() - this.totals.elapsedMs;
    // The time budget also interrupts a model call or command in flight, not only the gap between turns.
    this.timer =
      o.limits.maxTimeMs !== undefined ? setTimeout(() => this.timeLimit.abort(), o.limits.maxTimeMs) : undefined;
    this.signal = AbortSignal.any([o.signal, this.timeLimit.signal]);
  }

  /** The run's root event, which run-level events hang under. */
  opened(runStart: EventOf<'run_start'>): void {
    this.runStartId = runStart.id;
  }

  get runId(): string {
    return this.runStartId;
  }

  tick(): void {
    this.totals.elapsedMs = Math.round(performance.now() - this.startedAt);
  }

  /** One model call's tokens and cost (the turn's, or a compaction summary's). */
  recordUsage(usage: Usage, parentId: string): void {
    const costUsd = costOf(this.price, usage);
    const t = this.totals;
    t.inputTokens += usage.inputTokens;
    t.outputTokens += usage.outputTokens;
    t.cachedTokens += usage.cachedTokens;
    t.costUsd += costUsd;
    if (!this.price) t.unpricedCalls = (t.unpricedCalls ?? 0) + 1;
    this.emitter.emit({
      type: 'usage',
      parentId,
      model: this.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedTokens: usage.cachedTokens,
      costUsd,
      reported: usage.reported,
      ...(this.price ? {} : { priced: false }),
    });
  }

  end(status: RunOutcome['status'], error?: string): RunOutcome {
    if (this.timer) clearTimeout(this.timer);
    this.tick();
    const totals = this.totals;
    this.emitter.emit({
      type: 'run_end',
      parentId: this.runStartId,
      status,
      totals: { ...totals },
      ...(error ? { error } : {}),
    });
    this.flush();
    return error ? { status, totals, error } : { status, totals };
  }

  /** The run must stop now: the user cancelled, or a budget is used up. */
  stopped(): RunOutcome | undefined {
    if (this.userSignal.aborted) {
      this.emitter.emit({ type: 'cancelled', parentId: this.runStartId, reason: 'cancelled by the user' });
      return this.end('cancelled');
    }
    this.tick();
    const t = this.totals;
    const over =
      exceededLimit(this.limits, t) ??
      (this.timeLimit.signal.aborted
        ? { limit: 'time' as const, value: t.elapsedMs, max: this.limits.maxTimeMs ?? 0 }
        : undefined);
    if (over) {
      this.emitter.emit({ type: 'limit_reached', parentId: this.runStartId, ...over });
      return this.end('limit');
    }
    return undefined;
  }

  /** A guard or a projected budget stops the run. */
  tripped(trip: Trip, projected = false): RunOutcome {
    this.emitter.emit({
      type: 'limit_reached',
      parentId: this.runStartId,
      limit: trip.limit,
      value: trip.value,
      max: trip.max,
      detail: trip.detail,
      ...(projected ? { projected } : {}),
    });
    return this.end('limit');
  }

  /** Snapshot at a turn's end, for the runs list and the panel. */
  snapshot(): void {
    this.tick();
    this.emitter.emit({ type: 'metrics_snapshot', parentId: this.runStartId, totals: { ...this.totals } });
  }
}
