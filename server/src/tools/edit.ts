// edit: targeted replacements in a file (or creating one from an empty old_text). The matching rules,
// line endings included, live in edit-match.ts; this file handles the bytes around them (encoding,
// BOM, a missing file) and shows the model what changed.
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { applyEdits, type ApplyResult, type Change } from './edit-match.ts';
import {
  cutLine,
  errCode,
  fsErrorMessage,
  looksBinary,
  numbered,
  refuseSpecial,
  refuseTooLarge,
  stoppedBeforeWriting,
} from './tool-util.ts';
import { toolError, type FileChange, type Tool, type ToolContext } from './types.ts';

export const editSchema = z.object({
  path: z
    .string()
    .describe(
      'File to edit, relative to the workspace root. It must exist, unless the first edit has an empty old_text (which creates it).',
    ),
  edits: z
    .array(
      z.object({
        old_text: z
          .string()
          .describe(
            "Exact text to replace, copied from the file (without read's line numbers). Must occur exactly once unless replace_all is set. Empty only to create a missing or empty file.",
          ),
        new_text: z
          .string()
          .describe(
            "Text to put in its place. Its line endings become the file's; when old_text matched only ignoring whitespace, it is re-indented as the matched lines are.",
          ),
        replace_all: z
          .boolean()
          .optional()
          .describe('Replace every occurrence instead of requiring exactly one. Default false.'),
      }),
    )
    .min(1)
    .describe('Replacements applied in order, each to the result of the previous; if any fails, none is applied.'),
});

const CONTEXT_LINES = 2;
const MAX_SNIPPET_LINES = 40;

type EditArgs = z.infer<typeof editSchema>;

/** What an edit makes of a file: the bytes to write and, for the model, what changed in its text. */
type EditPlan =
  | { ok: true; change: FileChange; edited: Extract<ApplyResult, { ok: true }> }
  | { ok: false; error: string };

/** The whole edit without writing: both the approval's diff (propose) and execute use it. */
async function planEdit(args: EditArgs, ctx: Pick<ToolContext, 'root' | 'files'>): Promise<EditPlan> {
  const fail = (error: string): EditPlan => ({ ok: false, error });
  const r = resolveInWorkspace(ctx.root, args.path);
  if (!r.ok) return fail(r.error);
  // A FIFO or a device is refused before it is opened (a missing file is reported by the read below).
  const refusal = await ctx.files.stat(r.abs).then(
    (st) => refuseSpecial(st, 'edit', r.rel) ?? refuseTooLarge(st, 'edit', r.rel),
    () => undefined,
  );
  if (refusal) return fail(refusal);
  let buf: Buffer | undefined;
  try {
    buf = await ctx.files.readBytes(r.abs);
  } catch (e) {
    if (errCode(e) !== 'ENOENT') return fail(fsErrorMessage(e, 'edit', r.rel));
    // A missing file is one an empty old_text may create (applyEdits refuses anything else on it).
    if (args.edits[0]!.old_text !== '') {
      return fail(`"${r.rel}" does not exist. Use write to create a new file (or edit with an empty old_text).`);
    }
  }
  let raw = '';
  if (buf) {
    if (looksBinary(buf)) return fail(`"${r.rel}" looks like a binary file; edit only changes text files.`);
    try {
      // ignoreBOM keeps a BOM in the string (instead of silently eating it) so it can be written back.
      raw = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
    } catch {
      // Decoding leniently and writing back would silently mangle every non-UTF-8 byte.
      return fail(`"${r.rel}" is not valid UTF-8; edit refuses to rewrite it. Use bash for this file.`);
    }
  }
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  if (bom) raw = raw.slice(1);
  // The file's own text, CRLF and all: edit-match reads CRLF as LF to match, and writes the file's endings.
  const edited = applyEdits(raw, args.edits);
  if (!edited.ok) {
    const unchanged = buf ? `${r.rel} is unchanged` : `${r.rel} was not created`;
    return fail(`${edited.error}${edited.error.includes('\n') ? '\n' : ' '}No edits were applied; ${unchanged}.`);
  }
  return { ok: true, change: { abs: r.abs, rel: r.rel, before: buf, after: bom + edited.text }, edited };
}

export const editTool: Tool<typeof editSchema> = {
  name: 'edit',
  description:
    "Replace text in a file. Each edit's old_text must match exactly once (or set replace_all). When there is " +
    'no exact match, a unique match is used that ignores whitespace differences (new_text is then re-indented ' +
    'to the depth of the matched lines), whitespace at the ends of a one-line old_text, or typographic ' +
    'look-alikes (curly quotes, Unicode dashes and spaces); never a merely similar text: then the error shows ' +
    "the closest lines. new_text gets the file's line endings. An empty old_text creates a missing or empty file. " +
    'All edits apply together or not at all. Returns the number of replacements and the changed lines with context.',
  tier: 'write',
  schema: editSchema,
  summarize: (a) => `${a.path} (${a.edits.length} edit${a.edits.length === 1 ? '' : 's'})`,
  async propose(args, ctx) {
    const p = await planEdit(args, ctx);
    return p.ok ? { ok: true, change: p.change } : p;
  },
  async execute(args, ctx) {
    const p = await planEdit(args, ctx);
    if (!p.ok) return toolError(p.error);
    const {
      change: { abs, rel, before, after },
      edited,
    } = p;
    if (ctx.signal.aborted) return toolError(stoppedBeforeWriting('edit', rel));
    try {
      await ctx.files.writeText(abs, after);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'write', rel));
    }
    const n = edited.replacements;
    const done = before === undefined ? `Created ${rel}` : `Edited ${rel}: ${n} replacement${n === 1 ? '' : 's'}`;
    const lines = [`${done}.`, ...edited.notes];
    lines.push('', ...snippet(edited.text, edited.changes));
    return { ok: true, output: lines.join('\n') };
  },
};

/** The changed regions with a little context, numbered like read (no `\r`), windows merged when they touch. */
function snippet(text: string, changes: Change[]): string[] {
  const all = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const lineAt = (off: number): number => text.slice(0, off).split('\n').length;
  const windows: [number, number][] = [];
  for (const c of changes) {
    const from = Math.max(1, lineAt(c.start) - CONTEXT_LINES);
    const to = Math.min(all.length, lineAt(Math.max(c.start, c.end - 1)) + CONTEXT_LINES);
    const prev = windows.at(-1);
    if (prev && from <= prev[1] + 1) prev[1] = Math.max(prev[1], to);
    else windows.push([from, to]);
  }
  const width = String(windows.at(-1)?.[1] ?? 1).length;
  const out: string[] = [];
  for (const [from, to] of windows) {
    if (out.length > 0) out.push('…');
    for (let i = from; i <= to; i++) {
      if (out.length >= MAX_SNIPPET_LINES) return [...out, '… (more changes not shown; read the file to see them)'];
      out.push(numbered(i, width, cutLine(all[i - 1]!, 200)));
    }
  }
  return out;
}
