// read: a text file with numbered lines, a page at a time, so the model can cite and edit exact lines
// without pulling a huge file into its context at once.
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { readPage, type Page } from './line-page.ts';
import { fsErrorMessage, numbered, refuseSpecial, TimeLimit } from './tool-util.ts';
import { toolError, type Tool } from './types.ts';

export const DEFAULT_READ_LIMIT = 2000;
/** A page also stops at this many characters, so 2000 very long lines cannot flood the context. */
const MAX_PAGE_CHARS = 256 * 1024;
/** After a page, its lines are counted this far on to give the total: a few milliseconds of reading.
 * A larger file's total would cost a read of all of it, so the footer then says "at least". */
const COUNT_AHEAD_MB = 16;
const COUNT_AHEAD_BYTES = COUNT_AHEAD_MB * 1024 * 1024;

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
    'with the offset to continue from. Lines over 2000 characters are cut. Binary files, directories and ' +
    'special files (FIFOs, sockets, devices) are refused.',
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
    let size: number;
    try {
      // Before opening: a FIFO would block the open (the disk seam refuses one it is handed anyway).
      const st = await ctx.files.stat(r.abs);
      const special = refuseSpecial(st, 'read', r.rel);
      if (special) return toolError(special);
      if (st.kind === 'directory') return toolError(fsErrorMessage({ code: 'EISDIR' }, 'read', r.rel));
      size = st.size;
    } catch (e) {
      return toolError(fsErrorMessage(e, 'read', r.rel));
    }
    const offset = args.offset ?? 1;
    const limit = args.limit ?? DEFAULT_READ_LIMIT;
    const time = new TimeLimit(ctx);
    let page: Page;
    try {
      page = await readPage(ctx.files.readChunks(r.abs), {
        offset,
        limit,
        maxPageChars: MAX_PAGE_CHARS,
        countAheadBytes: COUNT_AHEAD_BYTES,
        signal: time.signal,
      });
    } catch (e) {
      return toolError(fsErrorMessage(e, 'read', r.rel));
    } finally {
      time.done();
    }
    if (page.kind === 'stopped') {
      const advice = 'To find a line deep in a big file, grep for it and read from its line number.';
      return toolError(time.message('read', `reaching line ${offset} of "${r.rel}"`, advice));
    }
    if (page.kind === 'binary') {
      return toolError(`"${r.rel}" looks like a binary file (it contains NUL bytes), so it was not read as text.`);
    }
    const { lines, total, atLeast } = page;
    if (total === 0) return { ok: true, output: `(${r.rel} is empty)` };
    if (lines.length === 0) {
      return toolError(
        `offset ${offset} is past the end of "${r.rel}", which has ${total} line${total === 1 ? '' : 's'}.`,
      );
    }
    const shownTo = offset + lines.length - 1;
    const width = String(shownTo).length;
    const out = lines.map((line, i) => numbered(offset + i, width, line));
    if (total !== undefined && shownTo >= total) return { ok: true, output: out.join('\n') };
    const next = shownTo + 1;
    const of =
      total !== undefined
        ? `of ${total}`
        : `of at least ${atLeast} (the file has ${size} bytes; its lines were counted only ${COUNT_AHEAD_MB} MB past this page)`;
    out.push('', `[Showing lines ${offset}-${shownTo} ${of}. Call read with offset ${next} to continue.]`);
    return { ok: true, output: out.join('\n'), truncated: true, nextCursor: String(next) };
  },
};
