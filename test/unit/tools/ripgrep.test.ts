import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { rgPath, runRg } from '../../../server/src/workspace/ripgrep.ts';
import { tempDir, writeFiles } from './helpers.ts';

test('the bundled rg for this platform is used', () => {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  assert.equal(
    rgPath().endsWith(path.join('ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, exe)),
    true,
    rgPath(),
  );
});

test('runRg collects output, caps it, and stops on request', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': '', 'b.txt': '', 'c.txt': '' });
  const all = await runRg(['--files', '--sort', 'path'], { cwd: root });
  assert.deepEqual(
    { code: all.code, stdout: all.stdout, truncated: all.truncated },
    { code: 0, stdout: 'a.txt\nb.txt\nc.txt\n', truncated: false },
  );
  const capped = await runRg(['--files', '--sort', 'path'], { cwd: root, maxBytes: 13 });
  assert.deepEqual(
    { stdout: capped.stdout, truncated: capped.truncated, code: capped.code },
    { stdout: 'a.txt\nb.txt\n', truncated: true, code: null },
  );
  const seen: string[] = [];
  const stopped = await runRg(['--files', '--sort', 'path'], { cwd: root, onLine: (l) => seen.push(l) === 1 });
  assert.deepEqual(seen, ['a.txt']);
  assert.equal(stopped.stopped, true);
  const ac = new AbortController();
  ac.abort();
  assert.equal((await runRg(['--files'], { cwd: root, signal: ac.signal })).aborted, true);
});
