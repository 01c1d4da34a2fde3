// The pure part of `edit`: find each old_text, replace it, all or nothing. Kept free of I/O so the
// matching rules (exact first, then whitespace-tolerant but only when unique) are easy to test.

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

export function applyEdits(text: string, edits: readonly EditSpec[]): ApplyResult {
  let cur = text;
  const notes: string[] = [];
  let changes: Change[] = [];
  let replacements = 0;
  for (const [i, edit] of edits.entries()) {
    const label = `Edit ${i + 1}`;
    if (edit.old_text === '') {
      return {
        ok: false,
        error: `${label}: old_text is empty. Give the exact text to replace (use write to create or replace a whole file).`,
      };
    }
    if (edit.old_text === edit.new_text) {
      return { ok: false, error: `${label}: old_text and new_text are identical, so there is nothing to change.` };
    }
    const found = locate(cur, edit);
    if (!found.ok) return { ok: false, error: `${label}: ${found.error}` };
    if (found.note) notes.push(`${label}: ${found.note}`);
    // Replace from the last span to the first so earlier offsets stay valid.
    for (const span of [...found.spans].reverse()) {
      cur = cur.slice(0, span.start) + edit.new_text + cur.slice(span.end);
      changes = shift(changes, span, edit.new_text.length);
      changes.push({ start: span.start, end: span.start + edit.new_text.length });
    }
    replacements += found.spans.length;
  }
  changes.sort((a, b) => a.start - b.start);
  return { ok: true, text: cur, notes, changes, replacements };
}

type Located = { ok: true; spans: Change[]; note?: string } | { ok: false; error: string };

function locate(text: string, edit: EditSpec): Located {
  const exact = occurrences(text, edit.old_text, edit.replace_all === true);
  if (exact.length === 1 || (exact.length > 1 && edit.replace_all)) {
    return { ok: true, spans: exact.map((start) => ({ start, end: start + edit.old_text.length })) };
  }
  if (exact.length > 1) {
    return {
      ok: false,
      error:
        `old_text found ${exact.length} times — add more surrounding lines to make it unique, ` +
        'or set replace_all: true to replace every occurrence.',
    };
  }
  const loose = looseSpans(text, edit.old_text);
  if (loose.length === 1) {
    const span = loose[0]!;
    const from = lineOf(text, span.start);
    const to = lineOf(text, Math.max(span.start, span.end - 1));
    return {
      ok: true,
      spans: loose,
      note:
        `old_text matched only when ignoring whitespace differences (lines ${from}–${to}); ` +
        'new_text was inserted exactly as given, so check its indentation.',
    };
  }
  if (loose.length > 1) {
    const at = loose.map((s) => lineOf(text, s.start)).join(', ');
    return {
      ok: false,
      error:
        `old_text not found exactly; ignoring whitespace it matches ${loose.length} places (lines ${at}) — ` +
        'copy old_text exactly from the file and add surrounding lines to make it unique.',
    };
  }
  return {
    ok: false,
    error:
      'old_text not found in the file (also tried ignoring whitespace differences). ' +
      'Read the file again and copy old_text exactly, including indentation.',
  };
}

/** Start offsets of `needle`. Overlapping hits count when checking uniqueness ("aa" is twice in
 * "aaa": ambiguous); replace_all takes non-overlapping ones, left to right. */
function occurrences(hay: string, needle: string, nonOverlapping: boolean): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + (nonOverlapping ? needle.length : 1))) {
    out.push(i);
  }
  return out;
}

const squash = (line: string): string => line.trim().replace(/\s+/g, ' ');

/** Whole-line matches of `old` comparing lines with surrounding whitespace trimmed and inner runs
 * of whitespace squashed: catches the usual indentation and trailing-space slips of a model. */
function looseSpans(text: string, old: string): Change[] {
  const want = old.split('\n');
  const endsWithNewline = want.length > 1 && want.at(-1) === '';
  if (endsWithNewline) want.pop();
  const wanted = want.map(squash);
  if (wanted.every((l) => l === '')) return []; // blank lines alone would match anywhere
  const lines = text.split('\n');
  const starts: number[] = [];
  let off = 0;
  for (const line of lines) {
    starts.push(off);
    off += line.length + 1;
  }
  const have = lines.map(squash);
  const spans: Change[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (!wanted.every((w, j) => have[i + j] === w)) continue;
    const last = i + wanted.length - 1;
    let end = starts[last]! + lines[last]!.length;
    if (endsWithNewline && last < lines.length - 1) end += 1; // take the newline old_text ended with
    spans.push({ start: starts[i]!, end });
  }
  return spans;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

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
