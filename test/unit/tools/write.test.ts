import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeTool } from '../../../server/src/tools/write.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

test('write creates a file with its parents, then overwrites it', async (t) => {
  const root = tempDir(t);
  const ctx = makeCtx(root);
  const c = await call(writeTool, { path: 'a/b/c.txt', content: 'one\ntwo\n' }, ctx);
  assert.deepEqual(c, { ok: true, output: 'Created a/b/c.txt (2 lines).' });
  assert.equal(fs.readFileSync(path.join(root, 'a/b/c.txt'), 'utf8'), 'one\ntwo\n');
  const o = await call(writeTool, { path: 'a/b/c.txt', content: 'x' }, ctx);
  assert.deepEqual(o, { ok: true, output: 'Overwrote a/b/c.txt (1 line; it had 2).' });
  assert.equal(fs.readFileSync(path.join(root, 'a/b/c.txt'), 'utf8'), 'x');
  // No temp files left behind next to the target.
  assert.deepEqual(fs.readdirSync(path.join(root, 'a/b')), ['c.txt']);
});

test('write refuses directories, outside paths and paths under a file', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'd/x': '', f: '' });
  const ctx = makeCtx(root);
  assert.deepEqual(await call(writeTool, { path: 'd', content: '' }, ctx), {
    ok: false,
    output: 'Cannot write "d": it is a directory. Use ls to list a directory.',
  });
  assert.match((await call(writeTool, { path: '../escape.txt', content: '' }, ctx)).output, /outside the workspace/);
  assert.equal(fs.existsSync(path.join(root, '..', 'escape.txt')), false);
  const under = await call(writeTool, { path: 'f/child.txt', content: '' }, ctx);
  assert.equal(under.ok, false);
  assert.match(under.output, /^Cannot write "f\/child\.txt"/);
});

test('DiskFiles.writeText keeps the mode of the file it replaces', async (t) => {
  const root = tempDir(t);
  const file = path.join(root, 'run.sh');
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o754);
  await new DiskFiles().writeText(file, '#!/bin/sh\necho hi\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o754);
  assert.equal(fs.readFileSync(file, 'utf8'), '#!/bin/sh\necho hi\n');
  assert.deepEqual(fs.readdirSync(root), ['run.sh']);
});
