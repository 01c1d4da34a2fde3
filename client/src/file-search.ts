// Answers the panel's @file picker from the workspace's files. The listing is taken once with
// findFiles (files.exclude applies to it; node_modules and .git are left out; search.exclude is
// applied here, since findFiles ignores it) and reused while the user types, until files are
// created, deleted or renamed; each query is then only a rank over the cached paths.
import picomatch from 'picomatch';
import * as vscode from 'vscode';
import { rankPaths, type RankedPath } from './file-rank.ts';

/** Enough for large repositories; beyond it the picker still finds what the listing holds. */
const MAX_LISTED = 20_000;
const RESULTS = 50;
const ALWAYS_EXCLUDED = '{**/node_modules/**,**/.git/**}';

export class FileSearch implements vscode.Disposable {
  private listing: Promise<string[]> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;

  async search(query: string): Promise<RankedPath[]> {
    return rankPaths(await this.files(), query, RESULTS);
  }

  private files(): Promise<string[]> {
    if (!this.watcher) {
      // Only creations and deletions change the listing; edits do not.
      this.watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
      this.watcher.onDidCreate(() => (this.listing = undefined));
      this.watcher.onDidDelete(() => (this.listing = undefined));
    }
    this.listing ??= this.list().catch((err: unknown) => {
      this.listing = undefined;
      throw err;
    });
    return this.listing;
  }

  private async list(): Promise<string[]> {
    const uris = await vscode.workspace.findFiles('**/*', ALWAYS_EXCLUDED, MAX_LISTED);
    const excluded = searchExcluded();
    const out: string[] = [];
    for (const uri of uris) {
      const rel = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
      if (!excluded(rel)) out.push(rel);
    }
    return out;
  }

  dispose(): void {
    this.watcher?.dispose();
  }
}

/** search.exclude as a predicate: a pattern excludes a path when it matches the path or a folder above it. */
function searchExcluded(): (path: string) => boolean {
  const patterns = Object.entries(
    vscode.workspace.getConfiguration('search').get<Record<string, unknown>>('exclude', {}),
  )
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
  if (patterns.length === 0) return () => false;
  const match = picomatch(patterns, { dot: true });
  return (path) => {
    if (match(path)) return true;
    for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) if (match(path.slice(0, i))) return true;
    return false;
  };
}
