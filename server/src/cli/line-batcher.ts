// Writes lines to a stream in batches: one write per event-loop turn (or per 64 KB) instead of one per
// line. Writes to a pipe are synchronous on Linux, so per-event writes cost a syscall each.
export class LineBatcher {
  private buffer = '';
  private scheduled = false;
  private readonly out: NodeJS.WritableStream;

  constructor(out: NodeJS.WritableStream) {
    this.out = out;
  }

  push(line: string): void {
    this.buffer += `${line}\n`;
    if (this.buffer.length >= 1 << 16) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer === '') return;
    this.out.write(this.buffer);
    this.buffer = '';
  }
}
