// One readable line for a tool call: the tool's own summary, which the server puts on the tool_call
// event, cut to one line for a card. Logs from before events carried it fall back to a summary of the
// arguments in the same words (the file and line range for read, the command for bash, …); those
// arguments come from the model and may be malformed (or a raw string when they were not JSON), so
// every field is checked before use.

const MAX = 160;

type Args = Record<string, unknown>;

const str = (a: Args, k: string): string | undefined => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
const num = (a: Args, k: string): number | undefined =>
  typeof a[k] === 'number' && Number.isFinite(a[k]) ? (a[k] as number) : undefined;

function clip(s: string): string {
  return s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s;
}

function firstLine(s: string): string {
  const nl = s.indexOf('\n');
  return nl < 0 ? s : `${s.slice(0, nl)} …`;
}

function readRange(a: Args): string {
  const path = str(a, 'path') ?? '?';
  const offset = num(a, 'offset');
  const limit = num(a, 'limit');
  if (offset === undefined && limit === undefined) return path;
  const from = offset ?? 1;
  return limit === undefined ? `${path}:${from}-` : `${path}:${from}-${from + limit - 1}`;
}

function lineCount(s: string): number {
  if (s === '') return 0;
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < s.length - 1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

const SUMMARIES: Record<string, (a: Args) => string> = {
  read: readRange,
  bash: (a) => firstLine(str(a, 'command') ?? ''),
  grep: (a) => {
    const flags = a.ignore_case === true ? 'i' : '';
    const where = str(a, 'path') ? ` in ${str(a, 'path')}` : '';
    const glob = str(a, 'glob') ? ` (${str(a, 'glob')})` : '';
    return `/${str(a, 'pattern') ?? ''}/${flags}${where}${glob}`;
  },
  find: (a) => `${str(a, 'pattern') ?? ''}${str(a, 'path') ? ` in ${str(a, 'path')}` : ''}`,
  ls: (a) => `${str(a, 'path') ?? '.'}${(num(a, 'depth') ?? 1) > 1 ? ` (depth ${num(a, 'depth')})` : ''}`,
  edit: (a) => {
    const n = Array.isArray(a.edits) ? a.edits.length : 0;
    return `${str(a, 'path') ?? '?'} (${n} edit${n === 1 ? '' : 's'})`;
  },
  write: (a) => {
    const n = lineCount(str(a, 'content') ?? '');
    return `${str(a, 'path') ?? '?'} (${n} line${n === 1 ? '' : 's'})`;
  },
  fetch: (a) => str(a, 'url') ?? '',
};

/** The card's line for a call: its event's `summary` when it has one. */
export function callSummary(tool: string, args: unknown, summary: string | undefined): string {
  return summary !== undefined ? clip(firstLine(summary)) : summarizeArgs(tool, args);
}

/** For logs without `summary` only. */
export function summarizeArgs(tool: string, args: unknown): string {
  if (typeof args === 'string') return clip(firstLine(args));
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return clip(JSON.stringify(args) ?? '');
  const known = SUMMARIES[tool];
  if (known) return clip(known(args as Args));
  return clip(JSON.stringify(args));
}
