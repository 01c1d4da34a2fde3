// bash: run a shell command in the workspace. The command leads its own process group so a timeout
// or a cancel can kill everything it started (pipelines, background jobs, test runners' workers),
// not just the bash process. The process is started and signalled through ctx.processes.
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { toolError, type Tool, type ToolOutcome } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_TIMEOUT_MS = 600_000;
/** Characters kept per stream: the head and the tail, which is where errors and summaries are. */
export const KEEP_CHARS = 50_000;
/** After SIGTERM, how long the group gets before SIGKILL: a timeout leaves time to clean up; a
 * user's Stop must have everything gone within a second. */
const KILL_GRACE_MS: Record<'timeout' | 'cancel', number> = { timeout: 1000, cancel: 400 };
/** After bash exits, how long to wait for background jobs still holding stdout/stderr open. */
const DRAIN_MS = 250;

export const bashSchema = z.object({
  command: z.string().min(1).describe('Shell command, run with `bash -c` in the workspace root. Stdin is empty.'),
  timeout_ms: z
    .number()
    .int()
    .min(1)
    .max(MAX_TIMEOUT_MS)
    .optional()
    .describe(`Kill the command after this many milliseconds. Default ${DEFAULT_TIMEOUT_MS}, max ${MAX_TIMEOUT_MS}.`),
});

/** Keeps the first and the last KEEP_CHARS/2 characters of a stream and counts what it dropped. */
class HeadTail {
  private readonly half = KEEP_CHARS / 2;
  private head = '';
  private tail = '';
  private dropped = 0;
  add(s: string): void {
    if (this.head.length < this.half) {
      const take = s.slice(0, this.half - this.head.length);
      this.head += take;
      s = s.slice(take.length);
    }
    if (s === '') return;
    const joined = this.tail + s;
    this.dropped += Math.max(0, joined.length - this.half);
    this.tail = joined.slice(-this.half);
  }
  get truncated(): boolean {
    return this.dropped > 0;
  }
  text(): string {
    return this.dropped > 0
      ? `${this.head}\n… [${this.dropped} characters omitted, not kept: redirect the output to a file to see all of it] …\n${this.tail}`
      : this.head + this.tail;
  }
}

export const bashTool: Tool<typeof bashSchema> = {
  name: 'bash',
  description:
    'Run a shell command with bash in the workspace root and return its exit code, stdout and stderr ' +
    `(each cut to its first and last ${KEEP_CHARS / 2} characters when longer). Times out after timeout_ms ` +
    `(default ${DEFAULT_TIMEOUT_MS}); on timeout everything the command started is killed. Not interactive.`,
  tier: 'exec',
  schema: bashSchema,
  summarize: (a) => a.command,
  execute(args, ctx) {
    if (ctx.signal.aborted) return Promise.resolve(toolError('cancelled before the command started.'));
    return run(args.command, args.timeout_ms ?? DEFAULT_TIMEOUT_MS, ctx);
  },
};

type Ending = 'timeout' | 'cancel';

function run(command: string, timeoutMs: number, ctx: Parameters<Tool['execute']>[1]): Promise<ToolOutcome> {
  return new Promise((resolve) => {
    // The policy layer decides how a line runs (plain bash, or inside the sandbox).
    const { file, args } = ctx.launch?.(command) ?? { file: 'bash', args: ['-c', command] };
    const child = ctx.processes.spawn(file, args, { cwd: ctx.root, env: ctx.env, detached: true });
    const streams = { stdout: new HeadTail(), stderr: new HeadTail() };
    for (const name of ['stdout', 'stderr'] as const) {
      const dec = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
      child[name].on('data', (b: Buffer) => {
        const s = dec.write(b);
        if (s === '') return;
        streams[name].add(s);
        ctx.onOutput?.(name, s);
      });
    }
    let ending: Ending | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let done = false;

    const signalGroup = (sig: NodeJS.Signals): void => {
      ctx.processes.signalGroup(child.pid!, sig);
    };
    const groupExists = (): boolean => ctx.processes.signalGroup(child.pid!, 0);
    const killGroup = (why: Ending): void => {
      if (ending || done || child.pid === undefined) return;
      ending = why;
      signalGroup('SIGTERM');
      // Whatever ignores SIGTERM, or is slow to die, gets SIGKILL. This timer outlives finish():
      // the result may already be reported (pipes closed) while a straggler still runs.
      killTimer = setTimeout(() => {
        signalGroup('SIGKILL');
        // Pipes still open now are held by something that left the group (setsid); stop waiting.
        setTimeout(() => finish(false), 100);
      }, KILL_GRACE_MS[why]);
    };
    const timer = setTimeout(() => killGroup('timeout'), timeoutMs);
    const onAbort = (): void => killGroup('cancel');
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    const finish = (pipesClosed: boolean, spawnError?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      ctx.signal.removeEventListener('abort', onAbort);
      child.stdout.destroy();
      child.stderr.destroy();
      // Nothing left to SIGKILL: do not keep the event loop busy for the grace period.
      if (killTimer && !groupExists()) clearTimeout(killTimer);
      if (spawnError) return resolve(toolError(`Could not run bash: ${spawnError}`));
      const lingering = !pipesClosed && !ending;
      resolve(
        format(ending ? null : (exit?.code ?? null), exit?.signal ?? null, ending, timeoutMs, streams, lingering),
      );
    };
    child.on('error', (e) => finish(false, e.message));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A background job (`server &`) can hold the pipes open long after bash exits; give its
      // output a moment, then stop listening rather than hang until it ends.
      if (!ending) drainTimer = setTimeout(() => finish(false), DRAIN_MS);
    });
    child.on('close', () => finish(true));
  });
}

function format(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  ending: Ending | undefined,
  timeoutMs: number,
  streams: { stdout: HeadTail; stderr: HeadTail },
  lingering: boolean,
): ToolOutcome {
  const stdout = streams.stdout.text();
  const stderr = streams.stderr.text();
  const truncated = streams.stdout.truncated || streams.stderr.truncated;
  let status: string;
  if (ending === 'timeout')
    status = `timed out after ${timeoutMs} ms; the command and everything it started were killed`;
  else if (ending === 'cancel') status = 'cancelled; the command and everything it started were killed';
  else if (exitCode === null) status = `killed by signal ${signal ?? 'unknown'}`;
  else status = `exit code: ${exitCode}`;
  const parts = [status];
  if (stdout !== '') parts.push(`stdout:\n${stdout.replace(/\n$/, '')}`);
  if (stderr !== '') parts.push(`stderr:\n${stderr.replace(/\n$/, '')}`);
  if (stdout === '' && stderr === '') parts.push('(no output)');
  if (lingering)
    parts.push(
      '(a background process started by the command still holds its output open; its later output is not captured)',
    );
  return {
    ok: exitCode === 0,
    output: parts.join('\n'),
    stdout,
    stderr,
    exitCode,
    ...(truncated ? { truncated: true } : {}),
  };
}
