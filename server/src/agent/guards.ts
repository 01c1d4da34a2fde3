// The control plane's judgement of a run in flight, kept apart from the loop so each rule is plain
// and testable: the same failure again and again (circuit breaker), turns that bring nothing new
// (no-progress), and the next model call planned against the budgets: its output cap set to what they
// have left, or not made when that is too little (projection).
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

/** The fewest output tokens a call is worth making with: less could not hold a tool call. A model
 * whose own cap is smaller is asked for its cap. */
export const MIN_USEFUL_OUTPUT = 256;

/** What the next call may do: its output cap, and the budget that lowered it, if one did. */
export interface CallPlan {
  maxOutputTokens: number;
  cappedBy?: 'tokens' | 'cost';
}

/**
 * Plans the next model call against the budgets, before it is made. Its input can be estimated: the
 * last call's reported input plus the tokens added since (the context window's estimate, raised by
 * a tenth; after a compaction, all of it counts as added). Its output is what the call's cap
 * lets it write, so the cap is set to what the token budget (input + output) and the cost budget have
 * left after that input: the call cannot take the run past either. When that leaves less than a useful
 * reply (MIN_USEFUL_OUTPUT, or the model's cap if smaller), the call is not made: a Trip, `value`
 * being the projected figure with that least reply.
 */
export function planNextCall(
  limits: Limits,
  totals: Totals,
  price: Price | undefined,
  next: { reported: number; added: number },
  modelCap: number,
): CallPlan | Trip {
  // The input the provider has not counted yet is an estimate (another tokenizer, the request's own
  // framing): raised by a tenth, so the cap errs on the side of the budget.
  const added = next.added + Math.ceil(next.added / 10);
  const input = next.reported + added;
  const least = Math.min(MIN_USEFUL_OUTPUT, modelCap);
  const plan: CallPlan = { maxOutputTokens: modelCap };
  if (limits.maxTokens !== undefined) {
    const used = totals.inputTokens + totals.outputTokens;
    const left = limits.maxTokens - used - input;
    if (left < least) {
      return {
        limit: 'tokens',
        value: used + input + least,
        max: limits.maxTokens,
        detail: `the next call sends about ${input} input tokens, which leaves ${Math.max(0, left)} for its reply`,
      };
    }
    if (left < plan.maxOutputTokens) Object.assign(plan, { maxOutputTokens: left, cappedBy: 'tokens' });
  }
  if (limits.maxCostUsd !== undefined && price) {
    // Everything already sent is priced as cached: the prompt cache reads it back, as it did last call.
    const inputCost = (next.reported * (price.cachedInput ?? price.input) + added * price.input) / 1e6;
    const spent = totals.costUsd + inputCost;
    const left = price.output > 0 ? Math.floor(((limits.maxCostUsd - spent) * 1e6) / price.output) : Infinity;
    if (left < least) {
      return {
        limit: 'cost',
        value: spent + (least * price.output) / 1e6,
        max: limits.maxCostUsd,
        detail:
          spent > limits.maxCostUsd
            ? `the next call's input alone costs at least $${inputCost.toFixed(4)}`
            : `after the next call's input ($${inputCost.toFixed(4)}) the budget pays for only ${Math.max(0, left)} output tokens`,
      };
    }
    if (left < plan.maxOutputTokens) Object.assign(plan, { maxOutputTokens: left, cappedBy: 'cost' });
  }
  return plan;
}

export function isTrip(p: CallPlan | Trip): p is Trip {
  return 'limit' in p;
}
