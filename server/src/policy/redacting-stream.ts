// Redaction for text that arrives in pieces: one stream of a command's live output. A credential
// split over two pieces must be seen whole before any of it is shown, so the last `carryChars`
// characters of what has arrived are held back until more comes (or the caller says there is no
// more); a credential that is already recognised and reaches the end of what has arrived is held from
// its start, however long it grows. Text before the part being decided is kept as context (as much as
// the carry-over), so a look-behind, or a credential that began in text already shown or skipped,
// still matches. Positions are characters of the raw stream counted from its start.
import type { Redactor } from './secrets.ts';

export class RedactingStream {
  private readonly redactor: Redactor;
  private readonly window: number;
  /** The raw text from `bufStart` to `end`: context before `pos`, and everything not yet decided. */
  private buf = '';
  private bufStart = 0;
  /** Up to here the text is decided: shown (redacted) or skipped. */
  private pos = 0;

  constructor(redactor: Redactor) {
    this.redactor = redactor;
    this.window = redactor.carryChars;
  }

  /** How many raw characters have arrived. */
  get end(): number {
    return this.bufStart + this.buf.length;
  }

  /** How far the text has been shown or skipped. */
  get decided(): number {
    return this.pos;
  }

  feed(text: string): void {
    this.buf += text;
  }

  /**
   * The redacted text from `decided` to `upTo`, or to an earlier point when the rest could still be
   * part of a credential. `final` (the stream ended, or went quiet) shows everything up to `upTo`. A
   * credential that crosses `upTo` is replaced by its mark and the part after `upTo` left out.
   */
  take(upTo: number, final: boolean): string {
    upTo = Math.min(upTo, this.end);
    if (upTo <= this.pos) return '';
    const base = this.bufStart;
    const matches = this.redactor.scan(this.buf).map((m) => ({ ...m, start: m.start + base, end: m.end + base }));
    let cut = final ? upTo : Math.min(upTo, this.end - this.window);
    // The first credential that the cut falls inside decides where it goes (they never overlap).
    const crossing = matches.find((m) => m.end > this.pos && m.start < cut && m.end > cut);
    if (crossing && cut < upTo) {
      if (crossing.end <= upTo && crossing.end < this.end)
        cut = crossing.end; // complete: a shape stops at a character it cannot take, which has arrived
      else if (crossing.end > upTo) cut = upTo;
      else cut = Math.max(this.pos, crossing.start); // it reaches the end of what arrived: may grow
    }
    if (cut <= this.pos) return '';

    let out = '';
    let at = this.pos;
    for (const m of matches) {
      if (m.end <= at) continue;
      if (m.start >= cut) break;
      out += this.buf.slice(at - base, Math.max(m.start, at) - base);
      // A credential that began before this piece (shown when the stream went quiet, or skipped) has
      // its kept text ("Bearer ") there already: only the mark.
      out += m.start >= this.pos ? m.replacement : `[REDACTED:${m.label}]`;
      at = Math.min(m.end, cut);
    }
    out += this.buf.slice(at - base, cut - base);
    this.pos = cut;
    this.trim();
    return out;
  }

  /** Leaves the raw text up to `to` out (elided output), keeping the context before it. */
  skip(to: number): void {
    if (to <= this.pos) return;
    this.pos = Math.min(to, this.end);
    this.trim();
  }

  private trim(): void {
    const keepFrom = this.pos - this.window;
    if (keepFrom <= this.bufStart) return;
    this.buf = this.buf.slice(keepFrom - this.bufStart);
    this.bufStart = keepFrom;
  }
}
