import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { previewWrite } from '../../../server/src/policy/preview.ts';
import { editTool } from '../../../server/src/tools/edit.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

test('a successful edit reports the count and numbered context', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.ts': 'l1\nl2\nl3\nl4\nl5\nl6\nl7\n' });
  const r = await call(editTool, { path: 'a.ts', edits: [{ old_text: 'l4', new_text: 'four' }] }, makeCtx(root));
  assert.equal(r.ok, true);
  assert.equal(fs.readFileSync(path.join(root, 'a.ts'), 'utf8'), 'l1\nl2\nl3\nfour\nl5\nl6\nl7\n');
  assert.equal(r.output, 'Edited a.ts: 1 replacement.\n\n2\tl2\n3\tl3\n4\tfour\n5\tl5\n6\tl6');
});

test('when the second edit fails the file bytes are untouched', async (t) => {
  const root = tempDir(t);
  const before = Buffer.from('alpha\nbeta\nbeta\n');
  writeFiles(root, { 'f.txt': before });
  const r = await call(
    editTool,
    {
      path: 'f.txt',
      edits: [
        { old_text: 'alpha', new_text: 'ALPHA' },
        { old_text: 'beta', new_text: 'BETA' },
      ],
    },
    makeCtx(root),
  );
  assert.equal(r.ok, false);
  assert.equal(
    r.output,
    'Edit 2: old_text found 2 times (lines 2, 3) — add more surrounding lines to make it unique, or set ' +
      'replace_all: true to replace every occurrence. No edits were applied; f.txt is unchanged.',
  );
  assert.deepEqual(fs.readFileSync(path.join(root, 'f.txt')), before);
});

test('CRLF line endings are kept when the model sends LF text', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'w.txt': 'a\r\nb\r\nc\r\n' });
  const r = await call(editTool, { path: 'w.txt', edits: [{ old_text: 'a\nb', new_text: 'x\ny\nz' }] }, makeCtx(root));
  assert.equal(r.ok, true, r.output);
  assert.equal(fs.readFileSync(path.join(root, 'w.txt'), 'utf8'), 'x\r\ny\r\nz\r\nc\r\n');
});

test('a UTF-8 BOM survives an edit at the start of the file', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'b.txt': '\uFEFFfirst\n' });
  const r = await call(editTool, { path: 'b.txt', edits: [{ old_text: 'first', new_text: 'second' }] }, makeCtx(root));
  assert.equal(r.ok, true, r.output);
  assert.equal(fs.readFileSync(path.join(root, 'b.txt'), 'utf8'), '\uFEFFsecond\n');
});

test('missing, binary, non-UTF-8 and outside files are refused', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { bin: Buffer.from([1, 0, 2]), 'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]) });
  const ctx = makeCtx(root);
  const e = [{ old_text: 'a', new_text: 'b' }];
  assert.equal(
    (await call(editTool, { path: 'nope.ts', edits: e }, ctx)).output,
    '"nope.ts" does not exist. Use write to create a new file (or edit with an empty old_text).',
  );
  assert.match((await call(editTool, { path: 'bin', edits: e }, ctx)).output, /binary/);
  const l1 = await call(editTool, { path: 'latin1.txt', edits: e }, ctx);
  assert.match(l1.output, /not valid UTF-8/);
  assert.deepEqual(fs.readFileSync(path.join(root, 'latin1.txt')), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  const out = await call(editTool, { path: '../x', edits: e }, ctx);
  assert.equal(out.ok, false);
  assert.match(out.output, /outside the workspace/);
});

test('replace_all reports every replacement', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'r.txt': 'foo\nbar\nfoo\n' });
  const r = await call(
    editTool,
    { path: 'r.txt', edits: [{ old_text: 'foo', new_text: 'baz', replace_all: true }] },
    makeCtx(root),
  );
  assert.match(r.output, /^Edited r\.txt: 2 replacements\./);
  assert.equal(fs.readFileSync(path.join(root, 'r.txt'), 'utf8'), 'baz\nbar\nbaz\n');
});

