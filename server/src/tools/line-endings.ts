// Line endings for edit: the model reads lines without their `\r` (read strips it), so old_text is
// matched against the file's text with every CRLF seen as LF; but the spans found are the file's own
// bytes, so two blocks that differ only by their endings stay two places, and new text is written
// with the endings the file already uses there.

export type Eol = '\n' | '\r\n';

/** The file's text with each CRLF read as LF, and the way back from its offsets to the file's. */
export interface LfView {
  text: string;
  /** The raw offset of view offset `o`. An offset just before a CRLF's LF maps before its `\r`. */
  toRaw(o: number): number;
}

export function lfView(raw: string): LfView {
  // View offsets of the LFs that were CRLF, ascending.
  const crlfAt: number[] = [];
  for (let i = raw.indexOf('\r\n'); i !== -1; i = raw.indexOf('\r\n', i + 2)) crlfAt.push(i - crlfAt.length);
  if (crlfAt.length === 0) return { text: raw, toRaw: (o) => o };
  const text = raw.replaceAll('\r\n', '\n');
  return {
    text,
    toRaw(o) {
      // Binary search: how many CRLF's LFs sit strictly before o.
      let lo = 0;
      let hi = crlfAt.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (crlfAt[mid]! < o) lo = mid + 1;
        else hi = mid;
      }
      return o + lo;
    },
  };
}

/** Counts of each ending in `raw` between `from` and `to` (a lone `\r` is not a line break here,
 * as it is not for read). */
function countEndings(raw: string, from = 0, to = raw.length): { lf: number; crlf: number } {
  let lf = 0;
  let crlf = 0;
  for (let i = raw.indexOf('\n', from); i !== -1 && i < to; i = raw.indexOf('\n', i + 1)) {
    if (i > 0 && raw[i - 1] === '\r') crlf++;
    else lf++;
  }
  return { lf, crlf };
}

/**
 * The ending new text replacing raw[start, end) gets: that of the lines it replaces (from the start
 * of the first to the line break ending the last) when they agree, else the file's majority, else LF.
 * So an edit never brings an ending into a file that did not have it, and in a file that mixes them
 * a CRLF block stays CRLF.
 */
export function eolFor(raw: string, start: number, end: number): Eol {
  const lineStart = raw.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = raw.indexOf('\n', Math.max(start, end - 1));
  const local = countEndings(raw, lineStart, nextBreak === -1 ? raw.length : nextBreak + 1);
  if (local.crlf > 0 && local.lf === 0) return '\r\n';
  if (local.lf > 0 && local.crlf === 0) return '\n';
  const all = countEndings(raw);
  return all.crlf > all.lf ? '\r\n' : '\n';
}

/** `text` (the model's, LF or CRLF) with every line break written as `eol`. */
export function withEol(text: string, eol: Eol): string {
  const lf = text.replaceAll('\r\n', '\n');
  return eol === '\n' ? lf : lf.replaceAll('\n', '\r\n');
}
