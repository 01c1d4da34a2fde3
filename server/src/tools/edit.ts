// edit: targeted replacements in an existing file. The matching rules live in edit-match.ts; this
// file handles the bytes around them (encoding, BOM, CRLF) and shows the model what changed.
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { applyEdits, type ApplyResult, type Change } from './edit-match.ts';
import { cutLine, errCode, fsErrorMessage, looksBinary, numbered, refuseSpecial } from './tool-util.ts';
import { toolError, type FileChange, type Tool, type ToolContext } from './types.ts';

export const editSchema = z.object({
  path: z.string().describe('File to edit, relative to the workspace root. It must exist (use write to create files).'),
  edits: z
    .array(
      z.object({
        old_text: z
          .string()
          .describe(
            "Exact text to replace, copied from the file (without read's line numbers). Must occur exactly once unless replace_all is set.",
          ),
        new_text: z.string().describe('Text to put in its place.'),
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

/** What an edit makes of a file: the bytes to write and, for the model, what changed in the LF text. */
type EditPlan =
  | { ok: true; change: FileChange; edited: Extract<ApplyResult, { ok: true }> }
  | { ok: false; error: string };

/** The whole edit without writing: both the approval's diff (propose) and execute use it. */
async function planEdit(args: EditArgs, ctx: Pick<ToolContext, 'root' | 'files'>): Promise<EditPlan> {
  const fail = (error: string): EditPlan => ({ ok: false, error });
  const r = resolveInWorkspace(ctx.root, args.path);
  if (!r.ok) return fail(r.error);
  // A FIFO or a device is refused before it is opened (a missing file is reported by the read below).
  const special = await ctx.files.stat(r.abs).then(
    (st) => refuseSpecial(st, 'edit', r.rel),
    () => undefined,
  );
  if (special) return fail(special);
  let buf: Buffer;
  try {
    buf = await ctx.files.readBytes(r.abs);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return fail(`"${r.rel}" does not exist. Use write to create a new file.`);
    return fail(fsErrorMessage(e, 'edit', r.rel));
  }
  if (looksBinary(buf)) return fail(`"${r.rel}" looks like a binary file; edit only changes text files.`);
  let raw: string;
  try {
    // ignoreBOM keeps a BOM in the string (instead of silently eating it) so it can be written back.
    raw = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    // Decoding leniently and writing back would silently mangle every non-UTF-8 byte.
    return fail(`"${r.rel}" is not valid UTF-8; edit refuses to rewrite it. Use bash for this file.`);
  }
  const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
  if (bom) raw = raw.slice(1);
  // Match on LF text and write CRLF back, so a model's LF old_text still finds lines of a CRLF file.
  // A file mixing both is edited as it is.
  const crlf = raw.includes('\r\n') && !/(^|[^\r])\n/.test(raw);
  const lf = (s: string): string => (crlf ? s.replaceAll('\r\n', '\n') : s);
  const edited = applyEdits(
    lf(raw),
    args.edits.map((e) => ({ ...e, old_text: lf(e.old_text), new_text: lf(e.new_text) })),
  );
  if (!edited.ok) return fail(`${edited.error} No edits were applied; ${r.rel} is unchanged.`);
  const after = bom + (crlf ? edited.text.replaceAll('\n', '\r\n') : edited.text);
  return { ok: true, change: { abs: r.abs, rel: r.rel, before: buf, after }, edited };
}

export const editTool: Tool<typeof editSchema> = {
  name: 'edit',
  description:
    "Replace text in an existing file. Each edit's old_text must match exactly once (or set replace_all); " +
    'if no exact match exists a match ignoring whitespace differences is used when it is unique. All edits ' +
    'apply together or not at all. Returns the number of replacements and the changed lines with context.',
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
      change: { abs, rel, after },
      edited,
    } = p;
    try {
      await ctx.files.writeText(abs, after);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'write', rel));
    }
    const n = edited.replacements;
    const lines = [`Edited ${rel}: ${n} replacement${n === 1 ? '' : 's'}.`, ...edited.notes];
    lines.push('', ...snippet(edited.text, edited.changes));
    return { ok: true, output: lines.join('\n') };
  },
};

/** The changed regions with a little context, numbered like read, windows merged when they touch. */
function snippet(text: string, changes: Change[]): string[] {
  const all = text.split('\n');
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
