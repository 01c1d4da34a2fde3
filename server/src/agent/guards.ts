// The control plane's judgement of a run in flight, kept apart from the loop so each rule is plain
// and testable: the same failure again and again (circuit breaker), turns that bring nothing new
// (no-progress), and a budget the next model call would certainly cross (projection).
import { createHash } from 'node:crypto';
import type { LimitName, Limits, Totals } from '../protocol/events.ts';
import type { Price } from '../models/prices.ts';

export interface Trip {
  limit: LimitName;
  value: number;
  max: number;
  detail: string;
}

/** Trips when the same tool fails with the same output `max` times in a row. Any other result
 * (a success, or a different failure) starts the count again. */
export class RepeatedErrorGuard {
  private last: string | undefined;
  private count = 0;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  record(tool: string, ok: boolean, output: string): Trip | undefined {
    if (ok) {
      this.last = undefined;
      this.count = 0;
      return undefined;
    }
    const key = `${tool}\0${output}`;
    this.count = key === this.last ? this.count + 1 : 1;
    this.last = key;
    if (this.count < this.max) return undefined;
    const firstLine = output.split('\n', 1)[0]!.slice(0, 200);
    return {
      limit: 'repeated_error',
      value: this.count,
      max: this.max,
      detail: `${tool} failed the same way ${this.count} times in a row: ${firstLine}`,
    };
  }
}

export interface TurnRecord {
  text: string;
  calls: { name: string; argsJson: string; ok: boolean; output: string }[];
}

/** A turn brings nothing new when every call it made was made before with the same result, and its
 * text (if any) was said before. `max` such turns in a row trip the guard. A turn without calls
 * ends the run anyway, so it never counts. */
export class ProgressGuard {
  private readonly seen = new Set<string>();
  private idle = 0;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  record(turn: TurnRecord): Trip | undefined {
    if (turn.calls.length === 0) return undefined;
    let fresh = false;
    const text = turn.text.trim();
    if (text !== '') fresh = this.add(`text\0${text}`) || fresh;
    for (const c of turn.calls)
      fresh = this.add(`call\0${c.name}\0${canonicalArgs(c.argsJson)}\0${c.ok}\0${c.output}`) || fresh;
    this.idle = fresh ? 0 : this.idle + 1;
    if (this.idle < this.max) return undefined;
    const names = [...new Set(turn.calls.map((c) => c.name))].join(', ');
    return {
      limit: 'no_progress',
      value: this.idle,
      max: this.max,
      detail: `${this.idle} turns in a row repeated earlier ${names} calls with the same results`,
    };
  }

  /** The user said go on: count afresh from here. */
  reset(): void {
    this.idle = 0;
  }

  private add(s: string): boolean {
    const h = createHash('sha1').update(s).digest('base64');
    if (this.seen.has(h)) return false;
    this.seen.add(h);
    return true;
  }
}

/** Argument JSON with keys in one order, so {"a":1,"b":2} and {"b":2,"a":1} are the same call. */
function canonicalArgs(json: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(json)));
  } catch {
    return json;
  }
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  return v;
}

/**
 * The next call's input can be estimated before it is made: the last call's reported input plus the
 * tokens added since (the context window's estimate; after a compaction, all of it counts as added). When even that input alone (output not counted, everything already sent priced as
 * cached) would cross a budget, the call would certainly cross it, so it is not made.
 */
export function projectNextCall(
  limits: Limits,
  totals: Totals,
  price: Price | undefined,
  previousInput: number,
  added: number,
): Trip | undefined {
  const input = previousInput + added;
  const tokens = totals.inputTokens + totals.outputTokens + input;
  if (limits.maxTokens !== undefined && tokens > limits.maxTokens) {
    return {
      limit: 'tokens',
      value: tokens,
      max: limits.maxTokens,
      detail: `the next call sends about ${input} input tokens`,
    };
  }
  if (limits.maxCostUsd !== undefined && price) {
    const cost = totals.costUsd + (previousInput * (price.cachedInput ?? price.input) + added * price.input) / 1e6;
    if (cost > limits.maxCostUsd) {
      return {
        limit: 'cost',
        value: cost,
        max: limits.maxCostUsd,
        detail: `the next call's input alone costs at least $${(cost - totals.costUsd).toFixed(4)}`,
      };
    }
  }
  return undefined;
}
