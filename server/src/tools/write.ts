// write: create a file or replace its whole content. Goes through ctx.files so that in the editor the
// change lands in the buffer and its undo stack.
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { errCode, fsErrorMessage, refuseTooLarge, stoppedBeforeWriting } from './tool-util.ts';
import { toolError, type Proposal, type Tool, type ToolContext } from './types.ts';

export const writeSchema = z.object({
  path: z
    .string()
    .describe('File to create or overwrite, relative to the workspace root. Missing parent folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});
type WriteArgs = z.infer<typeof writeSchema>;

/** Lines as an editor counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

const lines = (n: number): string => `${n} line${n === 1 ? '' : 's'}`;

/** The file as it is and as it will be: the approval's diff and execute both start here. */
async function proposeWrite(args: WriteArgs, ctx: Pick<ToolContext, 'root' | 'files'>): Promise<Proposal> {
  const r = resolveInWorkspace(ctx.root, args.path);
  if (!r.ok) return { ok: false, error: r.error };
  if (r.rel === '.') return { ok: false, error: 'write needs a file path, not the workspace root.' };
  const tooLarge = await ctx.files.stat(r.abs).then(
    (st) => refuseTooLarge(st, 'write', r.rel),
    () => undefined,
  );
  if (tooLarge) return { ok: false, error: tooLarge };
  let before: Buffer | undefined;
  try {
    before = await ctx.files.readBytes(r.abs);
  } catch (e) {
    if (errCode(e) !== 'ENOENT') return { ok: false, error: fsErrorMessage(e, 'write', r.rel) };
  }
  return { ok: true, change: { abs: r.abs, rel: r.rel, before, after: args.content } };
}

export const writeTool: Tool<typeof writeSchema> = {
  name: 'write',
  description:
    'Create a file, or replace the whole content of an existing one, with `content`. Parent folders are created. ' +
    'To change part of an existing file prefer edit.',
  tier: 'write',
  schema: writeSchema,
  summarize: (a) => `${a.path} (${lines(countLines(a.content))})`,
  propose: proposeWrite,
  async execute(args, ctx) {
    const p = await proposeWrite(args, ctx);
    if (!p.ok) return toolError(p.error);
    const { abs, rel, before, after } = p.change;
    if (ctx.signal.aborted) return toolError(stoppedBeforeWriting('write', rel));
    try {
      await ctx.files.writeText(abs, after);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'write', rel));
    }
    const now = lines(countLines(after));
    const output =
      before === undefined
        ? `Created ${rel} (${now}).`
        : `Overwrote ${rel} (${now}; it had ${countLines(before.toString('utf8'))}).`;
    return { ok: true, output };
  },
};
