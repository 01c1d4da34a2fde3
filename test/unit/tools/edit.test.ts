import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
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
    'Edit 2: old_text found 2 times — add more surrounding lines to make it unique, or set ' +
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
    '"nope.ts" does not exist. Use write to create a new file.',
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
