import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits, type ApplyResult } from '../../../server/src/tools/edit-match.ts';

function ok(r: ApplyResult): Extract<ApplyResult, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r;
}
function fail(r: ApplyResult): string {
  assert.equal(r.ok, false);
  return r.ok ? '' : r.error;
}

test('a unique exact match is replaced', () => {
  const r = ok(applyEdits('let a = 1;\nlet b = 2;\n', [{ old_text: 'b = 2', new_text: 'b = 3' }]));
  assert.equal(r.text, 'let a = 1;\nlet b = 3;\n');
  assert.equal(r.replacements, 1);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(r.changes, [{ start: 15, end: 20 }]);
});

test('an ambiguous match is refused, naming the count and the way out', () => {
  const err = fail(applyEdits('x();\ny();\nx();\n', [{ old_text: 'x();', new_text: 'z();' }]));
  assert.equal(
    err,
    'Edit 1: old_text found 2 times (lines 1, 3) — add more surrounding lines to make it unique, or set replace_all: true to replace every occurrence.',
  );
});

test('replace_all replaces every non-overlapping occurrence', () => {
  const r = ok(applyEdits('a-a-a', [{ old_text: 'a', new_text: 'bb', replace_all: true }]));
  assert.equal(r.text, 'bb-bb-bb');
  assert.equal(r.replacements, 3);
  assert.deepEqual(r.changes, [
    { start: 0, end: 2 },
    { start: 3, end: 5 },
    { start: 6, end: 8 },
  ]);
});

test('overlapping occurrences count as ambiguous', () => {
  assert.match(fail(applyEdits('aaa', [{ old_text: 'aa', new_text: 'b' }])), /found 2 times/);
});

test('an empty old_text on a non-empty text is refused, pointing to write; a no-op edit is an error', () => {
  assert.equal(
    fail(applyEdits('abc', [{ old_text: '', new_text: 'x' }])),
    'Edit 1: old_text is empty but the file is not. Give the exact text to replace, or use write to replace the whole file.',
  );
  assert.match(
    fail(applyEdits('abc', [{ old_text: 'b', new_text: 'b' }])),
    /^Edit 1: old_text and new_text are identical/,
  );
});

test('not found names the edit', () => {
  const err = fail(
    applyEdits('abc\n', [
      { old_text: 'a', new_text: 'A' },
      { old_text: 'zzz', new_text: 'y' },
    ]),
  );
  assert.match(
    err,
    /^Edit 2: old_text not found in the file \(also tried ignoring whitespace differences and typographic look-alikes\)\.\nNo lines in the file are close to it\./,
  );
});

test('edits apply in order to the evolving text, all or nothing', () => {
  const r = ok(
    applyEdits('one two', [
      { old_text: 'one', new_text: 'three' },
      { old_text: 'three two', new_text: 'done' }, // only exists after edit 1
    ]),
  );
  assert.equal(r.text, 'done');
  // A later failure means no result text at all: the caller has nothing to write.
  const bad = applyEdits('one two', [
    { old_text: 'one', new_text: '1' },
    { old_text: 'one', new_text: '2' },
  ]);
  assert.equal('text' in bad, false);
  assert.match(fail(bad), /^Edit 2: old_text not found/);
});

test('a whitespace-tolerant match is used when the exact one fails and it is unique', () => {
  const text = 'function f() {\n    if (x) {\n        return 1;\n    }\n}\n';
  // The model got the indentation wrong (2-space steps where the file has 4) and added a trailing
  // space. Its new_text is one of its own steps deeper than the `if`, so two of the file's: 8 spaces.
  const r = ok(applyEdits(text, [{ old_text: '  if (x) {\n    return 1; \n  }\n', new_text: '    return 2;\n' }]));
  assert.equal(r.text, 'function f() {\n        return 2;\n}\n');
  assert.deepEqual(r.notes, [
    "Edit 1: old_text matched lines 2–4 only when ignoring whitespace differences; new_text was re-indented from 2-space indentation to the file's 4-space indentation.",
  ]);
  // Inner runs of whitespace are squashed too.
  const r2 = ok(applyEdits('a  =   b;\n', [{ old_text: 'a = b;', new_text: 'a = c;' }]));
  assert.equal(r2.text, 'a = c;\n');
});

test('a whitespace-tolerant match that is not unique is refused with its lines', () => {
  const text = 'if (a) {\n  go();\n}\nif (a) {\n    go();\n}\n';
  const err = fail(applyEdits(text, [{ old_text: 'if (a) {\n go();', new_text: 'x' }]));
  assert.match(
    err,
    /^Edit 1: old_text not found exactly; ignoring whitespace differences it matches 2 places \(lines 1, 4\)/,
  );
});