/** Runs one edit on a file holding `before` and returns the outcome and the bytes on disk after. */
async function editFile(
  t: import('node:test').TestContext,
  before: string | Buffer,
  edits: { old_text: string; new_text: string; replace_all?: boolean }[],
  name = 'f.txt',
) {
  const root = tempDir(t);
  writeFiles(root, { [name]: before });
  const r = await call(editTool, { path: name, edits }, makeCtx(root));
  return { ...r, bytes: fs.readFileSync(path.join(root, name)) };
}

test('a Python block matched at a deeper indentation lands re-indented, and the result says so', async (t) => {
  const py =
    'class Shop:\n    def total(self, items):\n        s = 0\n        for i in items:\n            s += i\n        return s\n';
  // The model copied the loop without the method's indentation and wants a discount inside it.
  const r = await editFile(
    t,
    py,
    [
      {
        old_text: 'for i in items:\n    s += i\n',
        new_text: 'for i in items:\n    if i > 100:\n        i *= 0.9\n    s += i\n',
      },
    ],
    'shop.py',
  );
  assert.equal(r.ok, true, r.output);
  assert.equal(
    r.bytes.toString('utf8'),
    'class Shop:\n    def total(self, items):\n        s = 0\n        for i in items:\n            if i > 100:\n' +
      '                i *= 0.9\n            s += i\n        return s\n',
  );
  assert.match(
    r.output,
    /^Edited shop\.py: 1 replacement\.\nEdit 1: old_text matched lines 4–5 only when ignoring whitespace differences; new_text was re-indented by 8 spaces more to match\.\n/,
  );
});

test('a tab-indented file is re-indented with tabs', async (t) => {
  const r = await editFile(t, 'func f() {\n\tif x {\n\t\treturn 1\n\t}\n}\n', [
    { old_text: '    if x {\n        return 1\n    }', new_text: '    if x {\n        return 2\n    }' },
  ]);
  assert.equal(r.ok, true, r.output);
  assert.equal(r.bytes.toString('utf8'), 'func f() {\n\tif x {\n\t\treturn 2\n\t}\n}\n');
});

test('refusals leave the file byte-identical: inconsistent indentation, ambiguous CRLF/LF, a near miss', async (t) => {
  const cases: [string, string | Buffer, { old_text: string; new_text: string }, RegExp][] = [
    [
      'inconsistent shift',
      'class A:\n    def f(self):\n        pass\n',
      { old_text: 'def f(self):\npass', new_text: 'def f(self):\nreturn 1' },
      /no single shift of indentation/,
    ],
    [
      'mixed endings, two places',
      Buffer.from('\uFEFFx = 1\r\ny = 2\r\nx = 1\ny = 2\n'),
      { old_text: 'x = 1\ny = 2', new_text: 'x = 3\ny = 4' },
      /^Edit 1: old_text found 2 times \(lines 1, 3\)/,
    ],
    [
      'near miss',
      'total = price * qty\n',
      { old_text: 'total = price * quantity', new_text: 'total = 0' },
      /most similar text in the file is at lines 1–1[\s\S]*\n1\ttotal = price \* qty\n[\s\S]*line 1; old_text has there:\n\ttotal = price \* quantity\n[\s\S]*No edits were applied; f\.txt is unchanged\.$/,
    ],
  ];
  for (const [what, before, edit, why] of cases) {
    const r = await editFile(t, before, [edit]);
    assert.equal(r.ok, false, what);
    assert.match(r.output, why, what);
    assert.deepEqual(r.bytes, Buffer.from(before), `${what}: file unchanged`);
  }
});

test("CRLF and LF: an edit keeps the file's own endings, majority and local", async (t) => {
  // Mostly CRLF, one LF line: a new block over CRLF lines is CRLF, one replacing the LF line is LF.
  const r = await editFile(t, 'a\r\nb\r\nc\nd\r\n', [
    { old_text: 'a', new_text: 'a1\na2' },
    { old_text: 'c', new_text: 'c1\nc2' },
  ]);
  assert.equal(r.ok, true, r.output);
  assert.equal(r.bytes.toString('utf8'), 'a1\r\na2\r\nb\r\nc1\nc2\nd\r\n');
  // The snippet shows lines as read does, without their \r.
  assert.equal(r.output.includes('\r'), false);
});

