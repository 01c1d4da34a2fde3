// The client's pure pieces behind @-mentions: ranking workspace paths for the picker, terminal output
// made readable for the model, a chip's target split into path and line range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankPaths } from '../../../client/src/file-rank.ts';
import { keepTail, plainTerminalText } from '../../../client/src/terminal-text.ts';

const FILES = [
  'src/app.ts',
  'src/lib/mapper.ts',
  'test/app.test.ts',
  'docs/apple/notes.md',
  'src/happy.ts',
  'README.md',
  'webapp/index.ts',
];

test('basename prefix beats basename substring beats path substring; files first, then shorter paths, then by name', () => {
  assert.deepStrictEqual(rankPaths(FILES, 'app'), [
    { path: 'src/app.ts', kind: 'file' }, // basename starts with "app"
    { path: 'test/app.test.ts', kind: 'file' },
    { path: 'docs/apple', kind: 'folder' }, // a folder derived from a file's path
    { path: 'src/happy.ts', kind: 'file' }, // basename contains it
    { path: 'src/lib/mapper.ts', kind: 'file' },
    { path: 'webapp', kind: 'folder' },
    { path: 'webapp/index.ts', kind: 'file' }, // only the path contains it
    { path: 'docs/apple/notes.md', kind: 'file' },
  ]);
});

test('the query is case-insensitive, may hold a path, and the result is capped', () => {
  assert.deepStrictEqual(
    rankPaths(FILES, 'SRC/LIB').map((r) => r.path),
    ['src/lib/mapper.ts', 'src/lib'],
  );
  assert.deepStrictEqual(
    rankPaths(FILES, 'readme').map((r) => r.path),
    ['README.md'],
  );
  assert.deepStrictEqual(rankPaths(FILES, 'zzz'), []);
  const many = Array.from({ length: 500 }, (_, i) => `f/file${i}.ts`);
  assert.equal(rankPaths(many, 'file', 50).length, 50);
  assert.equal(rankPaths(many, '', 50).length, 50, 'an empty query lists the first paths');
});

test('terminal output loses escape sequences, keeps the last state of a redrawn line, and its tail', () => {
  const raw = '\x1b]633;C\x07\x1b[31merror\x1b[0m: boom\r\n10%\r50%\r100%\r\nok\x1b[K\r\n';
  assert.equal(plainTerminalText(raw), 'error: boom\n100%\nok\n');
  assert.deepStrictEqual(keepTail('short', 10), { text: 'short', cut: false });
  const long = `${'a'.repeat(50)}\nline2\nline3`;
  assert.deepStrictEqual(keepTail(long, 15), { text: 'line2\nline3', cut: true });
});
