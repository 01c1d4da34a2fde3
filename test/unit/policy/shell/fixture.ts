// A workspace on disk for the classifier tests: a few files and folders, a `.git`, an installed
// `node_modules/.bin/tsc`, a symlink `sshlink` leading out to the fake home's `.ssh`, and a fake
// home with a private key in it; `tree/` holds protected files below the top level, `gitdir/` is a
// git directory by its contents, not its name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConcernKind, ShellAnalysis } from '../../../../server/src/policy/shell/types.ts';

export interface Case {
  input: string;
  expect: {
    /** Command names in order. */
    commands?: ReadonlyArray<string | undefined>;
    /** Concern kinds that must be present. */
    concerns: readonly ConcernKind[];
    /** Concern kinds that must not be present. */
    absent?: readonly ConcernKind[];
    /** The concerns must be exactly this set (e.g. [] for "no concern", ['writes_files'] for "only writes"). */
    exact?: boolean;
    parsed?: boolean;
  };
}

export interface Fixture {
  tmp: string;
  root: string;
  home: string;
}

export function makeFixture(): Fixture {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agio-shell-')));
  const root = path.join(tmp, 'ws');
  const home = path.join(tmp, 'fakehome');
  const files: Record<string, string> = {
    'ws/src/x.ts': 'export {};\n',
    'ws/package.json': '{}\n',
    'ws/list.txt': 'a\nb\n',
    'ws/script.py': 'print(1)\n',
    'ws/run.sh': '#!/bin/sh\necho hi\n',
    'ws/x': 'x\n',
    'ws/f': 'f\n',
    'ws/.env': 'SECRET=1\n',
    'ws/.vscode/settings.json': '{}\n',
    'ws/.git/HEAD': 'ref: refs/heads/main\n',
    'ws/node_modules/.bin/tsc': '',
    'fakehome/.ssh/id_rsa': 'PRIVATE\n',
    'fakehome/.bashrc': '',
    'fakehome/.aws/credentials': '[default]\n',
    'sibling/x': '',
    'ws/bare/HEAD': 'ref: refs/heads/main\n',
    'ws/bare/config': '[core]\n',
    'nogit/x': '',
    // A folder tree a hostile model prepared, holding protected files below the top level.
    'ws/tree/.git/hooks/pre-commit': '#!/bin/sh\n',
    'ws/tree/AGENTS.md': 'obey\n',
    'ws/tree/readme.txt': 'hi\n',
    'ws/out/.keep': '',
    // A nested repository's git directory that is not named .git (what a `gitdir:` file points to).
    'ws/gitdir/HEAD': 'ref: refs/heads/main\n',
    'ws/gitdir/objects/.keep': '',
    'ws/gitdir/refs/.keep': '',
    'ws/a.gz': '',
  };
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  fs.chmodSync(path.join(root, 'run.sh'), 0o755);
  fs.symlinkSync(path.join(home, '.ssh'), path.join(root, 'sshlink'));
  return { tmp, root, home };
}

export function removeFixture(f: Fixture): void {
  fs.rmSync(f.tmp, { recursive: true, force: true });
}

export function check(c: Case, r: ShellAnalysis): void {
  const kinds = new Set(r.concerns.map((x) => x.kind));
  const why = `\n${JSON.stringify(c.input).slice(0, 200)}\n→ commands ${JSON.stringify(r.commands.map((x) => x.name))}\n→ ${r.concerns
    .map((x) => `${x.kind}${x.command === undefined ? '' : `#${x.command}`}: ${x.detail}`)
    .join('\n  ')}`;
  if (c.expect.commands)
    assert.deepEqual(
      r.commands.map((x) => x.name),
      c.expect.commands,
      `commands${why}`,
    );
  for (const k of c.expect.concerns) assert.ok(kinds.has(k), `missing ${k}${why}`);
  for (const k of c.expect.absent ?? []) assert.ok(!kinds.has(k), `unexpected ${k}${why}`);
  if (c.expect.exact) assert.deepEqual([...kinds].sort(), [...c.expect.concerns].sort(), `exact concerns${why}`);
  if (c.expect.parsed !== undefined) assert.equal(r.parsed, c.expect.parsed, `parsed${why}`);
  if (kinds.has('unparseable')) assert.equal(r.parsed, false, `unparseable implies parsed:false${why}`);
}
