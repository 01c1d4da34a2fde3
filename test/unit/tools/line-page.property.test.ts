// readPage against the obvious whole-file algorithm (decode, split on \n, drop a final empty piece,
// strip CR, cut long lines), over random files fed in random chunk sizes: lines split across chunks,
// multi-byte characters split across chunks, a BOM, CRs at chunk ends, a tiny count budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPage } from '../../../server/src/tools/line-page.ts';
import { cutLine } from '../../../server/src/tools/tool-util.ts';

function wholeFile(buf: Buffer, offset: number, limit: number, maxPageChars: number) {
  let text = buf.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text === '' ? [] : text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const perLine = String(offset + limit - 1).length + 2;
  const page: string[] = [];
  let chars = 0;
  for (let n = offset; n <= Math.min(lines.length, offset + limit - 1); n++) {
    const line = cutLine(lines[n - 1]!.replace(/\r$/, ''));
    if (page.length > 0 && chars + line.length + perLine > maxPageChars) break;
    page.push(line);
    chars += line.length + perLine;
  }
  return { total: lines.length, page };
}

async function* chunked(b: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

test('readPage gives the same page as splitting the whole file, for any chunking', async () => {
  let seed = 13; // mulberry32: the same files every run
  const rand = (n: number): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) % n;
  };
  const pieces = ['a', 'é', '😀', '\n', '\r\n', '\r', 'xyz', '\n\n'];
  for (let iter = 0; iter < 800; iter++) {
    let s = rand(10) === 0 ? '\uFEFF' : '';
    for (let i = rand(40); i > 0; i--) s += rand(8) === 0 ? 'L'.repeat(1990 + rand(30)) : pieces[rand(pieces.length)];
    const buf = Buffer.from(s, 'utf8');
    const offset = 1 + rand(8);
    const limit = 1 + rand(8);
    const maxPageChars = rand(3) === 0 ? 2100 : 1e9;
    const countAheadBytes = rand(2) === 0 ? 1e9 : rand(10);
    const got = await readPage(chunked(buf, 1 + rand(20)), {
      offset,
      limit,
      maxPageChars,
      countAheadBytes,
      signal: new AbortController().signal,
    });
    const want = wholeFile(buf, offset, limit, maxPageChars);
    const where = JSON.stringify({ iter, offset, limit, maxPageChars, countAheadBytes });
    assert.equal(got.kind, 'lines', where);
    if (got.kind !== 'lines') continue;
    assert.deepEqual(got.lines, want.page, where);
    if (got.total !== undefined) assert.equal(got.total, want.total, where);
    else {
      // Not counted to the end: "at least" must be true and promise a line after the page.
      assert.ok(got.atLeast <= want.total && got.atLeast >= offset + got.lines.length, where);
    }
  }
});
