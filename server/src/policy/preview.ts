// The diff a write tool would make, shown before anything touches disk. The tool computes the new
// content itself (Tool.propose, the same code its execute writes with), so the diff a user approves
// is the bytes that land: a CRLF file, a BOM, a missing final newline included.
import { createTwoFilesPatch } from 'diff';
import type { Tool, ToolContext } from '../tools/types.ts';

const MAX_DIFF_CHARS = 200_000;

export interface WritePreview {
  /** Unified diff of the change, or a note on why the call would fail. */
  diff: string;
  /** The file's absolute path and its whole content after the change (for an editor's diff view);
   * absent when the call would fail. */
  proposed?: { path: string; content: string };
}

export async function previewWrite(
  tool: Tool,
  args: unknown,
  ctx: Pick<ToolContext, 'root' | 'files'>,
): Promise<WritePreview | undefined> {
  if (!tool.propose) return undefined;
  const p = await tool.propose(args, ctx);
  if (!p.ok) return { diff: `(the ${tool.name} would fail: ${p.error})` };
  const { rel, abs, before, after } = p.change;
  // Buffer#toString keeps a BOM as U+FEFF, so the diff's old side is the file's own bytes.
  const patch = createTwoFilesPatch(
    `a/${rel}`,
    `b/${rel}`,
    before?.toString('utf8') ?? '',
    after,
    undefined,
    undefined,
    { context: 3 },
  );
  const diff = patch.length > MAX_DIFF_CHARS ? `${patch.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated)\n` : patch;
  return { diff, proposed: { path: abs, content: after } };
}
