// repositorySettings keeps git's answer while the files it came from look the same. These make the
// files old (so the answer is kept) and then change them the ways a command could: the kept answer
// must never outlive a change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { programSettings, repositorySettings } from '../../../server/src/workspace/inert-git.ts';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'agio-repo-settings-')));
after(() => rmSync(tmp, { recursive: true, force: true }));

const programs = (cwd: string) => programSettings(repositorySettings(cwd) ?? []).map((s) => s.key);

/** Lets every file age past the racy window, so the next answer is kept. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 2100));
}

test('a kept answer follows a changed config, a new include and a new nested repository', async () => {
  const ws = join(tmp, 'ws');
  mkdirSync(ws);
  execFileSync('git', ['init', '-q'], { cwd: ws });
  mkdirSync(join(ws, 'sub'));
  const inc = join(tmp, 'inc.gitconfig');
  execFileSync('git', ['config', 'include.path', inc], { cwd: ws });
  await settle();
  assert.deepEqual(programs(ws), []);
  assert.deepEqual(programs(join(ws, 'sub')), []);

  // The included file appears (it was missing when the answer was kept).
  writeFileSync(inc, '[diff "x"]\n\ttextconv = touch /nonexistent/m\n');
  assert.deepEqual(programs(ws), ['diff.x.textconv']);

  // The repository's own config changes, even with its size and mtime as before.
  await settle();
  assert.deepEqual(programs(ws), ['diff.x.textconv']); // kept now
  execFileSync('git', ['config', 'filter.f.clean', 'cat'], { cwd: ws });
  assert.deepEqual(programs(ws).sort(), ['diff.x.textconv', 'filter.f.clean']);

  // A nested repository appears where the answer was the outer one's.
  await settle();
  assert.deepEqual(programs(join(ws, 'sub')).sort(), ['diff.x.textconv', 'filter.f.clean']);
  execFileSync('git', ['init', '-q'], { cwd: join(ws, 'sub') });
  assert.deepEqual(programs(join(ws, 'sub')), []);
});
