import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findTool } from '../../../server/src/tools/find.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

function fixture(root: string): void {
  writeFiles(root, {
    '.gitignore': 'dist/\n*.log\n',
    'app.log': '',
    'src/a.ts': '',
    'src/b.log': '',
    'src/sub/c.ts': '',
    'dist/out.ts': '',
    '.hidden/h.ts': '',
    '.git/hooks/x.ts': '',
    'root.ts': '',
    'README.md': '',
  });
}

test('find honours .gitignore, includes hidden files and skips .git', async (t) => {
  const root = tempDir(t);
  fixture(root);
  const r = await call(findTool, { pattern: '*.ts' }, makeCtx(root));
  assert.deepEqual(r, { ok: true, output: '.hidden/h.ts\nroot.ts\nsrc/a.ts\nsrc/sub/c.ts' });
  // Ignored files stay ignored even when the pattern names them (rg --glob alone would list them).
  const logs = await call(findTool, { pattern: '*.log' }, makeCtx(root));
  assert.deepEqual(logs, { ok: true, output: 'No files match "*.log" in the workspace.' });
});

test('patterns with a slash match relative to path; path scopes the search', async (t) => {
  const root = tempDir(t);
  fixture(root);
  const ctx = makeCtx(root);
  assert.equal((await call(findTool, { pattern: 'src/**/*.ts' }, ctx)).output, 'src/a.ts\nsrc/sub/c.ts');
  assert.equal((await call(findTool, { pattern: 'sub/*.ts', path: 'src' }, ctx)).output, 'src/sub/c.ts');
  assert.equal((await call(findTool, { pattern: '*.ts', path: 'src/sub' }, ctx)).output, 'src/sub/c.ts');
});

test('limit truncates and says so', async (t) => {
  const root = tempDir(t);
  fixture(root);
  const r = await call(findTool, { pattern: '*.ts', limit: 2 }, makeCtx(root));
  assert.equal(r.truncated, true);
  assert.equal(
    r.output,
    '.hidden/h.ts\nroot.ts\n[Showing the first 2 matches; there are more. Narrow the pattern or path, or raise limit.]',
  );
});

test('outside or missing paths are refused', async (t) => {
  const root = tempDir(t);
  const ctx = makeCtx(root);
  assert.match((await call(findTool, { pattern: '*', path: '../' }, ctx)).output, /outside the workspace/);
  assert.deepEqual(await call(findTool, { pattern: '*', path: 'nope' }, ctx), {
    ok: false,
    output: 'Cannot search "nope": no such file or directory.',
  });
});

test('find lists credentials files by name (a name is not its contents) and honours Stop and its limit', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { '.env': 'TOKEN=abc\n', 'a.ts': '' });
  assert.deepEqual(await call(findTool, { pattern: '*' }, makeCtx(root)), { ok: true, output: '.env\na.ts' });
  const stop = new AbortController();
  stop.abort();
  assert.deepEqual(await call(findTool, { pattern: '*' }, makeCtx(root, { signal: stop.signal })), {
    ok: false,
    output: 'find was stopped: the run was cancelled.',
  });
  assert.deepEqual(await call(findTool, { pattern: '*' }, makeCtx(root, { timeLimitMs: 0 })), {
    ok: false,
    output:
      'find gave up after 0 ms (its time limit) before the listing finished. Try again with a narrower path or pattern.',
  });
});
