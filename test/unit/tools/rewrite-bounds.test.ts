// edit and write hold a whole file in memory: a file over their limit is refused before it is read,
// and a Stop that arrives after they planned but before they wrote leaves the file as it was.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { editTool } from '../../../server/src/tools/edit.ts';
import { MAX_REWRITE_BYTES } from '../../../server/src/tools/tool-util.ts';
import { writeTool } from '../../../server/src/tools/write.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

test('edit and write refuse a file over 16 MB without reading or changing it', async (t) => {
  const root = tempDir(t);
  const file = path.join(root, 'dump.log');
  fs.writeFileSync(file, 'first line\n');
  fs.truncateSync(file, MAX_REWRITE_BYTES + 1); // sparse: big on paper, cheap to make
  const before = fs.statSync(file);
  const ctx = makeCtx(root);
  const edited = await call(
    editTool,
    { path: 'dump.log', edits: [{ old_text: 'first line', new_text: 'changed' }] },
    ctx,
  );
  assert.equal(edited.ok, false);
  assert.match(edited.output, /"dump\.log" is 16 MB; edit rewrites whole files in memory and refuses files over 16 MB/);
  assert.match(edited.output, /Use bash/);
  const written = await call(writeTool, { path: 'dump.log', content: 'x' }, ctx);
  assert.equal(written.ok, false);
  assert.match(written.output, /write rewrites whole files in memory/);
  const after = fs.statSync(file);
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal(fs.readFileSync(file).subarray(0, 11).toString(), 'first line\n');
});

test('a file exactly at the limit is still edited', async (t) => {
  const root = tempDir(t);
  const file = path.join(root, 'big.txt');
  fs.writeFileSync(file, Buffer.alloc(MAX_REWRITE_BYTES - 5, 'a'));
  fs.appendFileSync(file, '\nEND\n');
  assert.equal(fs.statSync(file).size, MAX_REWRITE_BYTES);
  const r = await call(editTool, { path: 'big.txt', edits: [{ old_text: 'END', new_text: 'FIN' }] }, makeCtx(root));
  assert.equal(r.ok, true, r.output);
  assert.equal(fs.readFileSync(file).subarray(-4).toString(), 'FIN\n');
});

test('a Stop before the write leaves the file untouched, and says so', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'one\ntwo\n' });
  const stop = new AbortController();
  stop.abort();
  const ctx = makeCtx(root, { signal: stop.signal });
  const e = await call(editTool, { path: 'a.txt', edits: [{ old_text: 'two', new_text: 'TWO' }] }, ctx);
  assert.deepEqual(e, {
    ok: false,
    output: 'edit was stopped: the run was cancelled before anything was written; a.txt is unchanged.',
  });
  const w = await call(writeTool, { path: 'a.txt', content: 'gone' }, ctx);
  assert.equal(w.ok, false);
  assert.match(w.output, /^write was stopped/);
  assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'one\ntwo\n');
  assert.equal(fs.existsSync(path.join(root, 'new.txt')), false);
  assert.equal((await call(writeTool, { path: 'new.txt', content: 'x' }, ctx)).ok, false);
  assert.equal(fs.existsSync(path.join(root, 'new.txt')), false);
});
