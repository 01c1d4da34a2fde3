// The bundled ripgrep and a small runner for it. find and grep stream rg's stdout line by line so
// they can stop it as soon as they have a page's worth, instead of buffering a whole repository.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

let cached: string | undefined;

/** Absolute path of the `rg` shipped in @vscode/ripgrep-universal for this platform/arch, or plain
 * `rg` (looked up on PATH) when the package or the binary for this platform is missing. */
export function rgPath(): string {
  if (cached !== undefined) return cached;
  cached = 'rg';
  try {
    // The package's `exports` does not expose package.json, so resolve its entry point
    // (lib/index.js) and go up to the package folder.
    const entry = createRequire(import.meta.url).resolve('@vscode/ripgrep-universal');
    const pkgDir = path.dirname(path.dirname(entry));
    const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
    const candidate = path.join(pkgDir, 'bin', `${process.platform}-${process.arch}`, exe);
    if (fs.existsSync(candidate)) cached = candidate;
  } catch {
    // Not installed: fall back to PATH.
  }
  return cached;
}

export interface RgOptions {
  cwd: string;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Stop rg and report `truncated` once this many stdout bytes were kept (default 10 MB). */
  maxBytes?: number;
  /** Receives each stdout line (without newline) instead of collecting it; return true to stop rg. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing lets rg go on.
  onLine?: (line: string) => boolean | void;
  /** Text for rg's stdin (searched when the paths are `-`); without it stdin is closed. */
  input?: string;
}

export interface RgResult {
  /** rg's exit code: 0 found, 1 nothing found, 2 error. null when it was stopped or failed to start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** We stopped rg early: the output cap, onLine asking to stop, or the signal. */
  stopped: boolean;
  truncated: boolean;
  aborted: boolean;
  /** Set when rg could not be started at all. */
  spawnError?: string;
}

export function runRg(args: string[], opts: RgOptions): Promise<RgResult> {
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  return new Promise((resolve) => {
    const res: RgResult = { code: null, stdout: '', stderr: '', stopped: false, truncated: false, aborted: false };
    if (opts.signal?.aborted) {
      resolve({ ...res, aborted: true, stopped: true });
      return;
    }
    // --no-config: a user's RIPGREP_CONFIG_PATH must not change the output we parse.
    const child = spawn(rgPath(), ['--no-config', ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    if (opts.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {}); // rg may exit (stopped, or done) before reading it all
      child.stdin.end(opts.input);
    }
    const stop = (): void => {
      if (res.stopped) return;
      res.stopped = true;
      child.kill('SIGKILL');
    };
    const onAbort = (): void => {
      res.aborted = true;
      stop();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    let pending = '';
    let kept = 0;
    const takeLine = (line: string): void => {
      if (res.stopped) return;
      if (opts.onLine) {
        if (opts.onLine(line) === true) stop();
        return;
      }
      kept += Buffer.byteLength(line) + 1;
      if (kept > maxBytes) {
        res.truncated = true;
        stop();
        return;
      }
      res.stdout += `${line}\n`;
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) takeLine(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (res.stderr.length < 64 * 1024) res.stderr += chunk;
    });
    let settled = false;
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (pending !== '') takeLine(pending);
      res.code = res.stopped || res.spawnError ? null : code;
      res.stderr = res.stderr.trim();
      resolve(res);
    };
    child.on('error', (e) => {
      res.spawnError = `could not run ripgrep (${rgPath()}): ${e.message}`;
      // A failed spawn may never emit 'close'.
      if (child.pid === undefined) finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}
