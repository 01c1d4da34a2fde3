import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';

describe('DiskFiles confined to a workspace', () => {
  it('writes inside, creating folders', async () => {
    const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'agio-disk-')));
    try {
      const ws = join(tmp, 'ws');
      mkdirSync(ws);
      await new DiskFiles(ws).writeText(join(ws, 'a', 'b.txt'), 'hi');
      assert.equal(readFileSync(join(ws, 'a', 'b.txt'), 'utf8'), 'hi');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses when the folder turned into a symlink leading out after the path was checked', async () => {
    const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'agio-disk-')));
    try {
      const ws = join(tmp, 'ws');
      const outside = join(tmp, 'outside');
      mkdirSync(ws);
      mkdirSync(outside);
      // The policy resolved ws/sub/x.txt while ws/sub did not exist; then a link to `outside` appeared.
      symlinkSync(outside, join(ws, 'sub'));
      await assert.rejects(new DiskFiles(ws).writeText(join(ws, 'sub', 'x.txt'), 'pwned'), /outside the workspace/);
      assert.equal(existsSync(join(outside, 'x.txt')), false, 'nothing was written outside');
      assert.deepEqual(readdirSync(outside), [], 'not even a temp file was left outside');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
