// Ranks workspace paths for the panel's @file picker. Pure (no `vscode`), so it is unit-tested.
// Order: basename starts with the query, then basename contains it, then the path does; within a
// tier files before folders (a mention is mostly of a file), shorter paths first (the one a person
// means is usually the less nested), then by name.
// Folders come from the files' own paths, so the search needs no second listing.

export interface RankedPath {
  readonly path: string;
  readonly kind: 'file' | 'folder';
}

function tier(path: string, q: string): number {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (base.startsWith(q)) return 0;
  if (base.includes(q)) return 1;
  if (lower.includes(q)) return 2;
  return -1;
}

/** `files`: workspace-relative paths with '/' separators. Returns at most `limit` entries, best first. */
export function rankPaths(files: readonly string[], query: string, limit = 50): RankedPath[] {
  const q = query.trim().toLowerCase().replace(/\\/g, '/').replace(/\/$/, '');
  const folders = new Set<string>();
  for (const f of files) {
    for (let i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) folders.add(f.slice(0, i));
  }
  const scored: Array<{ path: string; kind: 'file' | 'folder'; tier: number }> = [];
  const consider = (path: string, kind: 'file' | 'folder') => {
    const t = q === '' ? 2 : tier(path, q);
    if (t >= 0) scored.push({ path, kind, tier: t });
  };
  for (const f of files) consider(f, 'file');
  for (const d of folders) consider(d, 'folder');
  scored.sort(
    (a, b) =>
      a.tier - b.tier ||
      (a.kind === b.kind ? 0 : a.kind === 'file' ? -1 : 1) ||
      a.path.length - b.path.length ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  return scored.slice(0, limit).map(({ path, kind }) => ({ path, kind }));
}
