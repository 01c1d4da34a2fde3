// ls: a directory tree with types and sizes, to orient in an unfamiliar workspace, through ctx.files
// (the disk in both front ends: listing is not something an editor buffer changes). Symlinks are
// shown, never followed; special files (FIFOs, sockets, devices) are listed by kind, never opened.
import path from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { fsErrorMessage, refuseSpecial, TimeLimit } from './tool-util.ts';
import { toolError, type DirEntry, type FileFacts, type Tool, type WorkspaceFiles } from './types.ts';

export const MAX_LS_ENTRIES = 1000;
/** Listed but not expanded: huge, and rarely what the model is looking for. */
const NOT_EXPANDED = new Set(['.git', 'node_modules']);

export const lsSchema = z.object({
  path: z.string().optional().describe('Directory to list, relative to the workspace root. Default: the root.'),
  depth: z
    .number()
    .int()
    .min(1)
    .max(5)
    .optional()
    .describe(
      'How many levels to show: 1 lists only the directory itself, 2 also its subdirectories, and so on. Default 1, max 5.',
    ),
});

export const lsTool: Tool<typeof lsSchema> = {
  name: 'ls',
  description:
    'List a directory as an indented tree: directories end with "/", files show their size in bytes, ' +
    'symlinks show their target. Sorted by name. .git and node_modules are listed but not expanded. ' +
    `At most ${MAX_LS_ENTRIES} entries.`,
  tier: 'read',
  schema: lsSchema,
  summarize: (a) => `${a.path ?? '.'}${a.depth && a.depth > 1 ? ` (depth ${a.depth})` : ''}`,
  async execute(args, ctx) {
    const r = resolveInWorkspace(ctx.root, args.path ?? '.');
    if (!r.ok) return toolError(r.error);
    let st: FileFacts;
    try {
      st = await ctx.files.stat(r.abs);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'list', r.rel));
    }
    const special = refuseSpecial(st, 'list', r.rel);
    if (special) return toolError(special);
    if (st.kind !== 'directory') return { ok: true, output: `${r.rel}  (file, ${st.size} bytes)` };
    const out: string[] = [];
    const time = new TimeLimit(ctx);
    const state: ListState = { count: 0, truncated: false, signal: time.signal };
    let topError: unknown;
    try {
      topError = await list(ctx.files, r.abs, 0, args.depth ?? 1, out, state);
    } finally {
      time.done();
    }
    if (state.signal.aborted) return toolError(time.message('ls', `listing "${r.rel}" finished`));
    if (topError) return toolError(fsErrorMessage(topError, 'list', r.rel));
    const header = `${r.rel === '.' ? './' : `${r.rel}/`}`;
    if (out.length === 0) return { ok: true, output: `${header}\n(empty directory)` };
    if (state.truncated) {
      out.push(`[Stopped after ${MAX_LS_ENTRIES} entries. List a subdirectory or use a smaller depth.]`);
    }
    return { ok: true, output: [header, ...out].join('\n'), ...(state.truncated ? { truncated: true } : {}) };
  },
};

interface ListState {
  count: number;
  truncated: boolean;
  /** Stop or the time limit: the listing ends at the next entry. */
  signal: AbortSignal;
}

/** Depth-first, so each directory's children follow it. Returns the error only for the top level;
 * deeper unreadable directories are noted inline and the listing goes on. */
async function list(
  files: WorkspaceFiles,
  dir: string,
  level: number,
  depth: number,
  out: string[],
  state: ListState,
): Promise<unknown> {
  if (state.signal.aborted) return undefined;
  let entries: DirEntry[];
  try {
    entries = await files.readDir(dir);
  } catch (e) {
    if (level === 0) return e;
    out.push(`${'  '.repeat(level + 1)}(cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const indent = '  '.repeat(level + 1);
  for (const ent of entries) {
    if (state.signal.aborted) return undefined;
    if (state.count >= MAX_LS_ENTRIES) {
      state.truncated = true;
      return undefined;
    }
    state.count++;
    const full = path.join(dir, ent.name);
    if (ent.kind === 'directory') {
      const skip = NOT_EXPANDED.has(ent.name);
      out.push(`${indent}${ent.name}/${skip && level + 1 < depth ? '  (not expanded)' : ''}`);
      if (!skip && level + 1 < depth) await list(files, full, level + 1, depth, out, state);
    } else if (ent.kind === 'symlink') {
      const target = await files.readLink(full).catch(() => '?');
      out.push(`${indent}${ent.name} -> ${target}  (symlink)`);
    } else {
      const st = await files.lstat(full).catch(() => undefined);
      const kind = ent.kind === 'file' ? '' : `${st?.special ?? 'special file'}, `;
      out.push(`${indent}${ent.name}  (${kind}${st?.size ?? '?'} bytes)`);
    }
  }
  return undefined;
}
