// The process and network seams tools reach the world through (bash spawns, fetch fetches), below the
// tools, beside their real implementations (node-processes.ts); a test or a sandbox gives others.
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

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
