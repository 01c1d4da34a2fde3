// find: files by glob. rg lists the files (it knows .gitignore, .ignore and friends) and we filter
// with picomatch: rg's own --glob would override the ignore rules for files it matches, listing
// e.g. ignored *.log files for pattern "*.log". Names are listed even for files whose contents read
// asks about (.env, keys): a name is not a secret, and knowing `.env` exists is what lets the model
// ask to read it. rg lists regular files only (no FIFOs or devices), and opens none of them.
import picomatch from 'picomatch';
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { fsErrorMessage, refuseSpecial, TimeLimit } from './tool-util.ts';
import { toolError, type Tool } from './types.ts';

export const DEFAULT_FIND_LIMIT = 200;

export const findSchema = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob for file paths, e.g. "*.ts", "**/*.test.ts", "src/**/index.*". A pattern without "/" matches the ' +
        'file name at any depth; one with "/" matches the path relative to `path` (or to the workspace root).',
    ),
  path: z.string().optional().describe('Directory to search in, relative to the workspace root. Default: the root.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(5000)
    .optional()
    .describe(`Maximum number of paths to return. Default ${DEFAULT_FIND_LIMIT}.`),
});

export const findTool: Tool<typeof findSchema> = {
  name: 'find',
  description:
    'Find files whose path matches a glob. Honours .gitignore (and .ignore); hidden files are included, .git is ' +
    'not. Returns matching paths relative to the workspace root, sorted, one per line.',
  tier: 'read',
  schema: findSchema,
  summarize: (a) => `${a.pattern}${a.path ? ` in ${a.path}` : ''}`,
  async execute(args, ctx) {
    const r = resolveInWorkspace(ctx.root, args.path ?? '.');
    if (!r.ok) return toolError(r.error);
    try {
      const st = await ctx.files.stat(r.abs);
      const special = refuseSpecial(st, 'search', r.rel);
      if (special) return toolError(special);
      if (st.kind !== 'directory') return toolError(`"${r.rel}" is a file; find needs a directory as path.`);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'search', r.rel));
    }
    const limit = args.limit ?? DEFAULT_FIND_LIMIT;
    const matchRel = globMatcher(args.pattern);
    const prefix = r.rel === '.' ? '' : `${r.rel}/`;
    const found: string[] = [];
    let more = false;
    const time = new TimeLimit(ctx);
    const res = await ctx.files
      .search({
        cwd: ctx.root,
        paths: [r.rel === '.' ? '.' : r.rel],
        fileFlags: ['--no-require-git', '--hidden', '--glob', '!.git', '--sort', 'path'],
        signal: time.signal,
        env: ctx.env,
        onLine: (line) => {
          const file = line.startsWith('./') ? line.slice(2) : line;
          const inDir = file.startsWith(prefix) ? file.slice(prefix.length) : file;
          if (!matchRel(inDir) && !(prefix && matchRel(file))) return;
          if (found.length === limit) {
            more = true;
            return true; // one past the limit proves there are more; stop rg
          }
          found.push(file);
        },
      })
      .finally(() => time.done());
    if (res.aborted) return toolError(time.message('find', 'the listing finished'));
    if (res.spawnError) return toolError(res.spawnError);
    if (res.code === 2 && found.length === 0) return toolError(`find failed: ${res.stderr || 'ripgrep error'}`);
    const where = r.rel === '.' ? 'the workspace' : `"${r.rel}"`;
    if (found.length === 0) return { ok: true, output: `No files match "${args.pattern}" in ${where}.` };
    const lines = [...found];
    if (more)
      lines.push(`[Showing the first ${limit} matches; there are more. Narrow the pattern or path, or raise limit.]`);
    return { ok: true, output: lines.join('\n'), ...(more ? { truncated: true } : {}) };
  },
};

/** Like a .gitignore line: without a "/" the glob matches the file name at any depth, with one it
 * matches the whole relative path. (picomatch's own `basename` option breaks globs that contain
 * "/", so the two cases are split here.) Hidden files match `*` like any other. */
function globMatcher(pattern: string): (rel: string) => boolean {
  const p = pattern.replace(/^\.?\//, '');
  const m = picomatch(p, { dot: true });
  if (p.includes('/')) return m;
  return (rel) => m(rel.slice(rel.lastIndexOf('/') + 1));
}
