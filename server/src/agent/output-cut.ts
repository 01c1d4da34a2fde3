// A reply the provider cut at the call's output cap: Anthropic's stop_reason "max_tokens", OpenAI's
// finish_reason "length". The reply is incomplete, and a tool call it was writing has arguments that
// stop mid-way: that call is not run (it would run on a guess), the model is told why, and the user
// is told what cut the reply: the budget's remainder (the run then ends on that budget) or the
// model's output cap (what to raise).
import type { CallPlan } from './guards.ts';

const CUT_REASONS = new Set(['max_tokens', 'length']);

export function wasCut(stopReason: string): boolean {
  return CUT_REASONS.has(stopReason);
}

/** Arguments that are not a whole JSON object were still being written when the reply was cut. */
export function argsComplete(argsJson: string): boolean {
  try {
    const v: unknown = JSON.parse(argsJson);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** What the model reads for a call its own reply cut off. */
export function cutCallOutput(cap: number): string {
  return (
    `Not run: your reply was cut at its output cap of ${cap} tokens while this call's arguments were being written. ` +
    'Make the call again with shorter arguments (split a large write or edit into several calls).'
  );
}

/** What the user reads: what cut the reply, and what to do about it. */
export function cutNotice(turn: number, cap: number, cappedBy: CallPlan['cappedBy'], callsCut: number): string {
  const what = `The model's reply in turn ${turn} was cut at ${cap} output tokens`;
  const calls = callsCut > 0 ? `; the tool call it was writing was not run` : '';
  if (cappedBy === 'tokens')
    return `${what}: that was all the token budget (--max-tokens) had left${calls}. The run stops at the budget.`;
  if (cappedBy === 'cost')
    return `${what}: that was all the cost budget (--max-cost) had left${calls}. The run stops at the budget.`;
  return (
    `${what}, the model's output cap, so it is incomplete${calls}. ` +
    'Raise the cap with --max-output N, or "maxOutput" for the model in prices.json.'
  );
}
