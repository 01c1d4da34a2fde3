// What a repository configures git to run. Real repositories (the workspace's and a nested one), real
// git: the settings the command environment carries switch off what they can name (checked by running
// git with and without them), and the classifier finds the rest in the config of the repository each
// git command targets. Clearing those settings is dangerous env.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decide, SessionGrants, type PolicyContext } from '../../../../server/src/policy/engine.ts';
import { commandEnvironment } from '../../../../server/src/policy/secrets.ts';
import { analyzeCommand } from '../../../../server/src/policy/shell/analyze.ts';
import type { Concern } from '../../../../server/src/policy/shell/types.ts';
import { getTool } from '../../../../server/src/tools/registry.ts';

let tmp: string;
let root: string;
let clean: string;
const marker = (name: string) => join(tmp, `marker-${name}`);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd, stdio: 'pipe' });

before(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'agio-gitcfg-')));
  root = join(tmp, 'ws');
  clean = join(tmp, 'clean');
  for (const dir of [root, clean, join(root, 'nested')]) {
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q');
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git(dir, 'add', 'a.txt');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'one');
  }
  // The workspace repository: a textconv driver from an included file outside the workspace, plus
  // the programs the inert settings switch off.
  writeFileSync(join(tmp, 'included.cfg'), `[diff "conv"]\n\ttextconv = "touch ${marker('textconv')}; cat"\n`);
  writeFileSync(join(root, '.gitattributes'), 'a.txt diff=conv\n');
  git(root, 'config', 'include.path', join(tmp, 'included.cfg'));
  git(root, 'config', 'core.fsmonitor', `touch ${marker('fsmonitor')}; false #`);
  git(root, 'config', 'core.pager', `touch ${marker('pager')}; cat`);
  git(root, 'config', 'pager.log', `touch ${marker('pager-log')}; cat`);
  git(root, 'config', 'alias.st', `!touch ${marker('alias')}`);
  // The nested repository: a filter driver and an external diff.
  const nested = join(root, 'nested');
  writeFileSync(join(nested, '.gitattributes'), 'a.txt filter=f\n');
  git(nested, 'config', 'filter.f.clean', `touch ${marker('filter')}; cat`);
  git(nested, 'config', 'diff.external', `touch ${marker('external')}`);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const concerns = async (command: string, at = root): Promise<Concern[]> =>
  (await analyzeCommand(command, { root: at, home: join(tmp, 'home') })).concerns;
const kinds = async (command: string, at = root) => (await concerns(command, at)).map((c) => c.kind);

describe("the command environment switches off what a repository's config can name", () => {
  // Under `script`, git's stdout is a terminal, so the pager runs when nothing stops it.
  const run = (env: NodeJS.ProcessEnv, command: string) => {
    try {
      execFileSync('script', ['-qc', command, '/dev/null'], { cwd: root, env, stdio: 'ignore' });
    } catch {
      // the command's own status does not matter, only what it ran
    }
  };
  const markers = ['fsmonitor', 'pager', 'pager-log'];

  it('without it git status and git log run the fsmonitor hook and the pager (the test can fail)', () => {
    run({ PATH: process.env.PATH, HOME: join(tmp, 'home') }, 'git status; git log -1');
    assert.deepEqual(
      markers.filter((m) => existsSync(marker(m))),
      ['fsmonitor', 'pager-log'],
    );
    for (const m of markers) rmSync(marker(m), { force: true });
  });

  it('with it they run neither', () => {
    run(commandEnvironment({ PATH: process.env.PATH, HOME: join(tmp, 'home') }), 'git status; git log -1; git branch');
    assert.deepEqual(
      markers.filter((m) => existsSync(marker(m))),
      [],
    );
  });
});

describe("the classifier reads the targeted repository's config", () => {
  it('a textconv driver (from an included file) makes git diff, log -p and status exec', async () => {
    for (const command of ['git status', 'git diff', 'git log -p', 'git show HEAD']) {
      const found = (await concerns(command)).filter((c) => c.kind === 'hidden_command');
      assert.equal(found.length, 1, command);
      assert.equal(
        found[0]!.detail,
        `the repository's configuration sets programs git may run: diff.conv.textconv=touch ${marker('textconv')}; cat`,
      );
    }
  });

  it('a nested repository is read where git runs: -C, cd, and a subshell', async () => {
    for (const command of ['git -C nested status', 'cd nested && git diff', '(cd nested; git log -p)']) {
      const found = (await concerns(command)).filter((c) => c.kind === 'hidden_command');
      assert.match(
        found.map((c) => c.detail).join('\n'),
        /^the repository at nested's configuration sets programs git may run: filter\.f\.clean=.*, diff\.external=/m,
        command,
      );
    }
  });

  it('a `!` alias counts only when it is the subcommand; what the inert settings cover never counts', async () => {
    const st = (await concerns('git st')).map((c) => c.detail).join('\n');
    assert.match(st, /alias\.st=!touch/);
    assert.doesNotMatch((await concerns('git status')).map((c) => c.detail).join('\n'), /alias|fsmonitor|pager/);
  });

  it('a repository without such settings adds nothing: git status there stays harmless', async () => {
    assert.deepEqual(await kinds('git status', clean), []);
    assert.deepEqual(await kinds('git log -p -1 && git diff HEAD~0', clean), []);
  });

  it('the engine: full-auto without a sandbox asks, with one the driver runs confined', async () => {
    const none = { allow: [], ask: [], deny: [] };
    const c = (sandboxed: boolean): PolicyContext => ({
      mode: 'full-auto',
      trusted: true,
      sandboxed,
      rules: {
        commands: none,
        paths: none,
        network: none,
        envAllow: [],
        envSecrets: [],
        warnings: [],
        grants: { file: '/dev/null', workspace: '/nowhere' },
      },
      grants: new SessionGrants(),
      root,
      home: join(tmp, 'home'),
    });
    const bash = getTool('bash')!;
    const off = await decide(bash, { command: 'git -C nested status' }, c(false));
    assert.equal(off.verdict, 'ask');
    assert.match(off.reason, /configuration sets programs git may run: filter\.f\.clean/);
    assert.equal((await decide(bash, { command: 'git status' }, { ...c(false), root: clean })).verdict, 'allow');
  });
});

describe('clearing or overriding the git settings is dangerous env', () => {
  for (const command of [
    'env -u GIT_CONFIG_COUNT git status',
    'env --unset=GIT_PAGER git log',
    'env -i git status',
    'env - git status',
    'exec -c git status',
    'unset GIT_CONFIG_COUNT; git status',
    'unset -v GIT_PAGER && git log',
    'GIT_CONFIG_COUNT=0 git log',
    'GIT_CONFIG_KEY_0=core.x git log',
    'export GIT_CONFIG_COUNT=0; git status',
    'GIT_DIR=nested/.git git status',
    'GIT_EXEC_PATH=. git status',
    'GIT_EXTERNAL_DIFF=./x git diff',
    'GIT_SSH_COMMAND=./x git fetch',
    'unset "$v"',
  ]) {
    it(command, async () => {
      assert.ok((await kinds(command, clean)).includes('dangerous_env'), command);
    });
  }
  it('unset of an ordinary variable or a function is not', async () => {
    assert.deepEqual(await kinds('unset FOO BAR', clean), []);
    assert.deepEqual(await kinds('unset -f GIT_CONFIG_COUNT', clean), []);
    assert.deepEqual(await kinds('env -u FOO ls', clean), []);
  });
});
