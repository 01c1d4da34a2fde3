// Small formatting rules shared by the run output and the runs list, so both say a thing the same way.

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `1 turn`, `2 turns`; `plural` for words whose plural is not the singular plus "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

export function usd(v: number): string {
  return `$${v.toFixed(v >= 1 ? 2 : 4)}`;
}

/**
 * A run's cost as far as it is known. Calls to a model Agio has no price for are counted apart
 * (`unpricedCalls`): with only those the cost is unknown, never "$0.0000"; beside priced calls the
 * figure is a lower bound.
 */
export function formatCost(costUsd: number, unpricedCalls: number | undefined): string {
  if (!unpricedCalls) return usd(costUsd);
  return costUsd > 0 ? `${usd(costUsd)} + unknown` : 'cost unknown';
}

export function kTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(Math.round(n));
}
