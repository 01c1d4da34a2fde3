// When old_text is nowhere in the file, edit shows the model the closest text instead of only "not
// found", so it can retry with the file's real lines. This only explains a failure: there is no
// fuzzy matching, a near miss is never applied. Its cost is bounded, so a big file stays cheap.
import { foldLookAlikes } from './look-alikes.ts';
import { cutLine, numbered } from './tool-util.ts';

/** Line comparisons allowed for scoring every window; past it only windows sharing a line are scored. */
const PAIR_BUDGET = 100_000;
const MAX_SCORED_WINDOWS = 50;
const MAX_SHOWN_LINES = 12;
/** Below this mean similarity per line the "closest" text is not worth showing. */
const MIN_SIMILARITY = 0.5;

/** Each line folded, trimmed and with runs of whitespace squashed, cut at 500 characters; done on
 * the whole text at once, which is several times faster than line by line. */
const normalizedLines = (text: string): string[] =>
  foldLookAlikes(text)
    .replace(/[^\S\n]+/g, ' ')
    .split('\n')
    .map((l) => l.trim().slice(0, 500));

/** The line's character pairs as numbers (cheap to hash), with repeats. */
function bigrams(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1));
  if (s.length === 1) out.push(s.charCodeAt(0));
  return out;
}

/** Dice similarity, 0..1, of a file line and one of old_text's lines (its pairs as a set). */
function similarity(a: string, b: string, b2: Set<number>, bCount: number): number {
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  let common = 0;
  let count = 0;
  for (let i = 0; i + 1 < a.length; i++, count++) if (b2.has(a.charCodeAt(i) * 65536 + a.charCodeAt(i + 1))) common++;
  if (count === 0) count = 1;
  return (2 * Math.min(common, count, bCount)) / (count + bCount);
}

/**
 * Lines for the error: the file's lines most like old_text, numbered as read numbers them, and the
 * first of them that differs beyond whitespace and look-alikes with old_text's line there. Undefined
 * when nothing in the file is similar enough to help.
 */
export function closestText(text: string, old: string): string[] | undefined {
  const lines = text.split('\n');
  const want = old.split('\n');
  if (want.length > 1 && want.at(-1) === '') want.pop();
  const n = Math.min(want.length, lines.length);
  const have = normalizedLines(text);
  const wanted = normalizedLines(want.join('\n'));
  const wantGrams = wanted.map((w) => {
    const g = bigrams(w);
    return { set: new Set(g), count: g.length };
  });
  const windows = lines.length - n + 1;
  const score = (start: number): number => {
    let s = 0;
    for (let j = 0; j < n; j++) s += similarity(have[start + j]!, wanted[j]!, wantGrams[j]!.set, wantGrams[j]!.count);
    return s / want.length;
  };
  let starts: number[];
  if (windows * n <= PAIR_BUDGET) starts = Array.from({ length: windows }, (_, i) => i);
  else {
    // Too big to score everywhere: only where a line of old_text occurs as it is, most shared first.
    const at = new Map<string, number[]>();
    wanted.forEach((w, j) => {
      if (w !== '') at.set(w, [...(at.get(w) ?? []), j]);
    });
    const votes = new Map<number, number>();
    have.forEach((h, k) => {
      for (const j of at.get(h) ?? []) {
        const s = k - j;
        if (s >= 0 && s < windows) votes.set(s, (votes.get(s) ?? 0) + 1);
      }
    });
    starts = [...votes.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, MAX_SCORED_WINDOWS)
      .map(([s]) => s);
  }
  let best = -1;
  let bestScore = 0;
  for (const s of starts) {
    const sc = score(s);
    if (sc > bestScore) [best, bestScore] = [s, sc];
  }
  if (best === -1 || bestScore < MIN_SIMILARITY) return undefined;

  let diff = wanted.findIndex((w, j) => j < n && have[best + j] !== w);
  if (diff === -1) diff = want.findIndex((w, j) => j < n && lines[best + j] !== w);
  const from = diff === -1 ? best : Math.max(best, best + diff - Math.floor(MAX_SHOWN_LINES / 2));
  const to = Math.min(best + n, from + MAX_SHOWN_LINES) - 1; // 0-based, inclusive
  const width = String(to + 1).length;
  const out = [`The most similar text in the file is at lines ${best + 1}–${best + n} (numbered like read):`];
  for (let i = from; i <= to; i++) out.push(numbered(i + 1, width, cutLine(lines[i]!, 200)));
  if (diff !== -1) {
    out.push(`The first line that differs is line ${best + diff + 1}; old_text has there:`);
    out.push(`\t${cutLine(want[diff]!, 200)}`);
  }
  return out;
}