test('an empty old_text creates a missing file, and the approval shows it as new', async (t) => {
  const root = tempDir(t);
  const ctx = makeCtx(root);
  const args = editTool.schema.parse({ path: 'pkg/new.py', edits: [{ old_text: '', new_text: 'print("hi")\n' }] });
  const proposal = await editTool.propose!(args, ctx);
  assert.ok(proposal.ok);
  assert.equal(proposal.change.before, undefined, 'a new file has no before');
  assert.equal(proposal.change.after, 'print("hi")\n');
  const preview = await previewWrite(editTool, args, ctx);
  assert.match(preview!.diff, /--- a\/pkg\/new\.py\n\+\+\+ b\/pkg\/new\.py\n@@ -0,0 \+1,1 @@\n\+print\("hi"\)\n/);
  const r = await editTool.execute(args, ctx);
  assert.equal(r.ok, true, r.output);
  assert.match(r.output, /^Created pkg\/new\.py\.\nEdit 1: old_text was empty and so was the file/);
  assert.equal(fs.readFileSync(path.join(root, 'pkg/new.py'), 'utf8'), 'print("hi")\n');
});

test('an empty old_text fills an empty file but is refused on a non-empty one', async (t) => {
  const filled = await editFile(t, '', [{ old_text: '', new_text: 'first line\n' }]);
  assert.equal(filled.ok, true, filled.output);
  assert.match(filled.output, /^Edited f\.txt: 1 replacement\./);
  assert.equal(filled.bytes.toString('utf8'), 'first line\n');
  const refused = await editFile(t, 'content\n', [{ old_text: '', new_text: 'x' }]);
  assert.equal(
    refused.output,
    'Edit 1: old_text is empty but the file is not. Give the exact text to replace, or use write to replace the whole file. No edits were applied; f.txt is unchanged.',
  );
  assert.equal(refused.bytes.toString('utf8'), 'content\n');
  // A missing file with a non-empty old_text is still refused, and not created.
  const root = tempDir(t);
  const r = await call(editTool, { path: 'gone.txt', edits: [{ old_text: 'a', new_text: 'b' }] }, makeCtx(root));
  assert.equal(r.ok, false);
  assert.equal(fs.existsSync(path.join(root, 'gone.txt')), false);
});

test('look-alikes on disk: curly quotes, dashes, a no-break space and full-width punctuation', async (t) => {
  const cases: [string, { old_text: string; new_text: string }, string][] = [
    [
      'msg = “Hello — world”\nother = “x”\n',
      { old_text: 'msg = "Hello - world"', new_text: 'msg = "Hi"' },
      'msg = "Hi"\nother = “x”\n',
    ],
    ["s = 'it's'\n", { old_text: 's = ‘it’s’', new_text: "s = 'ok'" }, "s = 'ok'\n"],
    ['a\u00A0=\u00A0f(x\u00A0y)\n', { old_text: 'f(x y)', new_text: 'g(x y)' }, 'a\u00A0=\u00A0g(x y)\n'],
    ['value：１０\n', { old_text: 'value:10', new_text: 'value:20' }, 'value:20\n'],
  ];
  for (const [before, edit, after] of cases) {
    const r = await editFile(t, before, [edit]);
    assert.equal(r.ok, true, r.output);
    assert.match(r.output, /typographic look-alikes/);
    assert.equal(r.bytes.toString('utf8'), after);
  }
});

test('part of a line, whitespace at the ends ignored, is replaced in place', async (t) => {
  const r = await editFile(t, 'url = base+"/api"+suffix\n', [{ old_text: ' "/api" ', new_text: ' "/v2/api" ' }]);
  assert.equal(r.ok, true, r.output);
  assert.equal(r.bytes.toString('utf8'), 'url = base+"/v2/api"+suffix\n');
  assert.match(r.output, /matched part of line 1 only when ignoring the whitespace at its ends/);
});
