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
    'Edit 1: old_text found 2 times — add more surrounding lines to make it unique, or set replace_all: true to replace every occurrence.',
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

test('empty and no-op edits are errors', () => {
  assert.match(fail(applyEdits('abc', [{ old_text: '', new_text: 'x' }])), /^Edit 1: old_text is empty/);
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
  assert.match(err, /^Edit 2: old_text not found in the file \(also tried ignoring whitespace differences\)/);
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
  // The model got the indentation wrong and added a trailing space.
  const r = ok(applyEdits(text, [{ old_text: '  if (x) {\n    return 1; \n  }\n', new_text: '    return 2;\n' }]));
  assert.equal(r.text, 'function f() {\n    return 2;\n}\n');
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0]!, /^Edit 1: old_text matched only when ignoring whitespace differences \(lines 2–4\)/);
  // Inner runs of whitespace are squashed too.
  const r2 = ok(applyEdits('a  =   b;\n', [{ old_text: 'a = b;', new_text: 'a = c;' }]));
  assert.equal(r2.text, 'a = c;\n');
});

test('a whitespace-tolerant match that is not unique is refused with its lines', () => {
  const text = 'if (a) {\n  go();\n}\nif (a) {\n    go();\n}\n';
  const err = fail(applyEdits(text, [{ old_text: 'if (a) {\ngo();', new_text: 'x' }]));
  assert.match(err, /^Edit 1: old_text not found exactly; ignoring whitespace it matches 2 places \(lines 1, 4\)/);
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
