// The diff a write or edit would make, computed without touching disk, so the user sees exactly
// what changes before approving it.
import { createTwoFilesPatch } from 'diff';
import { applyEdits } from '../tools/edit-match.ts';
import type { WorkspaceFiles } from '../tools/types.ts';
import { resolveInWorkspace } from '../workspace/paths.ts';

const MAX_DIFF_CHARS = 200_000;

export interface WritePreview {
  /** Unified diff of the change. */
  diff: string;
  /** The file's absolute path and its whole content after the change (for an editor's diff view). */
  path: string;
  after: string;
}

export async function previewWrite(tool: string, args: Record<string, unknown>, root: string, files: WorkspaceFiles): Promise<WritePreview | undefined> {
  if (tool !== 'write' && tool !== 'edit') return undefined;
  const r = resolveInWorkspace(root, String(args.path ?? ''));
  if (!r.ok) return undefined;
  let before = '';
  try {
    before = (await files.readBytes(r.abs)).toString('utf8');
  } catch {
    // a new file: the diff is all additions
  }
  let after: string;
  if (tool === 'write') after = String(args.content ?? '');
  else {
    const res = applyEdits(before, (args.edits ?? []) as Parameters<typeof applyEdits>[1]);
    if (!res.ok) return { diff: `(the edit would fail: ${res.error})`, path: r.abs, after: before };
    after = res.text;
  }
  const patch = createTwoFilesPatch(`a/${r.rel}`, `b/${r.rel}`, before, after, undefined, undefined, { context: 3 });
  const diff = patch.length > MAX_DIFF_CHARS ? `${patch.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated)\n` : patch;
  return { diff, path: r.abs, after };
}
