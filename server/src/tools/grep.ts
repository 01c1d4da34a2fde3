// grep: regex search over the workspace with ripgrep's JSON output, paginated. A page is rebuilt by
// re-running rg (sorted by path, so the order is stable) and skipping the matches already shown;
// rg is stopped as soon as the page is full, so later pages cost more but no state is kept. The search
// goes through ctx.files, so in the editor it sees unsaved buffers as read does. Lines of a file read
// would ask about (.env, keys: ctx.readNeedsApproval) are withheld and counted, never shown: a search
// is no way around read's approval.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { cutLine, fsErrorMessage, refuseSpecial, TimeLimit } from './tool-util.ts';
import { toolError, type Tool } from './types.ts';

export const DEFAULT_GREP_LIMIT = 100;

export const grepSchema = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Regular expression (Rust/ripgrep syntax, like PCRE without look-around). Escape literal characters such as ( [ . *',
    ),
  path: z
    .string()
    .optional()
    .describe('File or directory to search, relative to the workspace root. Default: the root.'),
  glob: z.string().optional().describe('Only search files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
  ignore_case: z.boolean().optional().describe('Case-insensitive search. Default false.'),
  context: z
    .number()
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe('Lines of context to show before and after each match. Default 0.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe(`Matching lines per page. Default ${DEFAULT_GREP_LIMIT}.`),
  cursor: z
    .string()
    .optional()
    .describe('nextCursor from a previous grep with the same pattern, path, glob and options, to get the next page.'),
});
type GrepArgs = z.infer<typeof grepSchema>;

/** One line rg reported: a match or a context line. */
interface Hit {
  file: string;
  line: number;
  text: string;
  match: boolean;
  onPage: boolean;
}

export const grepTool: Tool<typeof grepSchema> = {
  name: 'grep',
  description:
    'Search file contents for a regular expression (ripgrep; honours .gitignore, includes hidden files, skips ' +
    '.git and binary files). Output lines are "path:line: text" for matches and "path-line- text" for context. ' +
    `Returns ${DEFAULT_GREP_LIMIT} matching lines per page; when more exist the result has nextCursor: pass it as cursor.`,
  tier: 'read',
  schema: grepSchema,
  summarize: (a) =>
    `/${a.pattern}/${a.ignore_case ? 'i' : ''}${a.path ? ` in ${a.path}` : ''}${a.glob ? ` (${a.glob})` : ''}`,
  async execute(args, ctx) {
    const r = resolveInWorkspace(ctx.root, args.path ?? '.');
    if (!r.ok) return toolError(r.error);
    try {
      // rg opens a path it is given: a FIFO would block it (in a folder it skips them itself).
      const special = refuseSpecial(await ctx.files.stat(r.abs), 'search', r.rel);
      if (special) return toolError(special);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'search', r.rel));
    }
    const key = searchKey(args, r.rel);
    let skip = 0;
    if (args.cursor !== undefined) {
      const c = decodeCursor(args.cursor);
      if (c === undefined) return toolError('cursor is not one grep returned; run grep again without cursor.');
      if (c.k !== key)
        return toolError(
          'cursor belongs to a different search (pattern, path, glob or options changed); run grep again without cursor.',
        );
      skip = c.o;
    }
    const limit = args.limit ?? DEFAULT_GREP_LIMIT;
    const ctxLines = args.context ?? 0;
    const fileFlags = ['--no-require-git', '--hidden', '--glob', '!.git', '--sort', 'path'];
    if (args.glob) fileFlags.push('--glob', args.glob);
    const matchFlags = ['--json'];
    if (args.ignore_case) matchFlags.push('--ignore-case');
    if (ctxLines > 0) matchFlags.push('--context', String(ctxLines));
    matchFlags.push('--regexp', args.pattern);

    const out: string[] = [];
    let seen = 0; // matching lines seen so far, across files
    let more = false;
    let fileHits: Hit[] = [];
    const flush = (): void => {
      emit(fileHits, ctxLines, out);
      fileHits = [];
    };
    const withheld = new Withheld(ctx.readNeedsApproval);
    const time = new TimeLimit(ctx);
    const res = await ctx.files
      .search({
        cwd: ctx.root,
        paths: [r.rel === '.' ? '.' : r.rel],
        fileFlags,
        matchFlags,
        signal: time.signal,
        env: ctx.env,
        onLine: (line) => {
          const msg = parse(line);
          if (!msg) return;
          if (msg.type === 'end') return flush();
          if (!msg.hit) return;
          if (withheld.holds(msg.hit)) return;
          const hit: Hit = { ...msg.hit, onPage: false };
          if (hit.match) {
            if (seen === skip + limit) {
              more = true;
              fileHits.push(hit);
              flush();
              return true;
            }
            hit.onPage = seen >= skip;
            seen++;
          }
          fileHits.push(hit);
          // Before this file's first page match only the last few lines can still become its context.
          if (!fileHits.some((h) => h.onPage)) fileHits = fileHits.filter((h) => h.line >= hit.line - ctxLines);
        },
      })
      .finally(() => time.done());
    flush();
    if (res.aborted) return toolError(time.message('grep', 'the search finished'));
    if (res.spawnError) return toolError(res.spawnError);
    const shown = Math.max(0, Math.min(seen, skip + limit) - skip);
    if (res.code === 2 && seen === 0) {
      const what = /regex parse error/.test(res.stderr) ? 'Invalid regular expression' : 'grep failed';
      return toolError(`${what}: ${res.stderr || 'ripgrep error'}`);
    }
    const where = r.rel === '.' ? 'the workspace' : `"${r.rel}"`;
    const held = withheld.note();
    if (shown === 0) {
      // Withheld lines are matches: "no matches" beside them would be untrue.
      const none = held ? 'No matches that can be shown' : 'No matches';
      const msg =
        skip > 0
          ? `${held ? 'No more matches that can be shown' : 'No more matches'}.`
          : `${none} for /${args.pattern}/ in ${where}.`;
      return { ok: true, output: held ? `${msg}\n\n${held}` : msg };
    }
    if (held) out.push('', held);
    if (res.code === 2 && res.stderr) out.push('', `[Some files could not be searched: ${res.stderr.split('\n')[0]}]`);
    if (more) {
      const next = encodeCursor({ o: skip + limit, k: key });
      out.push('', `[Showing matches ${skip + 1}-${skip + shown}. More exist: call grep again with cursor "${next}".]`);
      return { ok: true, output: out.join('\n'), truncated: true, nextCursor: next };
    }
    if (skip > 0) out.push('', `[Matches ${skip + 1}-${skip + shown}; no more matches.]`);
    return { ok: true, output: out.join('\n') };
  },
};

