// Full-auto with no sandbox: commands that run code the workspace controls (a Makefile, package.json
// scripts, tests, build scripts, a script named by path) ask, unless the user opted in to unsandboxed
// full-auto; the opt-in lets exactly those through, nothing that reaches outside by itself. Real
// classifier, real files.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decide, SessionGrants, type PolicyContext } from '../../../server/src/policy/engine.ts';
import type { PolicyRules } from '../../../server/src/policy/rules.ts';
import { getTool } from '../../../server/src/tools/registry.ts';

let root: string;
let home: string;
before(() => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'agio-unsandboxed-')));
  root = join(tmp, 'ws');
  home = join(tmp, 'home');
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(join(root, '.git'));
  mkdirSync(home);
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  writeFileSync(join(root, 'evil.mjs'), 'console.log(1)\n');
  writeFileSync(join(root, 'node_modules', '.bin', 'jest'), '#!/bin/sh\n');
  chmodSync(join(root, 'node_modules', '.bin', 'jest'), 0o755);
});
after(() => rmSync(join(root, '..'), { recursive: true, force: true }));

function rules(allow: string[] = [], workspaceOnly: string[] = []): PolicyRules {
  return {
    commands: { allow, ask: [], deny: [] },
    paths: { allow: [], ask: [], deny: [] },
    network: { allow: [], ask: [], deny: [] },
    envAllow: [],
    envSecrets: [],
    warnings: [],
    grants: { file: '/dev/null', workspace: '/nowhere' },
    ...(workspaceOnly.length > 0 ? { workspaceOnlyCommandAllow: workspaceOnly } : {}),
  };
}

function ctx(extra: Partial<PolicyContext> = {}): PolicyContext {
  return {
    mode: 'full-auto',
    trusted: true,
    sandboxed: false,
    rules: rules(),
    grants: new SessionGrants(),
    root,
    home,
    ...extra,
  };
}

const decideBash = (command: string, c: PolicyContext) => decide(getTool('bash')!, { command }, c);

/** Each of these runs code the workspace (or the model that just wrote it) decides. */
const OWN_CODE = [
  'make',
  'make test',
  'npm test',
  'npm run build',
  'npm install',
  'npm ci',
  'pnpm test',
  'yarn test',
  'npx jest',
  'node evil.mjs',
  'node --test',
  'python3 -m unittest',
  'python3 -m pytest -q',
  'python3 setup.py build',
  'pytest',
  'tox',
  'ruby x.rb',
  'perl x.pl',
  'bash run.sh',
  'sh run.sh',
  './run.sh',
  'node_modules/.bin/jest',
  'cargo build',
  'cargo test',
  'cargo run',
  'go test ./...',
  'go run .',
  'go generate ./...',
  'gradle test',
  'mvn package',
  'cmake -B build .',
  'ninja -C build',
  'eslint .',
  'jest',
  'time make',
  'timeout 60 npm test',
  'cd src && ../run.sh',
];

describe('full-auto without a sandbox and code the workspace controls', () => {
  for (const command of OWN_CODE) {
    it(`"${command}" asks without the opt-in, naming the way out`, async () => {
      const d = await decideBash(command, ctx());
      assert.equal(d.verdict, 'ask', d.reason);
      assert.match(d.reason, /code the workspace controls|network|outside/);
    });
  }

  it('the ask says what it is about and how to opt in', async () => {
    const d = await decideBash('make test', ctx());
    assert.equal(d.verdict, 'ask');
    assert.match(d.reason, /code the workspace controls/);
    assert.match(d.reason, /--unsandboxed-full-auto/);
    assert.match(d.reason, /agio\.allowUnsandboxedFullAuto/);
    assert.deepEqual(d.grant, { kind: 'commands', patterns: ['make test *'] }, 'the user can allow it for the session');
  });

  it('with the opt-in they run, and the reason says so', async () => {
    for (const command of ['make test', 'npm test', 'node evil.mjs', './run.sh', 'python3 -m unittest', 'cargo test']) {
      const d = await decideBash(command, ctx({ unsandboxedFullAuto: true }));
      assert.equal(d.verdict, 'allow', `${command}: ${d.reason}`);
      assert.match(d.reason, /unsandboxed/);
    }
  });

  it('the opt-in lets through the workspace code only, never what reaches outside by itself', async () => {
    const c = ctx({ unsandboxedFullAuto: true });
    for (const command of [
      'make > ../out.txt',
      'node ../elsewhere.mjs',
      'npm install left-pad',
      'curl https://x.example',
      'cat /proc/1/environ',
      'printenv',
      "python3 -c 'print(1)'",
      'node -e 1',
      'make -p',
    ]) {
      assert.equal((await decideBash(command, c)).verdict, 'ask', command);
    }
  });

  it('commands that run no workspace code are unchanged: they run unasked, opt-in or not', async () => {
    for (const command of ['ls -la', 'git status', 'tsc --noEmit', 'node --version', 'python3 --version', 'npm ls']) {
      assert.equal((await decideBash(command, ctx())).verdict, 'allow', command);
    }
  });

  it('inside the sandbox the workspace code runs in full-auto without any opt-in', async () => {
    assert.equal((await decideBash('make test', ctx({ sandboxed: true }))).verdict, 'allow');
  });

  it('other modes are unchanged by the opt-in: commands still ask', async () => {
    for (const mode of ['ask', 'auto-edit'] as const) {
      assert.equal((await decideBash('make', ctx({ mode, unsandboxedFullAuto: true }))).verdict, 'ask', mode);
    }
  });

  it("the workspace's own allow rules cannot vouch for its own code, unconfined; your rules and grants can", async () => {
    const fromWorkspace = ctx({ mode: 'ask', rules: rules(['make *'], ['make *']) });
    const d = await decideBash('make', fromWorkspace);
    assert.equal(d.verdict, 'ask', d.reason);
    assert.match(d.reason, /workspace's own rules/);
    assert.equal(
      (await decideBash('make', ctx({ rules: rules(['make *'], ['make *']) }))).verdict,
      'ask',
      'nor in full-auto',
    );
    assert.equal((await decideBash('make', ctx({ mode: 'ask', rules: rules(['make *']) }))).verdict, 'allow');
    const granted = ctx();
    granted.grants.add({ kind: 'commands', patterns: ['make *'] });
    assert.equal((await decideBash('make', granted)).verdict, 'allow', 'a grant given at the prompt holds');
  });
});
