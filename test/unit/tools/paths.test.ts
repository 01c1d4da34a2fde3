import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isInside, resolveInWorkspace } from '../../../server/src/workspace/paths.ts';
import { tempDir } from './helpers.ts';

/** base/proj is the workspace; base/proj-evil and base/outside are neighbours it must not reach. */
function layout(t: Parameters<typeof tempDir>[0]): { base: string; root: string } {
  const base = tempDir(t);
  const root = path.join(base, 'proj');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.mkdirSync(path.join(base, 'proj-evil'));
  fs.mkdirSync(path.join(base, 'outside', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'x');
  return { base, root };
}

function refused(root: string, p: string): string {
  const r = resolveInWorkspace(root, p);
  assert.equal(r.ok, false, `expected ${p} to be refused`);
  return r.ok ? '' : r.error;
}

test('relative, dot, empty and absolute-inside paths resolve into the workspace', (t) => {
  const { root } = layout(t);
  assert.deepEqual(resolveInWorkspace(root, 'src'), { ok: true, abs: path.join(root, 'src'), rel: 'src' });
  assert.deepEqual(resolveInWorkspace(root, '.'), { ok: true, abs: root, rel: '.' });
  assert.deepEqual(resolveInWorkspace(root, ''), { ok: true, abs: root, rel: '.' });
  assert.deepEqual(resolveInWorkspace(root, path.join(root, 'src')), {
    ok: true,
    abs: path.join(root, 'src'),
    rel: 'src',
  });
  assert.deepEqual(resolveInWorkspace(root, './src/../src/./'), { ok: true, abs: path.join(root, 'src'), rel: 'src' });
});

test('a nested path that does not exist yet resolves inside', (t) => {
  const { root } = layout(t);
  const r = resolveInWorkspace(root, 'src/new/deeper/file.ts');
  assert.deepEqual(r, { ok: true, abs: path.join(root, 'src/new/deeper/file.ts'), rel: 'src/new/deeper/file.ts' });
  // `..` after a missing folder is still inside.
  assert.deepEqual(resolveInWorkspace(root, 'missing/../b.txt'), {
    ok: true,
    abs: path.join(root, 'b.txt'),
    rel: 'b.txt',
  });
});

test('parent escapes and absolute outside paths are refused with a reason', (t) => {
  const { base, root } = layout(t);
  const err = refused(root, '../x');
  assert.match(err, /^Path "\.\.\/x" resolves to ".*\/x", which is outside the workspace ".*\/proj"/);
  refused(root, 'src/../../outside/secret.txt');
  refused(root, path.join(base, 'outside', 'secret.txt'));
  refused(root, '/etc/passwd');
  refused(root, '..');
});

test('a sibling folder sharing the name prefix is outside', (t) => {
  const { base, root } = layout(t);
  refused(root, '../proj-evil/x');
  refused(root, path.join(base, 'proj-evil'));
  assert.equal(isInside(root, path.join(base, 'proj-evil')), false);
  assert.equal(isInside(root, root), true);
  assert.equal(isInside(root, path.join(root, '..foo')), true);
  assert.equal(isInside(root, base), false);
});

test('symlinks that lead out are refused, even dangling ones and via link/..', (t) => {
  const { base, root } = layout(t);
  fs.symlinkSync(path.join(base, 'outside'), path.join(root, 'out'));
  fs.symlinkSync(path.join(base, 'outside', 'new.txt'), path.join(root, 'dangling'));
  fs.symlinkSync('../outside/sub', path.join(root, 'rel-out'));
  assert.match(refused(root, 'out/secret.txt'), /through a symbolic link/);
  refused(root, 'out');
  refused(root, 'out/not-yet.txt');
  refused(root, 'dangling'); // writing here would create base/outside/new.txt
  refused(root, 'rel-out');
  // rel-out is base/outside/sub, so rel-out/.. is base/outside, not the workspace root.
  refused(root, 'rel-out/../secret.txt');
});

test('symlinks that stay inside resolve to their real target', (t) => {
  const { root } = layout(t);
  fs.writeFileSync(path.join(root, 'src', 'a.ts'), '');
  fs.symlinkSync('src/a.ts', path.join(root, 'alias.ts'));
  fs.symlinkSync('src/later.ts', path.join(root, 'pending.ts')); // dangling, but inside
  assert.deepEqual(resolveInWorkspace(root, 'alias.ts'), {
    ok: true,
    abs: path.join(root, 'src', 'a.ts'),
    rel: 'src/a.ts',
  });
  assert.deepEqual(resolveInWorkspace(root, 'pending.ts'), {
    ok: true,
    abs: path.join(root, 'src', 'later.ts'),
    rel: 'src/later.ts',
  });
});

test('a symlink loop is an error, not a hang', (t) => {
  const { root } = layout(t);
  fs.symlinkSync('loop-b', path.join(root, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(root, 'loop-b'));
  assert.match(refused(root, 'loop-a'), /symbolic links/);
});

test('a workspace root given through a symlink is resolved first', (t) => {
  const { base, root } = layout(t);
  const alias = path.join(base, 'alias');
  fs.symlinkSync(root, alias);
  assert.deepEqual(resolveInWorkspace(alias, 'src'), { ok: true, abs: path.join(root, 'src'), rel: 'src' });
});
