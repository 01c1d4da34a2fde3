// Figures derived from a folded run for the Metrics tab and the status line. Cheap enough to compute
// on demand (O(turns)); the renderer memoises them on the state's identity.
import { forEachIn, get, toArray } from '../../../server/src/protocol/pvec.ts';
import { toolTiming } from './tool-facts.ts';
import type { RunState, ToolItem, TurnStats } from './types.ts';

export interface TimeStats {
  /** Turns that have ended (turn_end seen). */
  readonly count: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** Median of a sorted list (the mean of the middle two when even); 0 when empty. */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1]!;
}

export function timeStats(durations: readonly number[]): TimeStats {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianMs: median(sorted),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

export function turnSeries(state: RunState): TurnStats[] {
  return toArray(state.turns);
}

/** A turn's own time: its wall time less what its questions waited for a person. */
export function workingMs(t: TurnStats): number | undefined {
  return t.durationMs === undefined ? undefined : Math.max(0, t.durationMs - t.approvalWaitMs);
}

/** Over the ended turns, of their own time: a question left waiting over lunch is not a slow turn. */
export function turnTimeStats(state: RunState): TimeStats {
  const durations: number[] = [];
  for (const t of turnSeries(state)) {
    const ms = workingMs(t);
    if (ms !== undefined) durations.push(ms);
  }
  return timeStats(durations);
}

export interface WaitAndToolTime {
  /** Summed over the run's questions to a person. */
  readonly approvalWaitMs: number;
  /** Summed over the finished tool calls, each without its wait. */
  readonly toolMs: number;
}

export function waitAndToolTime(state: RunState): WaitAndToolTime {
  let approvalWaitMs = 0;
  for (const t of turnSeries(state)) approvalWaitMs += t.approvalWaitMs;
  let toolMs = 0;
  forEachIn(state.items, 0, state.items.size, (item) => {
    if (item.kind === 'tool' && item.result) toolMs += toolTiming(item).ownMs ?? 0;
  });
  return { approvalWaitMs, toolMs };
}

/** The tool cards waiting for a person's answer, oldest first. */
export function pendingApprovalItems(state: RunState): ToolItem[] {
  const out: ToolItem[] = [];
  for (const callId of state.pending) {
    const open = state.openCalls.find((c) => c.callId === callId);
    const item = open ? get(state.items, open.index) : undefined;
    if (item?.kind === 'tool') out.push(item);
  }
  return out;
}

export type RunPhase =
  | { readonly phase: 'empty' }
  | { readonly phase: 'running'; readonly turn: number }
  | { readonly phase: 'waiting'; readonly turn: number; readonly approvals: number }
  | { readonly phase: 'ended'; readonly status: Exclude<RunState['status'], 'running' | 'empty'> };

export function runPhase(state: RunState): RunPhase {
  if (state.status === 'empty') return { phase: 'empty' };
  if (state.status !== 'running') return { phase: 'ended', status: state.status };
  const turn = get(state.turns, state.turns.size - 1)?.turn ?? 0;
  if (state.pending.length > 0) return { phase: 'waiting', turn, approvals: state.pending.length };
  return { phase: 'running', turn };
}

/** Tool names with their call counts, most used first (ties by name, so the order is stable). */
export function toolsByCount(state: RunState): Array<[string, number]> {
  return Object.entries(state.toolsByName).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
