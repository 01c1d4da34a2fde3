// A running command's output as `tool_output` events: bounded per call, like its result, and redacted
// across chunk boundaries. The first HEAD characters stream live; then one marker says the middle is
// left out; a rolling tail of the last TAIL characters is kept and shown when the command ends,
// before its tool_result. So a command printing 100 MB leaves ~50 KB in the log, and a viewer sees the
// start, the marker, then the end. The middle is not kept anywhere (writing 100 MB beside the log, and
// scrubbing it of secrets, would move the problem rather than solve it); the marker says how to keep
// all of it. Chunks are coalesced: at most one event per stream every FLUSH_MS, so many tiny writes do
// not become as many events.
import type { Redactor } from '../policy/secrets.ts';
import { RedactingStream } from '../policy/redacting-stream.ts';
import { KEEP_CHARS } from '../tools/bash.ts';

export type OutputStream = 'stdout' | 'stderr';

export interface LiveOutputLimits {
  /** Characters shown live from the start of the call's output (both streams together). */
  headChars: number;
  /** Characters of its end kept and shown when the call ends. */
  tailChars: number;
  /** Chunks arriving within this long go out as one event. */
  flushMs: number;
  /** A stream silent this long shows what redaction held back (a prompt waiting for input, a
   * progress line): a credential split by a pause this long can show its first part live. */
  quietMs: number;
}

/** The same head and tail as bash keeps of each stream for the result. */
export const LIVE_OUTPUT_LIMITS: LiveOutputLimits = {
  headChars: KEEP_CHARS / 2,
  tailChars: KEEP_CHARS / 2,
  flushMs: 50,
  quietMs: 100,
};

export function elisionMarker(limits: LiveOutputLimits): string {
  return (
    `\n… [live output stops after ${limits.headChars} characters; the middle is not kept (to keep all of it, ` +
    `redirect the command's output to a file and read that); the last ${limits.tailChars} characters follow ` +
    'when the command ends] …\n'
  );
}

/** A run of one stream's raw characters, [start, end), in arrival order with the other stream's. */
interface Segment {
  stream: OutputStream;
  start: number;
  end: number;
}

export class LiveOutput {
  private readonly emit: (stream: OutputStream, chunk: string) => void;
  private readonly limits: LiveOutputLimits;
  private readonly streams: Record<OutputStream, RedactingStream>;
  private total = 0;
  /** Arrived within the head and not yet shown. */
  private head: Segment[] = [];
  /** Where each stream's head ends; set once the head budget is spent. */
  private headEnd: Record<OutputStream, number> | undefined;
  private markerStream: OutputStream = 'stdout';
  private markerSent = false;
  private tail: Segment[] = [];
  private tailLength = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastWrite = 0;
  private ended = false;

  constructor(
    emit: (stream: OutputStream, chunk: string) => void,
    redactor: Redactor,
    limits: LiveOutputLimits = LIVE_OUTPUT_LIMITS,
  ) {
    this.emit = emit;
    this.limits = limits;
    this.streams = { stdout: new RedactingStream(redactor), stderr: new RedactingStream(redactor) };
  }

  write(stream: OutputStream, chunk: string): void {
    if (this.ended || chunk === '') return;
    const s = this.streams[stream];
    const start = s.end;
    s.feed(chunk);
    this.lastWrite = performance.now();
    if (this.headEnd === undefined) {
      const inHead = Math.min(chunk.length, this.limits.headChars - this.total);
      append(this.head, stream, start, start + inHead);
      if (inHead < chunk.length) {
        this.headEnd = { stdout: this.streams.stdout.end, stderr: this.streams.stderr.end, [stream]: start + inHead };
        this.markerStream = stream;
        this.addTail(stream, start + inHead, s.end);
      }
    } else {
      this.addTail(stream, start, s.end);
    }
    this.total += chunk.length;
    if (this.head.length > 0 || !this.markerSent) this.timer ??= setTimeout(this.tick, this.limits.flushMs).unref();
  }

  /** Shows what is left, in order: the rest of the head, the marker, the tail. Before the tool_result. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.flushHead(true);
    // Each stream's tail starts where its head ended or where addTail skipped to: nothing to skip.
    this.show(this.tail, true);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.ended) return;
    const quietFor = performance.now() - this.lastWrite;
    this.flushHead(quietFor >= this.limits.quietMs);
    // Something held back waits for the next chunk, or for the stream to go quiet.
    if (this.head.length > 0)
      this.timer = setTimeout(this.tick, Math.max(this.limits.flushMs, this.limits.quietMs - quietFor)).unref();
  };

  /** The head as far as it can be shown; once all of it is, the marker. */
  private flushHead(final: boolean): void {
    this.show(this.head, final);
    if (this.headEnd !== undefined && this.head.length === 0 && !this.markerSent) {
      this.markerSent = true;
      this.emit(this.markerStream, elisionMarker(this.limits));
    }
  }

  /** Emits segments in order, as far as redaction lets each stream go; one event per run of a stream.
   * A stream held back at one segment stays behind for its later ones (the other stream carries on). */
  private show(segments: Segment[], final: boolean): void {
    const blocked = new Set<OutputStream>();
    let pending: { stream: OutputStream; text: string } | undefined;
    const out = (stream: OutputStream, text: string): void => {
      if (text === '') return;
      if (pending?.stream === stream) pending.text += text;
      else {
        if (pending) this.emit(pending.stream, pending.text);
        pending = { stream, text };
      }
    };
    for (let i = 0; i < segments.length; ) {
      const seg = segments[i]!;
      const s = this.streams[seg.stream];
      if (!blocked.has(seg.stream)) out(seg.stream, s.take(seg.end, final));
      if (s.decided >= seg.end) segments.splice(i, 1);
      else {
        blocked.add(seg.stream);
        i++;
      }
    }
    if (pending) this.emit(pending.stream, pending.text);
  }

  /** Keeps the last `tailChars` of the output after the head; what falls out of it is skipped. */
  private addTail(stream: OutputStream, start: number, end: number): void {
    append(this.tail, stream, start, end);
    this.tailLength += end - start;
    if (this.tailLength <= this.limits.tailChars) return;
    // The head's last characters need what follows them to be redacted: show them before it goes.
    if (this.head.length > 0) this.flushHead(true);
    while (this.tailLength > this.limits.tailChars) {
      const first = this.tail[0]!;
      const drop = Math.min(this.tailLength - this.limits.tailChars, first.end - first.start);
      first.start += drop;
      this.tailLength -= drop;
      if (first.start === first.end) this.tail.shift();
    }
    for (const name of ['stdout', 'stderr'] as const) {
      const next = this.tail.find((seg) => seg.stream === name);
      this.streams[name].skip(next ? next.start : this.streams[name].end);
    }
  }
}

function append(segments: Segment[], stream: OutputStream, start: number, end: number): void {
  if (end <= start) return;
  const last = segments.at(-1);
  if (last?.stream === stream && last.end === start) last.end = end;
  else segments.push({ stream, start, end });
}
