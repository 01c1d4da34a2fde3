import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readTool } from '../../../server/src/tools/read.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
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

/** The real disk, counting the bytes a read pulls through the chunked read. */
class CountingDisk extends DiskFiles {
  bytes = 0;
  override async *readChunks(abs: string): AsyncIterable<Buffer> {
    for await (const chunk of super.readChunks(abs)) {
      this.bytes += chunk.length;
      yield chunk;
    }
  }
}

const GB = 1024 ** 3;

/** 2000 text lines ("line 1" … "line 2000"), then a hole up to 1 GB: a 1 GB file whose 2001st line
 * is ~1 GB of NUL bytes with no newline (the binary check looks at the first 8 KB only). */
function bigSparse(root: string): string {
  const abs = path.join(root, 'big.log');
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}\n`).join('');
  fs.writeFileSync(abs, lines);
  fs.truncateSync(abs, GB);
  return abs;
}

test('one line of a 1 GB file is read without loading the file; the footer says "at least"', async (t) => {
  const root = tempDir(t);
  bigSparse(root);
  const disk = new CountingDisk();
  const r = await call(readTool, { path: 'big.log', limit: 1 }, makeCtx(root, { files: disk }));
  // Counted 16 MB past the page: all 2000 newlines, then the NUL run, which is line 2001.
  assert.deepEqual(r, {
    ok: true,
    output:
      '1\tline 1\n\n[Showing lines 1-1 of at least 2001 (the file has 1073741824 bytes; its lines were counted ' +
      'only 16 MB past this page). Call read with offset 2 to continue.]',
    truncated: true,
    nextCursor: '2',
  });
  // 16 MB of counting plus a chunk on either side, not 1 GB.
  assert.ok(disk.bytes <= 16 * 1024 * 1024 + 2 * 256 * 1024, `read ${disk.bytes} bytes`);
});

test('a page deep in a file of many lines is streamed to; the total is exact when the end is near', async (t) => {
  const root = tempDir(t);
  const n = 3_000_000;
  const fd = fs.openSync(path.join(root, 'many.txt'), 'w');
  for (let start = 1; start <= n; start += 100_000) {
    const block = Array.from({ length: 100_000 }, (_, i) => `${start + i}\n`).join('');
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
  const r = await call(readTool, { path: 'many.txt', offset: n - 2, limit: 2 }, makeCtx(root));
  assert.deepEqual(r, {
    ok: true,
    output: `2999998\t2999998\n2999999\t2999999\n\n[Showing lines 2999998-2999999 of 3000000. Call read with offset 3000000 to continue.]`,
    truncated: true,
    nextCursor: '3000000',
  });
  const last = await call(readTool, { path: 'many.txt', offset: n }, makeCtx(root));
  assert.deepEqual(last, { ok: true, output: '3000000\t3000000' });
});

test('Stop ends a long read promptly; the time limit gives up with advice', async (t) => {
  const root = tempDir(t);
  bigSparse(root);
  // Line 3000 lies past the 1 GB run of NULs: reaching it means reading the whole file.
  const before = new AbortController();
  before.abort();
  const pre = await call(readTool, { path: 'big.log', offset: 3000 }, makeCtx(root, { signal: before.signal }));
  assert.deepEqual(pre, { ok: false, output: 'read was stopped: the run was cancelled.' });

  const stop = new AbortController();
  const disk = new CountingDisk();
  setTimeout(() => stop.abort(), 30);
  const mid = await call(
    readTool,
    { path: 'big.log', offset: 3000 },
    makeCtx(root, { signal: stop.signal, files: disk }),
  );
  assert.deepEqual(mid, { ok: false, output: 'read was stopped: the run was cancelled.' });
  assert.ok(disk.bytes < GB, 'stopped before the end of the file');

  const slow = await call(readTool, { path: 'big.log', offset: 3000 }, makeCtx(root, { timeLimitMs: 30 }));
  assert.deepEqual(slow, {
    ok: false,
    output:
      'read gave up after 30 ms (its time limit) before reaching line 3000 of "big.log". To find a line deep in a ' +
      'big file, grep for it and read from its line number.',
  });
});

test('a BOM is dropped and CRLF lines come without CR; a NUL past the first 8 KB is still text', async (t) => {
  const root = tempDir(t);
  const late = Buffer.concat([Buffer.from(`${'a'.repeat(9000)}\nb`), Buffer.from([0]), Buffer.from('\n')]);
  writeFiles(root, { 'bom.txt': '\uFEFFone\r\ntwo\r\n', 'late.txt': late });
  assert.deepEqual(await call(readTool, { path: 'bom.txt' }, makeCtx(root)), { ok: true, output: '1\tone\n2\ttwo' });
  const r = await call(readTool, { path: 'late.txt', offset: 2 }, makeCtx(root));
  assert.deepEqual(r, { ok: true, output: '2\tb\u0000' });
});
