// read: a text file with numbered lines, a page at a time, so the model can cite and edit exact lines
// without pulling a huge file into its context at once.
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { cutLine, fsErrorMessage, looksBinary, numbered } from './tool-util.ts';
import { toolError, type Tool } from './types.ts';

export const DEFAULT_READ_LIMIT = 2000;
/** A page also stops at this many characters, so 2000 very long lines cannot flood the context. */
const MAX_PAGE_CHARS = 256 * 1024;

export const readSchema = z.object({
  path: z.string().describe('File to read, relative to the workspace root (or absolute inside it).'),
  offset: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('1-based line number to start from. Default 1. Use the offset given at the end of a previous page.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(DEFAULT_READ_LIMIT)
    .optional()
    .describe(`Maximum number of lines to return. Default ${DEFAULT_READ_LIMIT}.`),
});

export const readTool: Tool<typeof readSchema> = {
  name: 'read',
  description:
    'Read a text file. Returns its lines numbered as "N<TAB>text" (the number and tab are not part of the ' +
    `file). Long files come in pages of up to ${DEFAULT_READ_LIMIT} lines; when more remain the output ends ` +
    'with the offset to continue from. Lines over 2000 characters are cut. Binary files and directories are refused.',
  tier: 'read',
  schema: readSchema,
  summarize: (a) => {
    if (a.offset === undefined && a.limit === undefined) return a.path;
    const from = a.offset ?? 1;
    return a.limit === undefined ? `${a.path}:${from}-` : `${a.path}:${from}-${from + a.limit - 1}`;
  },
  async execute(args, ctx) {
    const r = resolveInWorkspace(ctx.root, args.path);
    if (!r.ok) return toolError(r.error);
    let buf: Buffer;
    try {
      buf = await ctx.files.readBytes(r.abs);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'read', r.rel));
    }
    if (looksBinary(buf)) {
      return toolError(`"${r.rel}" looks like a binary file (it contains NUL bytes), so it was not read as text.`);
    }
    let text = buf.toString('utf8');
    if (text.startsWith('\uFEFF')) text = text.slice(1);
    if (text === '') return { ok: true, output: `(${r.rel} is empty)` };
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop(); // a final newline ends the last line; it does not start another
    const total = lines.length;
    const offset = args.offset ?? 1;
    const limit = args.limit ?? DEFAULT_READ_LIMIT;
    if (offset > total) {
      return toolError(
        `offset ${offset} is past the end of "${r.rel}", which has ${total} line${total === 1 ? '' : 's'}.`,
      );
    }
    const last = Math.min(total, offset + limit - 1);
    const width = String(last).length;
    const out: string[] = [];
    let chars = 0;
    let n = offset;
    for (; n <= last; n++) {
      const line = numbered(n, width, cutLine(lines[n - 1]!.replace(/\r$/, '')));
      if (chars + line.length > MAX_PAGE_CHARS && out.length > 0) break;
      out.push(line);
      chars += line.length + 1;
    }
    const shownTo = n - 1;
    if (shownTo >= total) return { ok: true, output: out.join('\n') };
    const next = shownTo + 1;
    out.push('', `[Showing lines ${offset}-${shownTo} of ${total}. Call read with offset ${next} to continue.]`);
    return { ok: true, output: out.join('\n'), truncated: true, nextCursor: String(next) };
  },
};
