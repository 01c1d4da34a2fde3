// The pure part of `edit`: find each old_text, replace it, all or nothing. Kept free of I/O so the
// matching rules are easy to test. Exact first; then, only when the match is unique, tolerant
// stages: whole lines equal but for whitespace (new_text re-indented to match, edit-indent.ts), part
// of one line with whitespace at its ends, and the same again with typographic look-alikes folded
// (look-alikes.ts). Never by edit distance: a near miss fails and shows the closest text instead.
// Matching sees the file with CRLF read as LF, but spans and endings are the file's (line-endings.ts).
import { reindent } from './edit-indent.ts';
import { closestText } from './edit-near-miss.ts';
import { eolFor, lfView, withEol } from './line-endings.ts';
import { foldLookAlikes } from './look-alikes.ts';

export interface EditSpec {
  old_text: string;
  new_text: string;
  replace_all?: boolean | undefined;
}

/** Where a replacement's new text sits in the final text (offsets, end exclusive). */
export interface Change {
  start: number;
  end: number;
}

export type ApplyResult =
  | { ok: true; text: string; notes: string[]; changes: Change[]; replacements: number }
  | { ok: false; error: string };

/** Apply `edits` in order to `text`, the file's own characters (CRLF included, BOM not). */
export function applyEdits(text: string, edits: readonly EditSpec[]): ApplyResult {
  let cur = text;
  const notes: string[] = [];
  let changes: Change[] = [];
  let replacements = 0;
  for (const [i, edit] of edits.entries()) {
    const label = `Edit ${i + 1}`;
    const old = edit.old_text.replaceAll('\r\n', '\n');
    if (old === '') {
      // What models trained on other agents expect: an empty old_text creates the file.
      if (cur !== '') {
        return {
          ok: false,
          error: `${label}: old_text is empty but the file is not. Give the exact text to replace, or use write to replace the whole file.`,
        };
      }
      cur = edit.new_text;
      changes = [{ start: 0, end: cur.length }];
      notes.push(`${label}: old_text was empty and so was the file, so new_text became its whole content.`);
      replacements++;
      continue;
    }
    if (old === edit.new_text.replaceAll('\r\n', '\n')) {
      return { ok: false, error: `${label}: old_text and new_text are identical, so there is nothing to change.` };
    }
    const view = lfView(cur);
    const found = locate(view.text, old, edit.new_text.replaceAll('\r\n', '\n'), edit.replace_all === true);
    if (!found.ok) return { ok: false, error: `${label}: ${found.error}` };
    if (found.note) notes.push(`${label}: ${found.note}`);
    const spans = found.spans.map((s) => {
      const start = view.toRaw(s.start);
      const end = view.toRaw(s.end);
      return { start, end, text: withEol(s.text, eolFor(cur, start, end)) };
    });
    // Replace from the last span to the first so earlier offsets stay valid.
    for (const span of spans.reverse()) {
      cur = cur.slice(0, span.start) + span.text + cur.slice(span.end);
      changes = shift(changes, span, span.text.length);
      changes.push({ start: span.start, end: span.start + span.text.length });
    }
    replacements += found.spans.length;
  }
  changes.sort((a, b) => a.start - b.start);
  return { ok: true, text: cur, notes, changes, replacements };
}

/** A span of the LF view and the LF text to put there. */
type Span = Change & { text: string };
type Located = { ok: true; spans: Span[]; note?: string } | { ok: false; error: string };
/** What one tolerant stage found: each candidate, or why the one it found cannot be used. */
type Found = { spans: Span[]; note: string } | { error: string; at: number };

const LOOK_ALIKES =
  'typographic look-alikes (curly quotes, Unicode dashes and spaces, full-width punctuation) read as ' +
  'their plain characters; the file keeps its own characters outside the replaced text';

function locate(text: string, old: string, nu: string, replaceAll: boolean): Located {
  const exact = occurrences(text, old, replaceAll);
  if (exact.length === 1 || (exact.length > 1 && replaceAll)) {
    return { ok: true, spans: exact.map((start) => ({ start, end: start + old.length, text: nu })) };
  }
  if (exact.length > 1) {
    return {
      ok: false,
      error:
        `old_text found ${exact.length} times (lines ${linesOf(text, exact)}) — add more surrounding lines to make ` +
        'it unique, or set replace_all: true to replace every occurrence.',
    };
  }
  const folded = { text: foldLookAlikes(text), old: foldLookAlikes(old) };
  const haveLookAlikes = folded.text !== text || folded.old !== old;
  const stages: { name: string; find: () => Found[] }[] = [
    { name: 'ignoring whitespace differences', find: () => wholeLines(text, text, old, nu) },
    { name: 'ignoring the whitespace at its ends', find: () => partOfLine(text, old, nu) },
  ];
  if (haveLookAlikes) {
    const la = (f: Found[]): Found[] =>
      f.map((x) => ('error' in x ? x : { ...x, note: `${x.note} It also needed ${LOOK_ALIKES}.` }));
    stages.push(
      {
        name: 'reading look-alike characters as plain ones',
        find: () =>
          occurrences(folded.text, folded.old, false).map((start) => ({
            spans: [{ start, end: start + old.length, text: nu }],
            note: `old_text matched at line ${lineOf(text, start)} only with ${LOOK_ALIKES}; new_text was written as given.`,
          })),
      },
      {
        name: 'reading look-alikes as plain characters and ignoring whitespace differences',
        find: () => la(wholeLines(text, folded.text, folded.old, nu)),
      },
      {
        name: 'reading look-alikes as plain characters and ignoring the whitespace at its ends',
        find: () => la(partOfLine(folded.text, folded.old, nu)),
      },
    );
  }
  for (const stage of stages) {
    const found = stage.find();
    if (found.length === 0) continue;
    if (found.length > 1) {
      const at = found.map((f) => lineOf(text, 'spans' in f ? f.spans[0]!.start : f.at)).join(', ');
      return {
        ok: false,
        error:
          `old_text not found exactly; ${stage.name} it matches ${found.length} places (lines ${at}) — ` +
          'copy old_text exactly from the file and add surrounding lines to make it unique.',
      };
    }
    const f = found[0]!;
    return 'error' in f ? { ok: false, error: f.error } : { ok: true, spans: f.spans, note: f.note };
  }
  const near = closestText(text, old);
  return {
    ok: false,
    error: [
      'old_text not found in the file (also tried ignoring whitespace differences and typographic look-alikes).',
      ...(near ?? ['No lines in the file are close to it.']),
      'Read the file again and copy old_text exactly, including indentation.',
    ].join('\n'),
  };
}

