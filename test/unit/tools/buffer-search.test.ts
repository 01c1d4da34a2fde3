// grep where some files have unsaved editor buffers: the buffers are searched in place of their files,
// in rg's own order, and only when rg would search the file (ignore rules and globs still decide).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepTool } from '../../../server/src/tools/grep.ts';
import type { WorkspaceFiles } from '../../../server/src/tools/types.ts';
import { searchWithBuffers, type UnsavedBuffer } from '../../../server/src/workspace/buffer-search.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

/** The disk, with these buffers over it: what EditorFiles does once it knows which documents are dirty. */
function withBuffers(buffers: UnsavedBuffer[]): WorkspaceFiles {
  const disk = new DiskFiles();
  return Object.assign(Object.create(disk) as DiskFiles, {
    search: (q: Parameters<DiskFiles['search']>[0]) => searchWithBuffers((x) => disk.search(x), q, buffers),
  });
}

test("a buffer's text is found and its file's disk text is not; the order stays rg's", async (t) => {
  const root = tempDir(t);
  writeFiles(root, {
    'a.txt': 'needle on disk\n',
    'b.txt': 'saved\n',
    'c.txt': 'needle c\n',
    'sub/d.txt': 'needle d\n',
  });
  const files = withBuffers([
    { rel: 'b.txt', text: 'one\nneedle only in the buffer\n' },
    { rel: 'a.txt', text: 'nothing here\n' },
  ]);
  const r = await call(grepTool, { pattern: 'needle' }, makeCtx(root, { files }));
  assert.equal(r.output, 'b.txt:2: needle only in the buffer\nc.txt:1: needle c\nsub/d.txt:1: needle d');
});

test('pages and context work across buffers and disk files', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'm\n', 'b.txt': 'x\n', 'c.txt': 'm\nm\n' });
  const files = withBuffers([{ rel: 'b.txt', text: 'before\nm\nafter\n' }]);
  const ctx = makeCtx(root, { files });
  const p1 = await call(grepTool, { pattern: '^m$', limit: 2, context: 1 }, ctx);
  assert.match(p1.output, /^a\.txt:1: m\n--\nb\.txt-1- before\nb\.txt:2: m\nb\.txt-3- after\n/);
  const p2 = await call(grepTool, { pattern: '^m$', limit: 2, context: 1, cursor: p1.nextCursor }, ctx);
  assert.match(p2.output, /^c\.txt:1: m\nc\.txt:2: m\n/);
});

test('a buffer of an ignored file, or one outside the glob or path, is not searched', async (t) => {
  const root = tempDir(t);
  writeFiles(root, {
    '.gitignore': 'gen/\n',
    'gen/x.ts': 'old\n',
    'src/y.ts': 'old\n',
    'src/z.md': 'old\n',
    'top.ts': 'old\n',
  });
  const files = withBuffers([
    { rel: 'gen/x.ts', text: 'needle\n' },
    { rel: 'src/z.md', text: 'needle\n' },
    { rel: 'top.ts', text: 'needle\n' },
    { rel: 'src/y.ts', text: 'needle\n' },
  ]);
  const r = await call(grepTool, { pattern: 'needle', path: 'src', glob: '*.ts' }, makeCtx(root, { files }));
  assert.equal(r.output, 'src/y.ts:1: needle');
});
