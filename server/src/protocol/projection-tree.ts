// A tree of runs: a child run (a sub-agent; its run_start names its parentRunId) is projected on its
// own, and its totals roll up into its parent's, and so on to the root. Today every run is a root;
// the shape is here so child runs only have to emit events.
import type { AgioEvent, Totals } from './events.ts';
import { emptyProjection, project, type RunProjection } from './projection.ts';

export interface TreeProjection {
  readonly runs: Readonly<Record<string, RunProjection>>;
  readonly parentOf: Readonly<Record<string, string>>;
  readonly childrenOf: Readonly<Record<string, readonly string[]>>;
  /** A run's own totals plus all its descendants'. */
  readonly treeTotals: Readonly<Record<string, Totals>>;
}

export const EMPTY_TREE: TreeProjection = { runs: {}, parentOf: {}, childrenOf: {}, treeTotals: {} };

export function projectTree(tree: TreeProjection, e: AgioEvent): TreeProjection {
  const before = tree.runs[e.runId] ?? emptyProjection(e.runId);
  const run = project(before, e);
  let { parentOf, childrenOf } = tree;
  const parent = e.type === 'run_start' ? e.parentRunId : undefined;
  if (parent !== undefined && parentOf[e.runId] === undefined) {
    parentOf = { ...parentOf, [e.runId]: parent };
    childrenOf = { ...childrenOf, [parent]: [...(childrenOf[parent] ?? []), e.runId] };
  }
  const next = { runs: { ...tree.runs, [e.runId]: run }, parentOf, childrenOf, treeTotals: tree.treeTotals };
  if (run.totals === before.totals && parent === undefined) return next;
  // Only this run and its ancestors change: each is its own totals plus its children's tree totals.
  let treeTotals = { ...tree.treeTotals };
  for (let id: string | undefined = e.runId; id !== undefined; id = parentOf[id]) {
    let sum = next.runs[id]?.totals ?? emptyProjection(id).totals;
    for (const child of childrenOf[id] ?? []) sum = addTotals(sum, treeTotals[child] ?? next.runs[child]!.totals);
    treeTotals = { ...treeTotals, [id]: sum };
  }
  return { ...next, treeTotals };
}

/** Two runs' figures together. Wall time is not summed: children run inside their parent's time. */
export function addTotals(a: Totals, b: Totals): Totals {
  const unpriced = (a.unpricedCalls ?? 0) + (b.unpricedCalls ?? 0);
  return {
    turns: a.turns + b.turns,
    toolCalls: a.toolCalls + b.toolCalls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    costUsd: a.costUsd + b.costUsd,
    errors: a.errors + b.errors,
    elapsedMs: Math.max(a.elapsedMs, b.elapsedMs),
    ...(unpriced > 0 ? { unpricedCalls: unpriced } : {}),
  };
}