test('an exact match wins over whitespace-tolerant candidates', () => {
  const text = 'go();\n  go();\n';
  const r = ok(applyEdits(text, [{ old_text: '  go();', new_text: '  stop();' }]));
  assert.equal(r.text, 'go();\n  stop();\n');
  assert.deepEqual(r.notes, []);
});

test('change ranges follow later edits that shift the text', () => {
  // Edit 1 changes the end; edit 2 inserts 3 characters before it, moving edit 1's range.
  const r = ok(
    applyEdits('aa XX bb', [
      { old_text: 'bb', new_text: 'BBB' },
      { old_text: 'aa', new_text: 'aaaaa' },
    ]),
  );
  assert.equal(r.text, 'aaaaa XX BBB');
  assert.deepEqual(r.changes, [
    { start: 0, end: 5 },
    { start: 9, end: 12 },
  ]);
});

// Re-indentation: the tolerant match moves new_text as the matched lines are moved from old_text.

const PY = 'def f(x):\n    if x:\n        return 1\n    return 0\n';

test('a block matched deeper is re-indented by the same spaces', () => {
  // The model copied the `if` at column 0; the file has it inside the function.
  const r = ok(
    applyEdits(PY, [
      {
        old_text: 'if x:\n    return 1\n',
        new_text: 'if x > 0:\n    return 1\nelif x < 0:\n    return -1\n',
      },
    ]),
  );
  assert.equal(
    r.text,
    'def f(x):\n    if x > 0:\n        return 1\n    elif x < 0:\n        return -1\n    return 0\n',
  );
  assert.deepEqual(r.notes, [
    'Edit 1: old_text matched lines 2–3 only when ignoring whitespace differences; new_text was re-indented by 4 spaces more to match.',
  ]);
});

test('a block matched shallower is moved left; a new_text line that cannot move as far is refused', () => {
  const text = 'if x:\n    y()\n';
  const r = ok(applyEdits(text, [{ old_text: '    if x:\n        y()', new_text: '    if x:\n        z()' }]));
  assert.equal(r.text, 'if x:\n    z()\n');
  assert.match(r.notes[0]!, /new_text was re-indented by 4 spaces less to match\.$/);
  const err = fail(applyEdits(text, [{ old_text: '    if x:\n        y()', new_text: '    if x:\n  z()' }]));
  assert.equal(
    err,
    "Edit 1: old_text matched lines 1–2 only when ignoring whitespace differences, and the file's lines are indented " +
      '4 spaces less than old_text, but new_text line 2 has only 2 spaces, so it cannot be moved by the same amount. ' +
      'Nothing was written, because new_text at a guessed depth could change what the code means: copy old_text ' +
      'exactly from the file, indentation included, and indent new_text the same way.',
  );
});

