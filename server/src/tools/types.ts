// What a tool is. One tool per file, its zod schema beside it; side effects reach a tool only
// through the ToolContext (files, processes, network) so the same tool works headless (disk) and in
// the editor (open buffers, applyEdit), and a test can give it fakes.
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { RiskTier, ToolResultEnvelope } from '../protocol/events.ts';

/** What a tool returns; the runner adds `durationMs`. */
export type ToolOutcome = Omit<ToolResultEnvelope, 'durationMs'>;

export type FileKind = 'file' | 'directory' | 'symlink' | 'other';

export interface FileFacts {
  kind: FileKind;
  size: number;
}

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

/** A spawned command: stdin closed, stdout and stderr piped. */
export type SpawnedProcess = ChildProcessByStdio<null, Readable, Readable>;

/** Starting and signalling processes (bash). */
export interface Processes {
  /** Starts `file` with `args`; `detached` makes it lead its own process group. */
  spawn(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; detached: boolean }): SpawnedProcess;
  /** Sends `signal` to the whole process group led by `pid` (0 only checks it exists). False when the
   * group is gone. */
  signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean;
}

/** HTTP for the fetch tool (redirects are handled by the tool, so each hop is checked). */
export interface Network {
  fetch(url: URL, init: RequestInit): Promise<Response>;
}

export interface ToolContext {
  /** The workspace root, already realpath-resolved. Every path a tool touches must stay inside it. */
  readonly root: string;
  readonly files: WorkspaceFiles;
  readonly processes: Processes;
  readonly network: Network;
  /** Aborted on cancel: a tool stops promptly and kills whatever it started. */
  readonly signal: AbortSignal;
  /** Live output of a running tool (bash), streamed as `tool_output` events. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Environment for child processes (already filtered by the policy layer). */
  readonly env: NodeJS.ProcessEnv;
  /** Turns a command line into the process to spawn: `bash -c` by default, or inside the sandbox. */
  readonly launch?: (command: string) => { file: string; args: string[] };
}

/** A write tool's whole effect on one file, computed without side effects. */
export interface FileChange {
  abs: string;
  rel: string;
  /** The file's bytes now; undefined for a new file. */
  before: Buffer | undefined;
  /** Its whole content afterwards: exactly what the tool writes. */
  after: string;
}

export type Proposal = { ok: true; change: FileChange } | { ok: false; error: string };

export interface Tool<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** Shown to the model; say what it does and what it returns. */
  readonly description: string;
  readonly tier: RiskTier;
  readonly schema: S;
  /** The one-line answer to "what does this call do?" (the path and range, the command, the
   * pattern), without the tool's name, which every surface shows beside it. The `tool_call` event,
   * the approval request, the CLI and the panel all show this. */
  summarize(args: z.infer<S>): string;
  /** Write tools: the change `execute` would make now, from the same code `execute` writes with, so
   * the diff a user approves is by construction what lands. */
  propose?(args: z.infer<S>, ctx: Pick<ToolContext, 'root' | 'files'>): Promise<Proposal>;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutcome>;
}

/** A failed outcome with a message the model can act on. */
export function toolError(message: string): ToolOutcome {
  return { ok: false, output: message };
}
