// The History tab's runs list with figures across runs, and the Events tab's tree
// (Run → Turn → ToolCall, rebuilt from parentId) with its type filter and text search.
import type { AgioEvent, AgioEventType } from '../../../server/src/protocol/events.ts';
import { timeStats, type TimeStats } from './metrics.ts';
import { forEachIn, type PVec } from '../../../server/src/protocol/pvec.ts';

import type { RunSummary } from '../../../server/src/protocol/methods.ts';

export type { RunSummary };

export function newestFirst(runs: readonly RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => b.startedAt - a.startedAt || b.id.localeCompare(a.id));
}

export interface AcrossRuns {
  readonly runs: number;
  readonly turns: number;
  readonly toolCalls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number;
  /** Model calls without a known price, over all runs: the cost is then unknown or a lower bound. */
  readonly unpricedCalls: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Over runs, of each run's mean time per turn: the summaries carry no per-turn times. */
  readonly turnTime: TimeStats;
}

export function acrossRuns(runs: readonly RunSummary[]): AcrossRuns {
  const sum = {
    runs: runs.length,
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
  const byStatus: Record<string, number> = {};
  const perTurn: number[] = [];
  for (const r of runs) {
    sum.turns += r.turns;
    sum.toolCalls += r.toolCalls;
    sum.inputTokens += r.inputTokens;
    sum.outputTokens += r.outputTokens;
    sum.cachedTokens += r.cachedTokens;
    sum.costUsd += r.costUsd;
    sum.unpricedCalls += r.unpricedCalls ?? 0;
    sum.errors += r.errors;
    sum.elapsedMs += r.elapsedMs;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (r.turns > 0) perTurn.push(r.elapsedMs / r.turns);
  }
  return { ...sum, byStatus, turnTime: timeStats(perTurn) };
}

/** Every event type, in the order the protocol declares them (for the filter chips). */
export const EVENT_TYPES = [
  'run_start',
  'turn_start',
  'text_delta',
  'message_end',
  'tool_call',
  'tool_call_delta',
  'approval_request',
  'approval_decision',
  'tool_output',
  'tool_result',
  'usage',
  'metrics_snapshot',
  'retry',
  'error',
  'limit_reached',
  'cancelled',
  'checkpoint',
  'checkpoint_end',
  'turn_end',
  'run_end',
  'run_interrupted',
  'run_resumed',
  'context_added',
  'context_usage',
  'compaction_start',
  'compaction_end',
  'notice',
] as const satisfies readonly AgioEventType[];
// Fails to compile when the protocol gains a type this list lacks.
const _allTypesListed: Exclude<AgioEventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void _allTypesListed;

export interface EventRow {
  readonly event: AgioEvent;
  readonly depth: number;
  readonly children: number;
}

export interface EventFilter {
  /** Types to show; empty shows all. */
  readonly types: ReadonlySet<string>;
  readonly query: string;
  /** Events whose subtree is folded away (ignored while filtering or searching, so no match hides). */
  readonly collapsed: ReadonlySet<string>;
}

const searchable = new WeakMap<AgioEvent, string>();
function searchText(ev: AgioEvent): string {
  let s = searchable.get(ev);
  if (s === undefined) {
    s = JSON.stringify(ev).toLowerCase();
    searchable.set(ev, s);
  }
  return s;
}

/** One pass in seq order (a parent always precedes its children): O(n). */
export function eventTree(events: PVec<AgioEvent>, filter: EventFilter): EventRow[] {
  const depth = new Map<string, number>();
  const hidden = new Set<string>();
  const children = new Map<string, number>();
  forEachIn(events, 0, events.size, (ev) => {
    if (ev.parentId !== null) children.set(ev.parentId, (children.get(ev.parentId) ?? 0) + 1);
  });
  const query = filter.query.trim().toLowerCase();
  const filtering = filter.types.size > 0 || query !== '';
  const rows: EventRow[] = [];
  forEachIn(events, 0, events.size, (ev) => {
    const parentDepth = ev.parentId === null ? -1 : (depth.get(ev.parentId) ?? -1);
    depth.set(ev.id, parentDepth + 1);
    if (ev.parentId !== null && (hidden.has(ev.parentId) || filter.collapsed.has(ev.parentId))) hidden.add(ev.id);
    if (filtering) {
      if (filter.types.size > 0 && !filter.types.has(ev.type)) return;
      if (query !== '' && !searchText(ev).includes(query)) return;
    } else if (hidden.has(ev.id)) return;
    rows.push({ event: ev, depth: parentDepth + 1, children: children.get(ev.id) ?? 0 });
  });
  return rows;
}

/** A short line for a tree row; the full event is one click away. */
export function eventLabel(ev: AgioEvent): string {
  switch (ev.type) {
    case 'run_start':
      return `${ev.task} · ${ev.model} · ${ev.approval}`;
    case 'turn_start':
    case 'turn_end':
      return `turn ${ev.turn}`;
    case 'text_delta':
      return JSON.stringify(ev.text);
    case 'message_end':
      return `${ev.stopReason} · ${ev.text.length} chars`;
    case 'tool_call':
      return `${ev.tool} ${ev.callId}`;
    case 'tool_call_delta':
      return `${ev.tool} ${ev.callId} · ${ev.argsChars} chars${ev.preview !== undefined ? ` · ${ev.preview}` : ''}`;
    case 'approval_request':
      return `${ev.tool} (${ev.tier}): ${ev.summary}`;
    case 'approval_decision':
      return `${ev.decision} by ${ev.by}: ${ev.reason}`;
    case 'tool_output':
      return `${ev.stream}: ${JSON.stringify(ev.chunk)}`;
    case 'tool_result':
      return `${ev.tool} ${ev.result.ok ? 'ok' : 'failed'} · ${ev.result.durationMs} ms`;
    case 'usage':
      return `in ${ev.inputTokens} · out ${ev.outputTokens} · cached ${ev.cachedTokens} · $${ev.costUsd.toFixed(4)}`;
    case 'metrics_snapshot':
      return `${ev.totals.turns} turns · ${ev.totals.toolCalls} tool calls · $${ev.totals.costUsd.toFixed(4)}`;
    case 'retry':
      return `attempt ${ev.attempt}: ${ev.reason}`;
    case 'error':
      return `${ev.fatal ? 'fatal ' : ''}${ev.kind}: ${ev.message}`;
    case 'limit_reached':
      return `${ev.limit} ${ev.value} / ${ev.max}`;
    case 'cancelled':
      return ev.reason;
    case 'checkpoint':
      return `step ${ev.step} (${ev.kind}) · ${ev.files} files · ${ev.bytes} bytes saved${ev.skipped?.length ? ` · ${ev.skipped.length} skipped` : ''}`;
    case 'checkpoint_end':
      return `step ${ev.step} · ${ev.changed} file(s) changed`;
    case 'run_end':
      return `${ev.status}${ev.error ? `: ${ev.error}` : ''}`;
    case 'run_interrupted':
      return `${ev.reason} · in flight: ${ev.lastStep}`;
    case 'run_resumed':
      return `process ${ev.pid}: ${ev.reason}`;
    case 'context_added':
      return ev.items.map((i) => `${i.kind} ${i.label}${i.ok ? '' : ' (failed)'}`).join(' · ');
    case 'context_usage':
      return `${ev.estimated ? '~' : ''}${ev.tokens} / ${ev.window} tokens${ev.shortened ? ` · ${ev.shortened} shortened` : ''}`;
    case 'compaction_start':
      return `${ev.reason}: ${ev.tokens} / ${ev.window} tokens`;
    case 'compaction_end':
      return ev.ok
        ? `${ev.summarized} messages → summary · ${ev.tokensBefore} → ${ev.tokensAfter} tokens`
        : `failed: ${ev.error ?? ''}`;
    case 'notice':
      return `${ev.kind}: ${ev.message}`;
  }
}
