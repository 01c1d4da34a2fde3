// Small helpers shared by the file tools: turning fs errors into messages a model can act on,
// refusing files that are not regular files, a time limit with Stop, spotting binary files, and
// numbering lines the same way in read and edit.
import { NOT_REGULAR } from '../workspace/files.ts';
import type { FileFacts, ToolContext } from './types.ts';

/** The fs error code of `e`, if it has one. */
export function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** A sentence for an expected fs failure on `rel`; `verb` is what we tried ("read", "write"). */
export function fsErrorMessage(e: unknown, verb: string, rel: string): string {
  switch (errCode(e)) {
    case 'ENOENT':
      return `Cannot ${verb} "${rel}": no such file or directory.`;
    case 'EISDIR':
      return `Cannot ${verb} "${rel}": it is a directory. Use ls to list a directory.`;
    case 'ENOTDIR':
      return `Cannot ${verb} "${rel}": a part of the path is a file, not a directory.`;
    case NOT_REGULAR:
      return notRegularMessage(rel, (e as { special?: string }).special ?? 'special file', verb);
    case 'EACCES':
    case 'EPERM':
      return `Cannot ${verb} "${rel}": permission denied.`;
    default:
      return `Cannot ${verb} "${rel}": ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Why `rel` is refused: a FIFO with no writer blocks whoever opens it, a device never ends. */
function notRegularMessage(rel: string, special: string, verb: string): string {
  return (
    `Cannot ${verb} "${rel}": it is a ${special}, not a regular file or a folder, so it was not opened ` +
    '(reading one can block forever or never end).'
  );
}

/** The refusal for a path that exists but is neither a regular file nor a folder, or undefined. */
export function refuseSpecial(st: FileFacts, verb: string, rel: string): string | undefined {
  return st.kind === 'other' ? notRegularMessage(rel, st.special ?? 'special file', verb) : undefined;
}

/** edit and write hold a file's whole text (and its diff) in memory, so they refuse anything larger:
 * a 1 GB log or dump is not something to rewrite through the model's context anyway. */
export const MAX_REWRITE_BYTES = 16 * 1024 * 1024;

/** The refusal for a file too large for edit or write, or undefined when it fits. */
export function refuseTooLarge(st: FileFacts, tool: 'edit' | 'write', rel: string): string | undefined {
  if (st.kind !== 'file' || st.size <= MAX_REWRITE_BYTES) return undefined;
  const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;
  return (
    `"${rel}" is ${mb(st.size)}; ${tool} rewrites whole files in memory and refuses files over ` +
    `${mb(MAX_REWRITE_BYTES)}, so it was not changed. Use bash (for example sed -i or a script) for a file this large.`
  );
}

/** What edit and write say when Stop came after they planned but before they wrote. */
export const stoppedBeforeWriting = (tool: string, rel: string): string =>
  `${tool} was stopped: the run was cancelled before anything was written; ${rel} is unchanged.`;

/** How long a file tool may run by default before it gives up. */
export const FILE_TOOL_TIME_LIMIT_MS = 60_000;

/** A signal that fires on Stop (ctx.signal) or when the tool's time limit runs out, and the message
 * for whichever it was. Call `done()` when the tool finishes, to clear the timer. */
export class TimeLimit {
  readonly signal: AbortSignal;
  private readonly ms: number;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly stop: AbortSignal;
  private readonly onStop: () => void;
  private expired = false;

  constructor(ctx: Pick<ToolContext, 'signal' | 'timeLimitMs'>) {
    this.ms = ctx.timeLimitMs ?? FILE_TOOL_TIME_LIMIT_MS;
    this.stop = ctx.signal;
    const c = new AbortController();
    this.signal = c.signal;
    this.onStop = () => c.abort();
    if (ctx.signal.aborted) c.abort();
    else ctx.signal.addEventListener('abort', this.onStop, { once: true });
    this.timer = setTimeout(() => {
      this.expired = true;
      c.abort();
    }, this.ms);
    this.timer.unref?.();
  }

  /** What the model is told when the signal fired: `what` was left unfinished, `advice` says what
   * to try instead. */
  message(tool: string, what: string, advice = 'Try again with a narrower path or pattern.'): string {
    if (!this.expired) return `${tool} was stopped: the run was cancelled.`;
    const s = this.ms >= 1000 ? `${Math.round(this.ms / 1000)} s` : `${this.ms} ms`;
    return `${tool} gave up after ${s} (its time limit) before ${what}. ${advice}`;
  }

  done(): void {
    clearTimeout(this.timer);
    this.stop.removeEventListener('abort', this.onStop);
  }
}

/** Same heuristic as git and grep: a NUL byte in the first 8 KB means binary. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

export const MAX_LINE_CHARS = 2000;

/** Cut an over-long line (minified code, data) so one line cannot flood the model's context. */
export function cutLine(line: string, max = MAX_LINE_CHARS): string {
  return line.length <= max ? line : `${line.slice(0, max)} … [line cut: ${line.length - max} more chars]`;
}

/** `  12\ttext`: the number right-aligned to `width`, a tab, then the line as it is. */
export function numbered(n: number, width: number, line: string): string {
  return `${String(n).padStart(width)}\t${line}`;
}
