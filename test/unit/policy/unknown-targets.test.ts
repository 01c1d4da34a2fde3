// Protected files at any depth and writes whose files are decided at run time: through the real
// engine and classifier, they ask in every mode, sandbox or not, and no allow rule or session grant
// can make them run unasked. A plain copy of one named file still runs in full-auto.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decide, SessionGrants, type PolicyContext } from '../../../server/src/policy/engine.ts';
import { protectedWrite, protectedWriteAt } from '../../../server/src/policy/protected-paths.ts';
import type { PolicyRules } from '../../../server/src/policy/rules.ts';
import { getTool } from '../../../server/src/tools/registry.ts';

let root: string;
before(() => {
  root = join(realpathSync(mkdtempSync(join(tmpdir(), 'agio-targets-'))), 'ws');
  for (const d of ['tree/.git/hooks', 'out', 'gitdir/objects', 'gitdir/refs'])
    mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'tree/.git/hooks/pre-commit'), '#!/bin/sh\n');
  writeFileSync(join(root, 'gitdir/HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(root, 'a.txt'), 'a\n');
});
after(() => rmSync(join(root, '..'), { recursive: true, force: true }));

function rules(allow: string[] = []): PolicyRules {
  const none = { allow: [], ask: [], deny: [] };
  return {
    commands: { allow, ask: [], deny: [] },
    paths: { allow: ['**'], ask: [], deny: [] },
    network: none,
    envAllow: [],
    envSecrets: [],
    warnings: [],
    grants: { file: '/dev/null', workspace: '/nowhere' },
  };
}

function ctx(mode: PolicyContext['mode'], sandboxed: boolean, allow: string[] = []): PolicyContext {
  const grants = new SessionGrants();
  grants.add({ kind: 'commands', patterns: allow });
  return { mode, trusted: true, sandboxed, rules: rules(allow), grants, root, home: join(root, '..', 'home') };
}

async function verdictOf(tool: string, args: Record<string, unknown>, c: PolicyContext) {
  return decide(getTool(tool)!, args, c);
}

describe('writes whose files are decided at run time', () => {
  const asks = [
    'cp -r tree/. .',
    'mv tree moved',
    'rsync -a tree/ out/',
    'tar -xf a.tar -C out',
    'unzip -d out a.zip',
    'echo x > "$f"',
    'find . -name settings.json -exec cp a.txt {} \\;',
    'awk \'{print > "sub/" ".vscode/x"}\' a.txt',
  ];
  for (const command of asks) {
    for (const sandboxed of [false, true]) {
      it(`${command} asks in full-auto (sandbox ${sandboxed ? 'on' : 'off'}) even when every program is allowed`, async () => {
        const d = await verdictOf(
          'bash',
          { command },
          ctx('full-auto', sandboxed, ['cp *', 'mv *', 'rsync *', 'tar *', 'unzip *', 'echo *', 'find *', 'awk *']),
        );
        assert.equal(d.verdict, 'ask', d.reason);
        assert.match(d.reason, /^always asks: /);
        assert.equal(d.grant, undefined, 'no "allow for session" for an ask that must repeat');
      });
    }
  }

  it('says why: the folder it copies decides the files it creates', async () => {
    const d = await verdictOf('bash', { command: 'cp -r tree/. .' }, ctx('full-auto', true));
    assert.match(
      d.reason,
      /cp -r copies the folder tree\/\. to \.: the files it creates are whatever that folder holds/,
    );
    assert.ok(
      d.details.some((x) => x.startsWith('unknown_targets: ')),
      d.details.join('\n'),
    );
  });

  for (const sandboxed of [false, true]) {
    it(`a plain copy of one named file still runs in full-auto (sandbox ${sandboxed ? 'on' : 'off'})`, async () => {
      for (const command of ['cp a.txt b.txt', 'cp a.txt out/', 'mv a.txt out/a.txt', 'tar tf a.tar']) {
        const d = await verdictOf('bash', { command }, ctx('full-auto', sandboxed));
        assert.equal(d.verdict, 'allow', `${command}: ${d.reason}`);
      }
    });
  }
});

describe('protected files at any depth', () => {
  it('the names match below the top level and whatever their case', () => {
    for (const rel of [
      'sub/.vscode/settings.json',
      'a/b/.idea/workspace.xml',
      '.idea/x',
      'vendor/x/.git/hooks/pre-commit',
      'docs/AGENTS.md',
      'docs/.agio/policy.json',
      'X/.GIT/config',
      'sub/Agents.md',
      'sub/w.CODE-WORKSPACE',
    ]) {
      assert.ok(protectedWrite(rel), rel);
    }
    for (const rel of ['src/vscode.ts', 'idea/notes.md', 'docs/AGENTS.md.bak', 'gitignore', 'a/.github/ci.yml']) {
      assert.equal(protectedWrite(rel), undefined, rel);
    }
  });

  it('a git directory is known by its contents (HEAD, objects/, refs/), not only by the name .git', () => {
    assert.match(protectedWriteAt(root, 'gitdir/hooks/pre-commit')?.what ?? '', /gitdir is a git directory/);
    assert.ok(protectedWriteAt(root, 'gitdir/config'));
    assert.equal(protectedWriteAt(root, 'out/config'), undefined);
    assert.equal(protectedWriteAt(root, 'tree/readme.txt'), undefined);
  });

  for (const [tool, p] of [
    ['write', 'sub/.vscode/settings.json'],
    ['write', 'a/.idea/workspace.xml'],
    ['write', 'tree/.git/hooks/post-checkout'],
    ['edit', 'docs/AGENTS.md'],
    ['write', 'gitdir/hooks/pre-commit'],
  ] as const) {
    it(`${tool} ${p} asks in full-auto, even with a path rule allowing everything`, async () => {
      const d = await verdictOf(tool, { path: p, content: 'x', edits: [] }, ctx('full-auto', true));
      assert.equal(d.verdict, 'ask', d.reason);
      assert.match(d.reason, /changing it always asks, in every mode/);
    });
  }

  it('a shell write to a nested protected file asks in full-auto with the sandbox', async () => {
    for (const command of [
      'echo x > sub/.vscode/settings.json',
      'cp a.txt tree/.git/hooks/pre-push',
      'echo x >> gitdir/config',
    ]) {
      const d = await verdictOf('bash', { command }, ctx('full-auto', true));
      assert.equal(d.verdict, 'ask', `${command}: ${d.reason}`);
    }
  });
});