/** Matches in files whose contents need approval to read: counted per file, never shown. */
class Withheld {
  private readonly needsApproval: (rel: string) => string | undefined;
  private readonly verdicts = new Map<string, string | undefined>();
  private readonly counts = new Map<string, number>();

  constructor(needsApproval: (rel: string) => string | undefined) {
    this.needsApproval = needsApproval;
  }

  /** True when `hit` is in such a file (it is then counted, if it is a match). */
  holds(hit: { file: string; match: boolean }): boolean {
    if (!this.verdicts.has(hit.file)) this.verdicts.set(hit.file, this.needsApproval(hit.file));
    if (this.verdicts.get(hit.file) === undefined) return false;
    if (hit.match) this.counts.set(hit.file, (this.counts.get(hit.file) ?? 0) + 1);
    return true;
  }

  /** What the model is told about the withheld matches (names are not contents), or ''. */
  note(): string {
    if (this.counts.size === 0) return '';
    const lines = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const files = [...this.counts.keys()];
    const named = files.slice(0, 5).map((f) => `${this.verdicts.get(f)} (${this.counts.get(f)})`);
    if (files.length > 5) named.push(`and ${files.length - 5} more`);
    return (
      `[${lines} matching line${lines === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'} ` +
      `not shown, because reading ${files.length === 1 ? 'it' : 'them'} needs the user's approval: ${named.join('; ')}. ` +
      'To see them, grep or read such a file by its own path: the user is asked.]'
    );
  }
}

/** Print one file's page matches with their context; `--` between groups that are not adjacent. */
function emit(hits: Hit[], ctxLines: number, out: string[]): void {
  const pageLines = hits.filter((h) => h.onPage).map((h) => h.line);
  if (pageLines.length === 0) return;
  let last = -1;
  for (const h of hits) {
    if (!pageLines.some((p) => Math.abs(p - h.line) <= ctxLines)) continue;
    if (ctxLines > 0 && out.length > 0 && h.line !== last + 1) out.push('--');
    out.push(h.onPage ? `${h.file}:${h.line}: ${h.text}` : `${h.file}-${h.line}- ${h.text}`);
    last = h.line;
  }
}

/** `hit` is set for match and context lines; other message types (begin, end, summary) carry none. */
interface RgMessage {
  type: string;
  hit?: Omit<Hit, 'onPage'>;
}

interface RgText {
  text?: string;
  bytes?: string;
}
const textOf = (t: RgText | undefined): string =>
  t?.text ?? (t?.bytes !== undefined ? Buffer.from(t.bytes, 'base64').toString('utf8') : '');

function parse(line: string): RgMessage | undefined {
  let m: { type: string; data?: { path?: RgText; lines?: RgText; line_number?: number } };
  try {
    m = JSON.parse(line);
  } catch {
    return undefined;
  }
  if ((m.type !== 'match' && m.type !== 'context') || !m.data) return { type: m.type };
  const file = textOf(m.data.path).replace(/^\.\//, '');
  const text = cutLine(textOf(m.data.lines).replace(/\r?\n$/, ''), 500);
  return { type: m.type, hit: { file, line: m.data.line_number ?? 0, text, match: m.type === 'match' } };
}

/** Ties a cursor to the search it came from, so a cursor reused with other arguments is refused. */
function searchKey(a: GrepArgs, rel: string): string {
  const parts = [a.pattern, rel, a.glob ?? '', a.ignore_case ? 'i' : '', String(a.context ?? 0)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

function encodeCursor(c: { o: number; k: string }): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): { o: number; k: string } | undefined {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    if (typeof c.o === 'number' && Number.isInteger(c.o) && c.o >= 0 && typeof c.k === 'string')
      return { o: c.o, k: c.k };
  } catch {
    // fall through
  }
  return undefined;
}
