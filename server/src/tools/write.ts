// write: create a file or replace its whole content. Goes through ctx.files so that in the editor the
// change lands in the buffer and its undo stack.
import { z } from 'zod';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { errCode, fsErrorMessage } from './tool-util.ts';
import { toolError, type Tool } from './types.ts';

export const writeSchema = z.object({
  path: z.string().describe('File to create or overwrite, relative to the workspace root. Missing parent folders are created.'),
  content: z.string().describe('The complete new content of the file.'),
});

/** Lines as an editor counts them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

export const writeTool: Tool<typeof writeSchema> = {
  name: 'write',
  description:
    'Create a file, or replace the whole content of an existing one, with `content`. Parent folders are created. ' +
    'To change part of an existing file prefer edit.',
  tier: 'write',
  schema: writeSchema,
  summarize: (a) => `write ${a.path} (${countLines(a.content)} lines)`,
  async execute(args, ctx) {
    const r = resolveInWorkspace(ctx.root, args.path);
    if (!r.ok) return toolError(r.error);
    if (r.rel === '.') return toolError('write needs a file path, not the workspace root.');
    let before: number | undefined;
    try {
      before = countLines((await ctx.files.readBytes(r.abs)).toString('utf8'));
    } catch (e) {
      if (errCode(e) !== 'ENOENT') return toolError(fsErrorMessage(e, 'write', r.rel));
    }
    try {
      await ctx.files.writeText(r.abs, args.content);
    } catch (e) {
      return toolError(fsErrorMessage(e, 'write', r.rel));
    }
    const lines = countLines(args.content);
    const output = before === undefined
      ? `Created ${r.rel} (${lines} line${lines === 1 ? '' : 's'}).`
      : `Overwrote ${r.rel} (${lines} line${lines === 1 ? '' : 's'}; it had ${before}).`;
    return { ok: true, output };
  },
};
