// Running totals of a run and the budget checks over them.
import type { LimitName, Limits, Totals } from '../protocol/events.ts';

export function emptyTotals(): Totals {
  return {
    turns: 0,
    toolCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    unpricedCalls: 0,
    errors: 0,
    elapsedMs: 0,
  };
}

/** The first budget the run has used up, if any. Checked before each model call. */
export function exceededLimit(limits: Limits, t: Totals): { limit: LimitName; value: number; max: number } | undefined {
  if (limits.maxSteps !== undefined && t.turns >= limits.maxSteps)
    return { limit: 'steps', value: t.turns, max: limits.maxSteps };
  if (limits.maxTimeMs !== undefined && t.elapsedMs >= limits.maxTimeMs)
    return { limit: 'time', value: t.elapsedMs, max: limits.maxTimeMs };
  const tokens = t.inputTokens + t.outputTokens;
  if (limits.maxTokens !== undefined && tokens >= limits.maxTokens)
    return { limit: 'tokens', value: tokens, max: limits.maxTokens };
  if (limits.maxCostUsd !== undefined && t.costUsd >= limits.maxCostUsd)
    return { limit: 'cost', value: t.costUsd, max: limits.maxCostUsd };
  return undefined;
}
