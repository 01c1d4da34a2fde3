// The file seam every layer above reads, writes, lists and searches workspace files through. It lives
// here, below the tools that use it, because its two implementations (disk-files.ts, editor-files.ts)
// are here.

export type FileKind = 'file' | 'directory' | 'symlink' | 'other';

/** What a file that is neither a regular file, a folder nor a symlink is: opening one can block
 * forever (a FIFO with no writer) or never end (a device), so the file tools refuse them by name. */
export type SpecialKind = 'FIFO (named pipe)' | 'socket' | 'character device' | 'block device' | 'special file';

export interface FileFacts {
  kind: FileKind;
  size: number;
  /** Set when `kind` is `other`. */
  special?: SpecialKind;
}

/** The `code` of the error a read throws for a path that is not a regular file (a FIFO, a device),
 * instead of opening it and blocking. */
export const NOT_REGULAR = 'E_AGIO_NOT_REGULAR';

export interface DirEntry {
  name: string;
  kind: FileKind;
}

/** One ripgrep run over workspace files, as find and grep need it. The flags are split by what they
 * choose, so an implementation that searches some files elsewhere (an editor's unsaved buffers) knows
 * which flags decide whether a file is searched and which decide what matches. */
export interface SearchQuery {
  /** The workspace root: rg runs there and prints paths relative to it. */
  cwd: string;
  /** What to search, relative to `cwd` (`.` for everything). */
  paths: string[];
  /** Flags choosing files: ignore rules, hidden files, globs, sort order. */
  fileFlags: string[];
  /** Flags for matching lines (`--json`, `--regexp`, `--context`, …). Absent: list the files (`--files`). */
  matchFlags?: string[];
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Each stdout line, in rg's order; return true to stop the search. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a listener that returns nothing means "go on"
  onLine: (line: string) => boolean | void;
}

export interface SearchResult {
  /** rg's exit code: 0 found, 1 nothing found, 2 error. null when it was stopped or failed to start. */
  code: number | null;
  stderr: string;
  aborted: boolean;
  /** Set when rg could not be started at all. */
  spawnError?: string;
}

/** File access for tools. Headless: the disk. In VS Code: open buffers and `workspace/applyEdit`, so
 * agent edits land in the editor's undo stack and reads and searches see unsaved changes. */
export interface WorkspaceFiles {
  /** Raw bytes of a file (an open editor buffer wins over the disk). Throws ENOENT like fs. */
  readBytes(absPath: string): Promise<Buffer>;
  /** The same bytes from the start, a chunk at a time, so a reader that needs only the first lines
   * stops early (leaving the loop closes the file) and never holds the whole file. Both this and
   * readBytes refuse a path that is not a regular file with error code NOT_REGULAR, without blocking
   * on it. */
  readChunks(absPath: string): AsyncIterable<Buffer>;
  /** Replace a file's whole content atomically (temp file + rename on disk). Creates parent folders. */
  writeText(absPath: string, content: string): Promise<void>;
  /** Like fs.stat (follows symlinks). Throws like fs. */
  stat(absPath: string): Promise<FileFacts>;
  /** Like fs.lstat (a symlink is reported as one). Throws like fs. */
  lstat(absPath: string): Promise<FileFacts>;
  /** A directory's entries, unsorted; a symlink's kind is `symlink`. Throws like fs. */
  readDir(absPath: string): Promise<DirEntry[]>;
  readLink(absPath: string): Promise<string>;
  /** Runs the bundled ripgrep (find lists, grep searches). */
  search(query: SearchQuery): Promise<SearchResult>;
}
