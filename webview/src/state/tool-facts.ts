// What a tool card says about its call beyond the arguments: its own time apart from the wait for
// an approval, how a command was stopped, and whether there is anything to restore.
import { duration } from '../format.ts';
import type { ToolItem } from './types.ts';

export interface ToolTiming {
  /** The call's own time; undefined until its result arrives. */
  readonly ownMs?: number;
  /** How long its question waited for a person; undefined when nobody was asked. */
  readonly waitedMs?: number;
}

export function toolTiming(item: ToolItem): ToolTiming {
  const a = item.approval;
  const waitedMs = a?.by === 'user' || a?.by === 'headless' ? a.waitedMs : undefined;
  const r = item.result;
  if (!r) return waitedMs === undefined ? {} : { waitedMs };
  // Old logs counted the wait in durationMs: take it out so the figure means the same as in new ones.
  const ownMs = a?.waitEstimated && waitedMs !== undefined ? Math.max(0, r.durationMs - waitedMs) : r.durationMs;
  return waitedMs === undefined ? { ownMs } : { ownMs, waitedMs };
}

/** "took 12 ms · waited 11 s for approval"; empty while nothing is known yet. */
export function timingText(item: ToolItem): string {
  const t = toolTiming(item);
  const parts: string[] = [];
  if (t.ownMs !== undefined && item.status !== 'denied') parts.push(`took ${duration(t.ownMs)}`);
  if (t.waitedMs !== undefined) parts.push(`waited ${duration(t.waitedMs)} for approval`);
  return parts.join(' · ');
}

export interface CommandStop {
  /** Short, for the card's header: "stopped", "timed out", "killed". */
  readonly label: string;
  /** A sentence for the card's body. */
  readonly text: string;
}

/** A command that did not end by itself: the bash tool's result says so on its first line. */
export function commandStop(item: ToolItem): CommandStop | undefined {
  const r = item.result;
  if (item.tool !== 'bash' || !r || item.status === 'denied') return undefined;
  const first = r.output.split('\n', 1)[0] ?? '';
  const killedAll = 'the command and everything it started were killed';
  if (/^cancelled; /.test(first))
    return { label: 'stopped', text: `Stopped when the run was cancelled: ${killedAll}.` };
  const timeout = /^timed out after (\d+(?:\.\d+)?) ms/.exec(first);
  if (timeout) return { label: 'timed out', text: `Timed out after ${duration(Number(timeout[1]))}: ${killedAll}.` };
  const signal = /^killed by signal (\S+)/.exec(first);
  if (signal) return { label: 'killed', text: `Killed by signal ${signal[1]}.` };
  return undefined;
}

/** The step "Restore to before this step…" goes back to: only for a step that changed something.
 * Runs recorded before checkpoint_end existed do not say, so their steps keep the offer. */
export function restoreStep(item: ToolItem): number | undefined {
  if (item.checkpointStep === undefined || item.status === 'running' || item.status === 'waiting-approval')
    return undefined;
  return item.changedFiles === 0 ? undefined : item.checkpointStep;
}
