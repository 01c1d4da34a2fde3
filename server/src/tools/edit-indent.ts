// Re-indentation for edit's whitespace-tolerant match: when old_text matched lines at another depth
// (or with tabs where it had spaces), new_text is moved by the same shift, so a block found deeper
// is written deeper. In Python a wrong depth is wrong code, so when no one shift explains every
// matched line the edit is refused rather than written as given.

export type Reindented = { ok: true; text: string; how: string | undefined } | { ok: false; error: string };

const indentOf = (line: string): string => /^[ \t]*/.exec(line)![0];
const isBlank = (line: string): boolean => line.trim() === '';

/** "4 spaces", "1 tab", "2 tabs + 1 space", "no indentation": whitespace a reader can see. */
export function describeIndent(indent: string): string {
  if (indent === '') return 'no indentation';
  const runs: string[] = [];
  for (const m of indent.matchAll(/( +|\t+)/g)) {
    const n = m[0].length;
    runs.push(m[0][0] === '\t' ? `${n} tab${n === 1 ? '' : 's'}` : `${n} space${n === 1 ? '' : 's'}`);
  }
  return runs.join(' + ');
}

/**
 * new_text shifted as the matched file lines are shifted from old_text's lines (same count, equal
 * but for whitespace). First a common prefix added or removed (the file's own characters); else a
 * change of unit (2 spaces → a tab …) with a constant difference in levels. Blank lines stay as given.
 */
export function reindent(oldLines: readonly string[], fileLines: readonly string[], newText: string): Reindented {
  const pairs = oldLines
    .map((o, i) => ({ o: indentOf(o), f: indentOf(fileLines[i]!), line: i }))
    .filter((_, i) => !isBlank(oldLines[i]!));
  const newLines = newText.split('\n');
  if (pairs.every((p) => p.o === p.f)) return { ok: true, text: newText, how: undefined };

  const added = commonDelta(pairs, (p) => (p.f.startsWith(p.o) ? p.f.slice(p.o.length) : undefined));
  if (added !== undefined) {
    const text = newLines.map((l) => (isBlank(l) ? l : added + l)).join('\n');
    return { ok: true, text, how: `new_text was re-indented by ${describeIndent(added)} more to match` };
  }
  const removed = commonDelta(pairs, (p) => (p.o.startsWith(p.f) ? p.o.slice(p.f.length) : undefined));
  if (removed !== undefined) {
    const short = newLines.findIndex((l) => !isBlank(l) && !l.startsWith(removed));
    if (short === -1) {
      const text = newLines.map((l) => (isBlank(l) ? l : l.slice(removed.length))).join('\n');
      return { ok: true, text, how: `new_text was re-indented by ${describeIndent(removed)} less to match` };
    }
    return {
      ok: false,
      error:
        `the file's lines are indented ${describeIndent(removed)} less than old_text, but new_text line ` +
        `${short + 1} has only ${describeIndent(indentOf(newLines[short]!))}, so it cannot be moved by the same amount`,
    };
  }
  return byLevels(pairs, newLines);
}

type Pair = { o: string; f: string; line: number };

/** The one delta every pair agrees on, or undefined. */
function commonDelta(pairs: readonly Pair[], delta: (p: Pair) => string | undefined): string | undefined {
  let d: string | undefined;
  for (const p of pairs) {
    const x = delta(p);
    if (x === undefined || (d !== undefined && x !== d)) return undefined;
    d = x;
  }
  return d;
}

/** The indentation unit of a set of indents: a tab when all are tabs, else the spaces' common
 * divisor; undefined when they mix tabs and spaces or none is indented. */
function unitOf(indents: readonly string[]): string | undefined {
  const nonzero = indents.filter((i) => i !== '');
  if (nonzero.length === 0) return undefined;
  if (nonzero.every((i) => /^\t+$/.test(i))) return '\t';
  if (!nonzero.every((i) => /^ +$/.test(i))) return undefined;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return ' '.repeat(nonzero.reduce((g, i) => gcd(g, i.length), 0));
}

function byLevels(pairs: readonly Pair[], newLines: readonly string[]): Reindented {
  const first = pairs.find((p) => p.o !== p.f)!;
  const mismatch: Reindented = {
    ok: false,
    error:
      `no single shift of indentation turns old_text's into the file's (old_text line ${first.line + 1} has ` +
      `${describeIndent(first.o)}, the file's line there ${describeIndent(first.f)})`,
  };
  const modelIndents = [...pairs.map((p) => p.o), ...newLines.filter((l) => !isBlank(l)).map(indentOf)];
  const modelUnit = unitOf(modelIndents);
  const fileUnit = unitOf(pairs.map((p) => p.f));
  if (!modelUnit || !fileUnit || modelUnit === fileUnit) return mismatch;
  const level = (indent: string, unit: string): number => indent.length / unit.length;
  let k: number | undefined;
  for (const p of pairs) {
    const d = level(p.f, fileUnit) - level(p.o, modelUnit);
    if (k !== undefined && d !== k) return mismatch;
    k = d;
  }
  const out: string[] = [];
  for (const l of newLines) {
    if (isBlank(l)) {
      out.push(l);
      continue;
    }
    const to = level(indentOf(l), modelUnit) + k!;
    if (to < 0) return mismatch;
    out.push(fileUnit.repeat(to) + l.slice(indentOf(l).length));
  }
  const unit = (u: string): string => (u === '\t' ? 'tabs' : `${u.length}-space indentation`);
  const levels =
    k === 0 ? '' : `, ${Math.abs(k!)} level${Math.abs(k!) === 1 ? '' : 's'} ${k! > 0 ? 'deeper' : 'shallower'}`;
  return {
    ok: true,
    text: out.join('\n'),
    how: `new_text was re-indented from ${unit(modelUnit)} to the file's ${unit(fileUnit)}${levels}`,
  };
}
