// `agio runs` as a table that fits the terminal: a header row, aligned columns, and the two columns of
// free text (workspace, task) cut to the room left. On a narrow terminal the least useful columns
// (tokens, then turns) go before the task is cut below a readable length.
import { homedir } from 'node:os';
import type { RunSummary } from '../store/event-store.ts';
import { formatCost, kTokens } from './format.ts';

interface Column {
  header: string;
  cells: string[];
  right?: boolean;
  /** Dropped, lowest first, when the line would not fit. */
  drop?: number;
}

const GAP = '  ';
const MIN_TASK = 16;

export function runsTable(runs: readonly RunSummary[], width: number, now = new Date()): string {
  const home = homedir();
  const fixed: Column[] = [
    { header: 'ID', cells: runs.map((r) => r.id) },
    { header: 'STARTED', cells: runs.map((r) => started(r.startedAt, now)) },
    { header: 'STATUS', cells: runs.map((r) => r.status) },
    { header: 'TURNS', cells: runs.map((r) => String(r.turns)), right: true, drop: 1 },
    { header: 'TOKENS', cells: runs.map((r) => kTokens(r.inputTokens + r.outputTokens)), right: true, drop: 2 },
    {
      header: 'COST',
      cells: runs.map((r) => formatCost(r.costUsd, r.unpricedCalls).replace('cost unknown', 'unknown')),
      right: true,
    },
  ];
  const workspaces = runs.map((r) =>
    r.cwd === home ? '~' : r.cwd.startsWith(`${home}/`) ? `~${r.cwd.slice(home.length)}` : r.cwd,
  );
  const tasks = runs.map((r) => r.task.replace(/\s+/g, ' ').trim());
  const widthOf = (c: Column) => Math.max(c.header.length, ...c.cells.map((x) => x.length));
  const used = (cols: Column[]) => cols.reduce((n, c) => n + widthOf(c) + GAP.length, 0);

  let cols = fixed;
  const wsNatural = Math.max('WORKSPACE'.length, ...workspaces.map((w) => w.length));
  // The workspace gets what it needs up to a third of the free room (at least its header's width).
  const room = () => width - used(cols) - GAP.length;
  while (room() < 'WORKSPACE'.length + MIN_TASK && cols.some((c) => c.drop !== undefined)) {
    const lowest = Math.min(...cols.filter((c) => c.drop !== undefined).map((c) => c.drop!));
    cols = cols.filter((c) => c.drop !== lowest);
  }
  const free = Math.max(room(), 'WORKSPACE'.length + MIN_TASK);
  const wsWidth = Math.min(wsNatural, Math.max('WORKSPACE'.length, Math.floor(free / 3)));
  const taskWidth = Math.max(MIN_TASK, free - wsWidth);

  const row = (cells: string[], ws: string, task: string) =>
    [
      ...cells.map((c, i) => (cols[i]!.right ? c.padStart(widthOf(cols[i]!)) : c.padEnd(widthOf(cols[i]!)))),
      cutLeft(ws, wsWidth).padEnd(wsWidth),
      cutRight(task, taskWidth),
    ]
      .join(GAP)
      .trimEnd();
  const lines = [
    row(
      cols.map((c) => c.header),
      'WORKSPACE',
      'TASK',
    ),
  ];
  for (let i = 0; i < runs.length; i++)
    lines.push(
      row(
        cols.map((c) => c.cells[i]!),
        workspaces[i]!,
        tasks[i]!,
      ),
    );
  return `${lines.join('\n')}\n`;
}

/** This year: "12-07 22:52"; earlier: "2025-12-07". Local time, as the user reads a clock. */
function started(ms: number, now: Date): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return d.getFullYear() === now.getFullYear()
    ? `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
    : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A path keeps its end, where the folder's own name is, cut at a slash when one fits: `…/proj`. */
function cutLeft(s: string, n: number): string {
  if (s.length <= n) return s;
  const tail = s.slice(s.length - n + 1);
  const slash = tail.indexOf('/');
  return slash >= 0 && slash < tail.length - 1 ? `…${tail.slice(slash)}` : `…${tail}`;
}
function cutRight(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