/** Start offsets of `needle`. Overlapping hits count when checking uniqueness ("aa" is twice in
 * "aaa": ambiguous); replace_all takes non-overlapping ones, left to right. A hit that would cut a
 * character in half (between the two UTF-16 units of an emoji) is no hit: writing it would leave
 * a lone surrogate, which UTF-8 cannot hold. */
function occurrences(hay: string, needle: string, nonOverlapping: boolean): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i !== -1; ) {
    const whole = !splitsPair(hay, i) && !splitsPair(hay, i + needle.length);
    if (whole) out.push(i);
    i = hay.indexOf(needle, i + (nonOverlapping && whole ? needle.length : 1));
  }
  return out;
}

const splitsPair = (s: string, at: number): boolean =>
  at > 0 && at < s.length && /[\uD800-\uDBFF]/.test(s[at - 1]!) && /[\uDC00-\uDFFF]/.test(s[at]!);

const squash = (line: string): string => line.trim().replace(/\s+/g, ' ');

/** Whole-line matches of `old` in `hay` (`text` or its folded twin, same offsets), comparing lines
 * with surrounding whitespace trimmed and inner runs squashed: the usual indentation and
 * trailing-space slips of a model. new_text is re-indented as the matched lines are. */
function wholeLines(text: string, hay: string, old: string, nu: string): Found[] {
  const want = old.split('\n');
  const endsWithNewline = want.length > 1 && want.at(-1) === '';
  if (endsWithNewline) want.pop();
  const wanted = want.map(squash);
  if (wanted.every((l) => l === '')) return []; // blank lines alone would match anywhere
  const lines = text.split('\n');
  const have = hay.split('\n').map(squash);
  const out: Found[] = [];
  let start = 0;
  for (let i = 0; i + wanted.length <= lines.length; start += lines[i]!.length + 1, i++) {
    if (!wanted.every((w, j) => have[i + j] === w)) continue;
    const last = i + wanted.length - 1;
    let end = start;
    for (let j = i; j < last; j++) end += lines[j]!.length + 1;
    end += lines[last]!.length;
    if (endsWithNewline && last < lines.length - 1) end += 1; // take the newline old_text ended with
    const range = `lines ${i + 1}–${last + 1}`;
    const r = reindent(want, lines.slice(i, last + 1), nu);
    if (!r.ok) {
      out.push({
        at: start,
        error:
          `old_text matched ${range} only when ignoring whitespace differences, and ${r.error}. Nothing was ` +
          'written, because new_text at a guessed depth could change what the code means: copy old_text ' +
          'exactly from the file, indentation included, and indent new_text the same way.',
      });
      continue;
    }
    const how = r.how ?? 'its indentation already agrees with theirs, so new_text was written as given';
    out.push({
      spans: [{ start, end, text: r.text }],
      note: `old_text matched ${range} only when ignoring whitespace differences; ${how}.`,
    });
  }
  return out;
}

/** One line's worth of old_text with whitespace at its ends that the file does not have there:
 * found anywhere in a line, and new_text put in its place without that whitespace. */
function partOfLine(hay: string, old: string, nu: string): Found[] {
  if (old.includes('\n')) return [];
  const core = old.trim();
  if (core === '' || core === old) return [];
  const lead = old.slice(0, old.indexOf(core));
  const trail = old.slice(lead.length + core.length);
  let replacement = nu.startsWith(lead) ? nu.slice(lead.length) : nu;
  if (replacement.endsWith(trail)) replacement = replacement.slice(0, replacement.length - trail.length);
  return occurrences(hay, core, false).map((start) => ({
    spans: [{ start, end: start + core.length, text: replacement }],
    note:
      `old_text matched part of line ${lineOf(hay, start)} only when ignoring the whitespace at its ends; ` +
      'new_text, without that whitespace, replaced just that part.',
  }));
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const linesOf = (text: string, offsets: readonly number[]): string => offsets.map((o) => lineOf(text, o)).join(', ');

/** Move earlier changes after replacing `span` with `len` characters; overlapped ones grow to cover
 * the new text so the context shown later still includes them. */
function shift(changes: Change[], span: Change, len: number): Change[] {
  const delta = len - (span.end - span.start);
  return changes.map((c) => {
    if (c.end <= span.start) return c;
    if (c.start >= span.end) return { start: c.start + delta, end: c.end + delta };
    return { start: Math.min(c.start, span.start), end: c.end >= span.end ? c.end + delta : span.start + len };
  });
}
