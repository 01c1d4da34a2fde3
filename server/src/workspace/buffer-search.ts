// grep over the workspace where some files have unsaved changes in the editor: those files are
// searched as their buffers, the rest on disk, in the order rg itself gives (so grep's pages and
// cursors stay stable). Which files a search covers is still rg's to say (ignore rules, globs,
// hidden files): a buffer is searched only when rg would search its file on disk.
import type { SearchQuery, SearchResult } from './files.ts';
import { runRg } from './ripgrep.ts';

/** An open document whose text differs from the disk; `rel` is relative to the search's cwd. */
export interface UnsavedBuffer {
  rel: string;
  text: string;
}

type Search = (q: SearchQuery) => Promise<SearchResult>;

const bare = (p: string): string => (p.startsWith('./') ? p.slice(2) : p);

/** Runs `q` (a grep: it has matchFlags) through `disk`, with `buffers` searched in place of their files. */
export async function searchWithBuffers(
  disk: Search,
  q: SearchQuery,
  buffers: readonly UnsavedBuffer[],
): Promise<SearchResult> {
  if (!q.matchFlags || buffers.length === 0) return disk(q);
  const byRel = new Map(buffers.map((b) => [b.rel, b.text]));
  // The files the search covers, in rg's order, named as rg names them in its results.
  const order = new Map<string, number>();
  const listed = await disk({ ...q, matchFlags: undefined, onLine: (line) => void order.set(bare(line), order.size) });
  if (listed.aborted || listed.spawnError !== undefined) return listed;
  const names = new Map<string, string>(); // bare path → the name rg prints
  const pending: { index: number; lines: string[] }[] = [];
  for (const rel of byRel.keys()) {
    const index = order.get(rel);
    if (index === undefined) continue;
    const res = await searchText(q, byRel.get(rel)!, rel);
    if (res.aborted) return { code: null, stderr: '', aborted: true };
    if (res.lines.length > 0) pending.push({ index, lines: res.lines });
    names.set(rel, rel);
  }
  if (names.size === 0) return disk(q);
  pending.sort((a, b) => a.index - b.index);
  let stopped = false;
  let matched = pending.length > 0;
  /** Hands the buffers' results that come before file `index` (all of them: Infinity) to the caller. */
  const release = (index: number): boolean => {
    while (!stopped && pending.length > 0 && pending[0]!.index < index) {
      for (const line of pending.shift()!.lines) {
        if (q.onLine(line) === true) {
          stopped = true;
          break;
        }
      }
    }
    return stopped;
  };
  let skipping = false; // inside a file that has a buffer: its disk results are not what the user sees
  const res = await disk({
    ...q,
    onLine: (line) => {
      if (stopped) return true;
      const m = message(line);
      if (m?.type === 'begin') {
        const rel = bare(m.path);
        skipping = names.has(rel);
        if (release(order.get(rel) ?? Infinity)) return true;
      }
      if (skipping) {
        if (m?.type === 'end') skipping = false;
        return;
      }
      if (m?.type === 'match') matched = true;
      return q.onLine(line);
    },
  });
  if (!res.aborted) release(Infinity);
  return { ...res, code: res.code === 1 && matched ? 0 : res.code };
}

function message(line: string): { type: string; path: string } | undefined {
  try {
    const m = JSON.parse(line) as { type?: unknown; data?: { path?: { text?: unknown } } };
    return typeof m.type === 'string'
      ? { type: m.type, path: typeof m.data?.path?.text === 'string' ? m.data.path.text : '' }
      : undefined;
  } catch {
    return undefined;
  }
}

/** rg's JSON messages for `text` as if it were file `name`: the same matcher flags, over stdin. */
async function searchText(q: SearchQuery, text: string, name: string): Promise<{ lines: string[]; aborted: boolean }> {
  const lines: string[] = [];
  const res = await runRg([...q.matchFlags!, '--', '-'], {
    cwd: q.cwd,
    input: text,
    ...(q.signal ? { signal: q.signal } : {}),
    ...(q.env ? { env: q.env } : {}),
    onLine: (line) => {
      const m = JSON.parse(line) as { type: string; data?: { path?: unknown } };
      if (m.type === 'summary') return; // one per rg run; the disk search has its own
      if (m.data && 'path' in m.data) m.data.path = { text: name };
      lines.push(JSON.stringify(m));
    },
  });
  return { lines, aborted: res.aborted };
}
