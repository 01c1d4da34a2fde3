import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { lsTool, MAX_LS_ENTRIES } from '../../../server/src/tools/ls.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

function fixture(root: string): void {
  writeFiles(root, {
    'b.txt': 'hello',
    'a/inner.ts': '12345678',
    'a/deep/x': '',
    '.git/HEAD': 'ref',
    'node_modules/pkg/index.js': '',
  });
  fs.symlinkSync('b.txt', path.join(root, 'link'));
}

test('depth 1 lists the directory sorted, with types and sizes', async (t) => {
  const root = tempDir(t);
  fixture(root);
  const r = await call(lsTool, {}, makeCtx(root));
  assert.deepEqual(r, {
    ok: true,
    output: './\n  .git/\n  a/\n  b.txt  (5 bytes)\n  link -> b.txt  (symlink)\n  node_modules/',
  });
});

test('deeper listings nest, but .git and node_modules are not expanded', async (t) => {
  const root = tempDir(t);
  fixture(root);
  const r = await call(lsTool, { depth: 3 }, makeCtx(root));
  assert.equal(
    r.output,
    [
      './',
      '  .git/  (not expanded)',
      '  a/',
      '    deep/',
      '      x  (0 bytes)',
      '    inner.ts  (8 bytes)',
      '  b.txt  (5 bytes)',
      '  link -> b.txt  (symlink)',
      '  node_modules/  (not expanded)',
    ].join('\n'),
  );
  const sub = await call(lsTool, { path: 'a', depth: 2 }, makeCtx(root));
  assert.equal(sub.output, 'a/\n  deep/\n    x  (0 bytes)\n  inner.ts  (8 bytes)');
});

test('the entry cap truncates and says so', async (t) => {
  const root = tempDir(t);
  for (let i = 0; i < MAX_LS_ENTRIES + 5; i++) fs.writeFileSync(path.join(root, `f${String(i).padStart(4, '0')}`), '');
  const r = await call(lsTool, {}, makeCtx(root));
  assert.equal(r.truncated, true);
  const lines = r.output.split('\n');
  assert.equal(lines.length, 1 + MAX_LS_ENTRIES + 1);
  assert.equal(lines[MAX_LS_ENTRIES], '  f0999  (0 bytes)');
  assert.match(lines.at(-1)!, /^\[Stopped after 1000 entries/);
});

test('missing, empty, outside and over-deep requests', async (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'empty'));
  const ctx = makeCtx(root);
  assert.deepEqual(await call(lsTool, { path: 'nope' }, ctx), {
    ok: false,
    output: 'Cannot list "nope": no such file or directory.',
  });
  assert.deepEqual(await call(lsTool, { path: 'empty' }, ctx), { ok: true, output: 'empty/\n(empty directory)' });
  assert.match((await call(lsTool, { path: '..' }, ctx)).output, /outside the workspace/);
  assert.equal(lsTool.schema.safeParse({ depth: 6 }).success, false);
});

test('Stop during a deep listing ends it at the next entry', async (t) => {
  const root = tempDir(t);
  fixture(root);
  const stop = new AbortController();
  // The real disk; Stop arrives while the first folder is being read.
  const files = new (class extends DiskFiles {
    override async readDir(abs: string) {
      stop.abort();
      return super.readDir(abs);
    }
  })();
  const r = await call(lsTool, { depth: 3 }, makeCtx(root, { files, signal: stop.signal }));
  assert.deepEqual(r, { ok: false, output: 'ls was stopped: the run was cancelled.' });
});
