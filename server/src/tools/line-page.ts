// One page of a text file's lines, read from its chunks as they come: lines before the page are only
// counted, lines on it are kept (each cut to a bounded head), and after the page the lines are counted
// for a bounded number of bytes more. So a read of one line of a 1 GB file holds a few chunks, not the
// file, and the cost of a page grows with its offset, not with the file's size.
import { StringDecoder } from 'node:string_decoder';
import { cutLine, MAX_LINE_CHARS } from './tool-util.ts';

export interface PageRequest {
  /** 1-based first line. */
  offset: number;
  limit: number;
  /** The page also ends before a line that would take it past this many characters (numbered). */
  maxPageChars: number;
  /** After the page, lines are counted through at most this many more bytes. */
  countAheadBytes: number;
  /** Checked between chunks: when aborted the read stops. */
  signal: AbortSignal;
}

export type Page =
  | { kind: 'binary' }
  | { kind: 'stopped' }
  /** `lines` are the page's lines from `offset`, CR dropped and over-long ones cut. `total` is the
   * file's line count when it was counted to the end; otherwise `atLeast` lines are known to exist. */
  | { kind: 'lines'; lines: string[]; total: number | undefined; atLeast: number };

const BINARY_PROBE = 8192;
const NL = 0x0a;

/** A line on the page, built from the segments it arrives in: its first characters are kept, the
 * rest only counted, so one huge line costs no more memory than a short one. */
class LineHead {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private extra = 0;
  private last = '';

  add(bytes: Buffer): void {
    this.take(this.decoder.write(bytes));
  }

  private take(s: string): void {
    if (s === '') return;
    this.last = s[s.length - 1]!;
    if (this.text.length <= MAX_LINE_CHARS) this.text += s;
    else this.extra += s.length;
  }

  /** The line as read shows it: a final CR dropped, cut after MAX_LINE_CHARS characters. */
  finish(): string {
    this.take(this.decoder.end());
    let length = this.text.length + this.extra;
    if (this.last === '\r') {
      length--;
      if (this.extra > 0) this.extra--;
      else this.text = this.text.slice(0, -1);
    }
    if (this.extra === 0) return cutLine(this.text);
    return `${this.text.slice(0, MAX_LINE_CHARS)} … [line cut: ${length - MAX_LINE_CHARS} more chars]`;
  }
}

/** Reads the page `req` asks for from `chunks` (a file's bytes in order); leaves the loop (closing
 * the file) as soon as the page and the bounded count after it are done. */
export async function readPage(chunks: AsyncIterable<Buffer>, req: PageRequest): Promise<Page> {
  const last = req.offset + req.limit - 1;
  // Each numbered line costs its text, the widest number this page can have, a tab and a newline.
  const numberWidth = String(last).length + 2;
  const lines: string[] = [];
  let pageChars = 0;
  let complete = 0; // lines ended by a newline so far
  let partial = false; // bytes seen since the last newline: line complete + 1 exists
  let head: LineHead | undefined; // line complete + 1 while it is on the page
  let pageDone = false;
  let aheadBytes = 0;

  /** The line on the page has ended: it joins the page, or ends it when it would not fit. */
  const endPageLine = (h: LineHead): void => {
    const line = h.finish();
    if (lines.length > 0 && pageChars + line.length + numberWidth > req.maxPageChars) {
      pageDone = true;
      return;
    }
    lines.push(line);
    pageChars += line.length + numberWidth;
    if (req.offset + lines.length - 1 === last) pageDone = true;
  };

  /** Takes the next bytes; returns false once the count after the page has used its budget while
   * bytes remain (so at least one more line exists). */
  const scan = (buf: Buffer): boolean => {
    let i = 0;
    while (i < buf.length) {
      if (pageDone) {
        const end = Math.min(buf.length, i + (req.countAheadBytes - aheadBytes));
        for (let j = buf.indexOf(NL, i); j !== -1 && j < end; j = buf.indexOf(NL, j + 1)) complete++;
        if (end > i) partial = buf[end - 1] !== NL;
        aheadBytes += end - i;
        if (end < buf.length) return false;
        return true;
      }
      if (head === undefined && complete + 1 >= req.offset) head = new LineHead();
      const nl = buf.indexOf(NL, i);
      const end = nl === -1 ? buf.length : nl;
      if (end > i) {
        partial = true;
        head?.add(buf.subarray(i, end));
      }
      if (nl === -1) return true;
      complete++;
      partial = false;
      if (head) endPageLine(head);
      head = undefined;
      i = nl + 1;
    }
    return true;
  };

  // The first bytes are held until the binary check has BINARY_PROBE of them (or the file ended).
  let probe: Buffer[] | undefined = [];
  let probeBytes = 0;
  /** Checks the held bytes and scans them: a UTF-8 BOM is not part of line 1. */
  const takeProbe = (): Page | boolean => {
    const p = Buffer.concat(probe!);
    probe = undefined;
    if (p.subarray(0, BINARY_PROBE).includes(0)) return { kind: 'binary' };
    return scan(p[0] === 0xef && p[1] === 0xbb && p[2] === 0xbf ? p.subarray(3) : p);
  };

  let counted: Page | boolean = true; // false: the count after the page stopped before the end
  for await (const chunk of chunks) {
    if (req.signal.aborted) return { kind: 'stopped' };
    if (probe !== undefined) {
      probe.push(chunk);
      probeBytes += chunk.length;
      if (probeBytes < BINARY_PROBE) continue;
      counted = takeProbe();
    } else counted = scan(chunk);
    if (counted !== true) break;
  }
  if (req.signal.aborted) return { kind: 'stopped' };
  if (probe !== undefined) counted = takeProbe(); // the whole file is shorter than the probe
  if (typeof counted === 'object') return counted;
  if (!counted) return { kind: 'lines', lines, total: undefined, atLeast: complete + 1 };
  if (head && !pageDone) endPageLine(head);
  const total = complete + (partial ? 1 : 0);
  return { kind: 'lines', lines, total, atLeast: total };
}
