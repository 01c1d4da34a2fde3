// The Events tab: the raw event stream of the focused run (live or replayed) as a tree
// Run → Turn → ToolCall, filterable by type, searchable, each event's JSON one click away, and
// exportable as JSON lines (the client writes the file from the stored log).
import { useMemo, useState } from 'preact/hooks';
import { EVENT_TYPES, eventLabel, eventTree, type EventRow } from './state/history.ts';
import type { RunState } from './state/types.ts';
import { post } from './vscode-api.ts';
import { VirtualList } from './virtual-list.tsx';

const ROW_HEIGHT = 24;

function toggle<T>(set: ReadonlySet<T>, x: T): Set<T> {
  const next = new Set(set);
  if (!next.delete(x)) next.add(x);
  return next;
}

function Row({
  row,
  startTs,
  open,
  collapsed,
  onOpen,
  onCollapse,
}: {
  row: EventRow;
  startTs: number;
  open: boolean;
  collapsed: boolean;
  onOpen: (id: string) => void;
  onCollapse: (id: string) => void;
}) {
  const ev = row.event;
  return (
    <div class={`ev ${open ? 'open' : ''}`} style={{ '--depth': row.depth }}>
      <div class="ev-line">
        {row.children > 0 ? (
          <button
            type="button"
            class="icon-button"
            aria-label={collapsed ? 'Expand' : 'Collapse'}
            aria-expanded={!collapsed}
            onClick={() => onCollapse(ev.id)}
          >
            <i class={`codicon codicon-chevron-${collapsed ? 'right' : 'down'}`} aria-hidden="true" />
          </button>
        ) : (
          <span class="twistie-space" />
        )}
        <button type="button" class="ev-main" aria-expanded={open} onClick={() => onOpen(ev.id)}>
          <span class="ev-seq">{ev.seq}</span>
          <span class={`ev-type ev-${ev.type}`}>{ev.type}</span>
          <span class="ev-label">{eventLabel(ev)}</span>
          <span class="ev-time">+{((ev.ts - startTs) / 1000).toFixed(2)}s</span>
        </button>
      </div>
      {open && <pre class="ev-json">{JSON.stringify(ev, null, 2)}</pre>}
    </div>
  );
}

export function EventsView({ run }: { run: RunState | undefined }) {
  const [types, setTypes] = useState<ReadonlySet<string>>(new Set());
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(
    () => (run ? eventTree(run.events, { types, query, collapsed }) : []),
    [run?.events, types, query, collapsed],
  );
  if (!run) return <div class="empty-tab">No run yet. Start one in Chat, or open a past run from History.</div>;
  const startTs = run.startTs ?? 0;
  const filtering = types.size > 0 || query.trim() !== '';
  return (
    <div class="events">
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search events"
          aria-label="Search events"
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <details class="type-filter">
          <summary>{types.size === 0 ? 'All types' : `${types.size} type${types.size === 1 ? '' : 's'}`}</summary>
          <div class="type-list">
            {EVENT_TYPES.map((t) => (
              <label key={t}>
                <input type="checkbox" checked={types.has(t)} onChange={() => setTypes(toggle(types, t))} /> {t}
              </label>
            ))}
            {types.size > 0 && (
              <button type="button" class="link-button" onClick={() => setTypes(new Set())}>
                Clear
              </button>
            )}
          </div>
        </details>
        <button
          type="button"
          class="button secondary"
          title="Save this run's events as JSON lines"
          onClick={() => post({ type: 'exportRun', runId: run.runId })}
        >
          <i class="codicon codicon-export" aria-hidden="true" /> Export JSON lines
        </button>
      </div>
      <div class="events-count">
        {filtering ? `${rows.length} of ${run.events.size} events` : `${run.events.size} events`}
        {run.gap && ' · some events are missing, reloading…'}
      </div>
      <VirtualList
        class="events-list"
        label="Events"
        count={rows.length}
        followBottom={!filtering}
        layoutKey={`${[...types].join()}|${query}|${collapsed.size}`}
        keyOf={(i) => rows[i]!.event.id}
        estimate={(i) => (open.has(rows[i]!.event.id) ? 200 : ROW_HEIGHT)}
        renderRow={(i) => {
          const row = rows[i]!;
          return (
            <Row
              row={row}
              startTs={startTs}
              open={open.has(row.event.id)}
              collapsed={!filtering && collapsed.has(row.event.id)}
              onOpen={(id) => setOpen((s) => toggle(s, id))}
              onCollapse={(id) => setCollapsed((s) => toggle(s, id))}
            />
          );
        }}
      />
    </div>
  );
}
