import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTool } from '../../../server/src/tools/read.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

test('lines come numbered, a final newline adds no empty line, CR is dropped', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'one\ntwo\r\nthree\n' });
  const r = await call(readTool, { path: 'a.txt' }, makeCtx(root));
  assert.deepEqual(r, { ok: true, output: '1\tone\n2\ttwo\n3\tthree' });
});

test('pages: limit cuts, nextCursor and the note give the next offset, the last page is plain', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'p.txt': 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11' });
  const ctx = makeCtx(root);
  const p1 = await call(readTool, { path: 'p.txt', limit: 4 }, ctx);
  assert.deepEqual(p1, {
    ok: true,
    output: '1\tl1\n2\tl2\n3\tl3\n4\tl4\n\n[Showing lines 1-4 of 11. Call read with offset 5 to continue.]',
    truncated: true,
    nextCursor: '5',
  });
  const p2 = await call(readTool, { path: 'p.txt', offset: 9, limit: 4 }, ctx);
  // Numbers are padded to the widest on the page.
  assert.deepEqual(p2, { ok: true, output: ' 9\tl9\n10\tl10\n11\tl11' });
  const past = await call(readTool, { path: 'p.txt', offset: 12 }, ctx);
  assert.deepEqual(past, { ok: false, output: 'offset 12 is past the end of "p.txt", which has 11 lines.' });
});

test('binary files and directories are refused; directories point to ls', async (t) => {
  const root = tempDir(t);
  const bin = Buffer.alloc(100, 0x41);
  bin[50] = 0;
  writeFiles(root, { 'img.bin': bin, 'dir/x.txt': 'x' });
  const ctx = makeCtx(root);
  const b = await call(readTool, { path: 'img.bin' }, ctx);
  assert.deepEqual(b, {
    ok: false,
    output: '"img.bin" looks like a binary file (it contains NUL bytes), so it was not read as text.',
  });
  const d = await call(readTool, { path: 'dir' }, ctx);
  assert.deepEqual(d, { ok: false, output: 'Cannot read "dir": it is a directory. Use ls to list a directory.' });
  const m = await call(readTool, { path: 'missing.txt' }, ctx);
  assert.deepEqual(m, { ok: false, output: 'Cannot read "missing.txt": no such file or directory.' });
});

test('over-long lines are cut with a note; empty files say so', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'long.txt': `${'x'.repeat(2500)}\nshort\n`, 'empty.txt': '' });
  const r = await call(readTool, { path: 'long.txt' }, makeCtx(root));
  assert.equal(r.output, `1\t${'x'.repeat(2000)} … [line cut: 500 more chars]\n2\tshort`);
  assert.deepEqual(await call(readTool, { path: 'empty.txt' }, makeCtx(root)), {
    ok: true,
    output: '(empty.txt is empty)',
  });
});

test('paths outside the workspace are refused', async (t) => {
  const root = tempDir(t);
  const r = await call(readTool, { path: '/etc/hostname' }, makeCtx(root));
  assert.equal(r.ok, false);
  assert.match(r.output, /outside the workspace/);
});