test('tabs: the shift added is the file’s own tab, and spaces given for a tab file become tabs', () => {
  const go = 'func f() {\n\tif x {\n\t\treturn 1\n\t}\n}\n';
  const r = ok(applyEdits(go, [{ old_text: 'if x {\n\treturn 1\n}', new_text: 'if x {\n\treturn 2\n}' }]));
  assert.equal(r.text, 'func f() {\n\tif x {\n\t\treturn 2\n\t}\n}\n');
  assert.match(r.notes[0]!, /new_text was re-indented by 1 tab more to match\.$/);
  // 4 spaces per level in old_text and new_text, one tab per level in the file, same depth.
  const r2 = ok(
    applyEdits(go, [
      {
        old_text: '    if x {\n        return 1\n    }',
        new_text: '    if x {\n        log()\n        return 1\n    }',
      },
    ]),
  );
  assert.equal(r2.text, 'func f() {\n\tif x {\n\t\tlog()\n\t\treturn 1\n\t}\n}\n');
  assert.match(r2.notes[0]!, /new_text was re-indented from 4-space indentation to the file's tabs\.$/);
});

test('an indentation no single shift explains is refused, not written as given', () => {
  // The model flattened the block: `def` and `pass` both at column 0, 4 and 8 spaces in the file.
  const text = 'class A:\n    def f(self):\n        pass\n';
  const err = fail(applyEdits(text, [{ old_text: 'def f(self):\npass', new_text: 'def f(self):\nreturn 1' }]));
  assert.match(
    err,
    /^Edit 1: old_text matched lines 2–3 only when ignoring whitespace differences, and no single shift of indentation turns old_text's into the file's \(old_text line 1 has no indentation, the file's line there 4 spaces\)\. Nothing was written/,
  );
});

test('blank lines in new_text stay blank when it is re-indented', () => {
  const r = ok(applyEdits('  a\n  b\n', [{ old_text: 'a\nb', new_text: 'a\n\nb' }]));
  assert.equal(r.text, '  a\n\n  b\n');
});

// Line endings: matching reads CRLF as LF, but the file's bytes decide the places and the endings.

test('in a mixed file, blocks that differ only by their endings are two places', () => {
  const text = 'start\r\nfoo()\r\nend\r\nfoo()\nend\n';
  assert.match(
    fail(applyEdits(text, [{ old_text: 'foo()\nend', new_text: 'bar()\nend' }])),
    /^Edit 1: old_text found 2 times \(lines 2, 4\)/,
  );
  // replace_all takes both, each written with its own lines' ending.
  const r = ok(applyEdits(text, [{ old_text: 'foo()\nend', new_text: 'bar()\nend', replace_all: true }]));
  assert.equal(r.text, 'start\r\nbar()\r\nend\r\nbar()\nend\n');
});

test("new text's endings follow the lines it replaces, else the file's majority", () => {
  // Pure CRLF: an LF old_text matches and new lines are CRLF.
  assert.equal(ok(applyEdits('a\r\nb\r\n', [{ old_text: 'a\nb', new_text: 'x\ny\nz' }])).text, 'x\r\ny\r\nz\r\n');
  // Mixed: a span over one CRLF and one LF line takes the majority (3 CRLF to 1 LF).
  assert.equal(
    ok(applyEdits('a\r\nb\r\nc\nd\r\n', [{ old_text: 'b\nc', new_text: 'B\nC' }])).text,
    'a\r\nB\r\nC\nd\r\n',
  );
  // An LF line in a mostly CRLF file stays LF; a CRLF new_text in an LF file becomes LF.
  assert.equal(
    ok(applyEdits('x\ny\nz\r\nw\r\n', [{ old_text: 'y', new_text: 'y1\ny2' }])).text,
    'x\ny1\ny2\nz\r\nw\r\n',
  );
  assert.equal(ok(applyEdits('p\nq\n', [{ old_text: 'p', new_text: 'p1\r\np2' }])).text, 'p1\np2\nq\n');
  // The change's offsets are the file's own: 'y1\ny2' starts at 2.
  assert.deepEqual(ok(applyEdits('x\ny\nz\r\n', [{ old_text: 'y', new_text: 'y1\ny2' }])).changes, [
    { start: 2, end: 7 },
  ]);
});

test('a CRLF file re-indented keeps CRLF on every line', () => {
  const text = 'def f():\r\n    if a:\r\n        b()\r\n';
  const r = ok(applyEdits(text, [{ old_text: 'if a:\n    b()', new_text: 'if a:\n    c()\n    d()' }]));
  assert.equal(r.text, 'def f():\r\n    if a:\r\n        c()\r\n        d()\r\n');
});

// Creating: an empty old_text on an empty text.

test('an empty old_text on an empty text makes new_text the whole text', () => {
  const r = ok(applyEdits('', [{ old_text: '', new_text: 'print("hi")\r\n' }]));
  assert.equal(r.text, 'print("hi")\r\n', 'written as given, like write: there are no endings to follow');
  assert.deepEqual(r.changes, [{ start: 0, end: 13 }]);
  assert.deepEqual(r.notes, ['Edit 1: old_text was empty and so was the file, so new_text became its whole content.']);
});

// Typographic look-alikes, both directions; the file keeps its characters outside the span.

test('curly quotes and dashes in the file match plain ones in old_text', () => {
  const text = 'title = “Hello — world”\nkeep = “x”\n';
  const r = ok(applyEdits(text, [{ old_text: 'title = "Hello - world"', new_text: 'title = "Hi"' }]));
  assert.equal(r.text, 'title = "Hi"\nkeep = “x”\n');
  assert.deepEqual(r.notes, [
    'Edit 1: old_text matched at line 1 only with typographic look-alikes (curly quotes, Unicode dashes and ' +
      'spaces, full-width punctuation) read as their plain characters; the file keeps its own characters outside ' +
      'the replaced text; new_text was written as given.',
  ]);
});

test('curly quotes and an en dash in old_text match plain ones in the file', () => {
  const text = 'const s = "don\'t";\nconst r = a - b;\n';
  const r = ok(applyEdits(text, [{ old_text: 'const s = “don’t”;', new_text: 'const s = "do";' }]));
  assert.equal(r.text, 'const s = "do";\nconst r = a - b;\n');
  const r2 = ok(applyEdits(text, [{ old_text: 'a – b', new_text: 'a + b' }]));
  assert.equal(r2.text, 'const s = "don\'t";\nconst r = a + b;\n');
});

test('a no-break space inside a line matches a plain one, and the other no-break spaces stay', () => {
  const text = 'x = f(a\u00A0b) + 1;\ny = "a\u00A0b";\n';
  const r = ok(applyEdits(text, [{ old_text: 'f(a b)', new_text: 'g(a b)' }]));
  assert.equal(r.text, 'x = g(a b) + 1;\ny = "a\u00A0b";\n');
  // The reverse: an em space and an ideographic space in old_text, plain spaces in the file.
  const r2 = ok(applyEdits('let a = 1;\n', [{ old_text: 'a\u2003=\u30001', new_text: 'a = 2' }]));
  assert.equal(r2.text, 'let a = 2;\n');
});

test('full-width punctuation matches ASCII, both ways', () => {
  assert.equal(ok(applyEdits('total：100\n', [{ old_text: 'total:100', new_text: 'total:200' }])).text, 'total:200\n');
  assert.equal(ok(applyEdits('f(x,y)\n', [{ old_text: 'f（x，y）', new_text: 'g(x,y)' }])).text, 'g(x,y)\n');
});

test('a look-alike match that is not unique is refused', () => {
  const err = fail(applyEdits('a “q” b\nc “q” d\n', [{ old_text: '"q"', new_text: "'q'" }]));
  assert.match(
    err,
    /^Edit 1: old_text not found exactly; reading look-alike characters as plain ones it matches 2 places \(lines 1, 2\)/,
  );
});

// Part of one line, with whitespace at its ends the file does not have there.

test('part of a line matches without the whitespace at its ends, and only when unique', () => {
  const r = ok(applyEdits('x=foo(1);\n', [{ old_text: '  foo(1) ', new_text: '  foo(2) ' }]));
  assert.equal(r.text, 'x=foo(2);\n');
  assert.deepEqual(r.notes, [
    'Edit 1: old_text matched part of line 1 only when ignoring the whitespace at its ends; new_text, without that whitespace, replaced just that part.',
  ]);
  assert.match(
    fail(applyEdits('x=foo(1);y=foo(1);\n', [{ old_text: ' foo(1)', new_text: 'foo(2)' }])),
    /^Edit 1: old_text not found exactly; ignoring the whitespace at its ends it matches 2 places \(lines 1, 1\)/,
  );
});

// Near misses fail and show the closest text.

test('a near miss is refused and shows the most similar lines, numbered, with the first difference', () => {
  const text = 'def area(r):\n    return 3.14 * r * r\n\ndef perimeter(r):\n    return 2 * 3.14 * r\n';
  const err = fail(applyEdits(text, [{ old_text: 'def area(r):\n    return 3.14 * r ** 2', new_text: 'x' }]));
  assert.equal(
    err,
    [
      'Edit 1: old_text not found in the file (also tried ignoring whitespace differences and typographic look-alikes).',
      'The most similar text in the file is at lines 1–2 (numbered like read):',
      '1\tdef area(r):',
      '2\t    return 3.14 * r * r',
      'The first line that differs is line 2; old_text has there:',
      '\t    return 3.14 * r ** 2',
      'Read the file again and copy old_text exactly, including indentation.',
    ].join('\n'),
  );
});

test('in a big file the closest text is still found where old_text shares lines with it', () => {
  const lines = Array.from({ length: 100_000 }, (_, i) => `line ${i + 1}`);
  const old = 'line 50000\nline 50001\nline 50002 changed\nline 50003\nline 50004';
  const err = fail(applyEdits(`${lines.join('\n')}\n`, [{ old_text: old, new_text: 'x' }]));
  assert.match(err, /The most similar text in the file is at lines 50000–50004/);
  assert.match(err, /The first line that differs is line 50002; old_text has there:\n\tline 50002 changed\n/);
  assert.match(err, /\n50002\tline 50002\n/);
});

test('a splice that would cut an emoji in half is no match', () => {
  // '🎉' is two UTF-16 units; old_text ending with the first one would leave a lone surrogate.
  assert.match(fail(applyEdits('a🎉b\n', [{ old_text: 'a\uD83C', new_text: 'x' }])), /not found/);
});
