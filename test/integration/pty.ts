// Runs a command on a real pseudo-terminal, for what only a terminal does: the approval prompt (stdin
// a TTY, readline in raw mode) and Ctrl-C. util-linux `script` makes the pty and is the session leader;
// we write keystrokes to its stdin, which it forwards to the pty, and read the screen from its stdout.
import { spawn, spawnSync } from 'node:child_process';

export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface PtyProcess {
  /** Everything the terminal showed so far (stdout and stderr of the command, echoed keystrokes). */
  screen(): string;
  /** Resolves once the screen matches, or rejects after `timeoutMs` showing what it did show. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  type(keys: string): void;
  /** The command's exit status (script -e passes it on). */
  exited: Promise<number | null>;
}

export function onPty(argv: string[], env: Record<string, string>, killAfterMs = 30_000): PtyProcess {
  const cmd = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // -q no banner, -f flush at once, -e return the child's status, -c the command; no typescript file.
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
    env: { TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  const waiters: (() => void)[] = [];
  const onData = (c: string) => {
    screen += c;
    for (const w of [...waiters]) w();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return {
    screen: () => screen,
    type: (keys) => child.stdin.write(keys),
    exited,
    waitFor: (pattern, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(screen)) return;
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`the terminal never showed ${pattern}; it showed:\n${screen}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      }),
  };
}
