// One History row's figures, from the runs list's RunSummary. An interrupted run's row carries what
// it had done (the server keeps it current between snapshots), and an unpriced run's cost is unknown.
import { duration, plural, when } from '../format.ts';
import { costFigure, type CostFigure } from './cost.ts';
import type { RunSummary } from './history.ts';

export interface RunRow {
  /** In order of importance: the row shows as many as fit on one line, then an ellipsis. */
  readonly meta: readonly string[];
  readonly cost: CostFigure;
  /** Everything, for the tooltip: the row itself is cut to fit. */
  readonly title: string;
}

export function runRow(r: RunSummary, now = Date.now()): RunRow {
  const cost = costFigure(r.costUsd, r.unpricedCalls);
  // The status has its icon in front of the row; its word goes last, where a narrow row cuts first.
  const meta = [
    when(r.startedAt, now),
    cost.text,
    duration(r.elapsedMs),
    plural(r.turns, 'turn'),
    plural(r.toolCalls, 'tool call'),
    r.status,
  ];
  return { meta, cost, title: `${r.task}\n${meta.join(' · ')}\n${r.model} · ${r.id}` };
}
