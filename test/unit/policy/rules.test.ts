import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addGrantedRules, grantedRulesFile, workspaceKey } from '../../../server/src/policy/granted-rules.ts';
import {
  commandMatches,
  commandRuleFor,
  hostMatches,
  loadRules,
  pathMatches,
  strongest,
} from '../../../server/src/policy/rules.ts';

describe('command rules', () => {
  const cases: Array<[string, string, string[], boolean]> = [
    ['npm test', 'npm', ['test'], true],
    ['npm test', 'npm', ['test', '--watch'], false], // no wildcard: exactly these words
    ['npm test *', 'npm', ['test', '--watch'], true],
    ['npm test *', 'npm', ['test'], true], // * also matches nothing
    ['npm test *', 'npm', ['install'], false],
    ['git diff *', 'git', ['diff', 'HEAD~1', '--', 'src'], true],
    ['rm *', '/bin/rm', ['-rf', 'x'], true], // program compared by base name
    ['rm *', 'rmdir', ['x'], false],
    ['curl', 'curl', [], true],
    ['*', 'anything', [], false], // a bare * is no program name
  ];
  for (const [pattern, name, args, expected] of cases) {
    it(`"${pattern}" ${expected ? 'matches' : 'does not match'} ${[name, ...args].join(' ')}`, () => {
      assert.equal(commandMatches(pattern, name, args), expected);
    });
  }
  it('never matches a command whose name is not a literal', () => {
    assert.equal(commandMatches('rm *', undefined, ['-rf']), false);
  });
  it('"always" stores program and subcommand, never the arguments', () => {
    assert.equal(
      commandRuleFor('npm', ['test', '--', '--token=ghp_abcdefabcdefabcdefabcdefabcdefabcdef']),
      'npm test *',
    );
    assert.equal(commandRuleFor('/usr/bin/git', ['status']), 'git status *');
    assert.equal(commandRuleFor('curl', ['-H', 'Authorization: Bearer x']), 'curl *');
    assert.equal(commandRuleFor('make', []), 'make *');
  });
});

describe('precedence', () => {
  it('deny beats ask beats allow whatever the order in the lists', () => {
    const lists = { allow: ['git *'], ask: ['git push *'], deny: ['git push --force *'] };
    const verdict = (args: string[]) => strongest(lists, (p) => commandMatches(p, 'git', args))?.verdict;
    assert.equal(verdict(['status']), 'allow');
    assert.equal(verdict(['push', 'origin']), 'ask');
    assert.equal(verdict(['push', '--force', 'origin']), 'deny');
  });
});

describe('paths and hosts', () => {
  it('globs match workspace-relative paths, dotfiles included', () => {
    assert.equal(pathMatches('src/**', 'src/a/b.ts'), true);
    assert.equal(pathMatches('src/**', 'srcx/b.ts'), false);
    assert.equal(pathMatches('secrets/**', 'secrets/.hidden'), true);
  });
  it('a *.domain host rule matches subdomains only', () => {
    assert.equal(hostMatches('*.npmjs.org', 'registry.npmjs.org'), true);
    assert.equal(hostMatches('*.npmjs.org', 'npmjs.org'), false);
    assert.equal(hostMatches('*.npmjs.org', 'evilnpmjs.org'), false);
    assert.equal(hostMatches('docs.python.org', 'DOCS.python.org'), true);
  });
});

describe('policy files', () => {
  function setup() {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'agio-rules-')));
    const ws = join(root, 'ws');
    const config = join(root, 'config');
    mkdirSync(join(ws, '.agio'), { recursive: true });
    mkdirSync(join(config, 'agio'), { recursive: true });
    return {
      root,
      ws,
      config,
      env: { XDG_CONFIG_HOME: config },
      cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
  }

  it('merges user and workspace files; the workspace file only when trusted', () => {
    const t = setup();
    try {
      writeFileSync(join(t.config, 'agio', 'policy.json'), '{ // mine\n "commands": { "deny": ["curl *"] } }');
      writeFileSync(join(t.ws, '.agio', 'policy.json'), '{ "commands": { "allow": ["npm test",], }, /* trailing */ }');
      const trusted = loadRules(t.ws, true, t.env);
      assert.deepEqual(trusted.commands.deny, ['curl *']);
      assert.deepEqual(trusted.commands.allow, ['npm test']);
      assert.deepEqual(trusted.warnings, []);
      assert.deepEqual(
        trusted.grants,
        { file: join(t.config, 'agio', 'workspace-policy.json'), workspace: t.ws },
        '"always" writes to your config, never the workspace',
      );
      const untrusted = loadRules(t.ws, false, t.env);
      assert.deepEqual(untrusted.commands.allow, [], 'an untrusted workspace loads no project policy');
      assert.deepEqual(untrusted.commands.deny, ['curl *']);
    } finally {
      t.cleanup();
    }
  });

  it('warns about a command rule whose * sits inside a word, which is no wildcard', () => {
    const t = setup();
    try {
      writeFileSync(
        join(t.config, 'agio', 'policy.json'),
        '{ "commands": { "deny": ["touch marker*", "rm *"], "allow": ["npm *test"] } }',
      );
      const rules = loadRules(t.ws, true, t.env);
      assert.deepEqual(rules.warnings, [
        'command rule "deny touch marker*": a * is a wildcard only as the last word ("npm test *"), so this rule matches only the literal text',
        'command rule "allow npm *test": a * is a wildcard only as the last word ("npm test *"), so this rule matches only the literal text',
      ]);
      // What the warning says is so: the rule does not match the command it looks like it covers.
      assert.equal(commandMatches('touch marker*', 'touch', ['marker-1']), false);
    } finally {
      t.cleanup();
    }
  });

  it('reports a broken file and keeps the other', () => {
    const t = setup();
    try {
      writeFileSync(join(t.config, 'agio', 'policy.json'), '{ "commands": { "deny": ["curl *"] } }');
      writeFileSync(join(t.ws, '.agio', 'policy.json'), '{ "commands": { "allow": "npm test" } }');
      const rules = loadRules(t.ws, true, t.env);
      assert.equal(rules.warnings.length, 1);
      assert.match(rules.warnings[0]!, /ignoring policy .*ws\/\.agio\/policy\.json/);
      assert.deepEqual(rules.commands.deny, ['curl *']);
      assert.deepEqual(rules.commands.allow, []);
    } finally {
      t.cleanup();
    }
  });

  it('an "always" rule is kept in your config for this workspace (by real path) only, with your comments kept', () => {
    const t = setup();
    try {
      const file = grantedRulesFile(t.env);
      addGrantedRules(file, workspaceKey(t.ws), 'commands', 'allow', ['npm test *']);
      let text = readFileSync(file, 'utf8');
      assert.ok(text.indexOf('//') < text.indexOf('{'), 'the header comment is above the object, not inside it');
      writeFileSync(file, text.replace('{', '{\n  // keep me'));
      addGrantedRules(file, workspaceKey(t.ws), 'commands', 'allow', ['npm test *', 'git status *']);
      addGrantedRules(file, workspaceKey(t.ws), 'network', 'allow', ['docs.python.org']);
      text = readFileSync(file, 'utf8');
      assert.match(text, /\/\/ keep me/);
      assert.equal(JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''))[t.ws].commands.allow.length, 2, 'no duplicate');
      const here = loadRules(t.ws, false, t.env);
      assert.deepEqual(here.commands.allow, ['npm test *', 'git status *']);
      assert.deepEqual(here.network.allow, ['docs.python.org']);
      // Through a symlink the same folder finds the same rules; a sibling with a longer name does not.
      symlinkSync(t.ws, join(t.root, 'link'));
      assert.deepEqual(loadRules(join(t.root, 'link'), true, t.env).commands.allow, ['npm test *', 'git status *']);
      mkdirSync(join(t.root, 'ws-evil'));
      assert.deepEqual(loadRules(join(t.root, 'ws-evil'), true, t.env).commands.allow, []);
    } finally {
      t.cleanup();
    }
  });

  it("a workspace's own file tightens freely but cannot allow hosts or hand over secrets", () => {
    const t = setup();
    try {
      writeFileSync(
        join(t.ws, '.agio', 'policy.json'),
        JSON.stringify({
          commands: { allow: ['npm test *', 'git status *'], deny: ['rm *'] },
          paths: { allow: ['src/**'], ask: ['db/**'] },
          network: { allow: ['evil.example'], deny: ['x.example'] },
          env: { allow: ['MY_HOME'], secrets: ['AWS_SECRET_ACCESS_KEY'] },
        }),
      );
      writeFileSync(join(t.config, 'agio', 'policy.json'), '{ "commands": { "allow": ["git status *"] } }');
      const r = loadRules(t.ws, true, t.env);
      assert.deepEqual(r.commands.deny, ['rm *']);
      assert.deepEqual(r.paths, { allow: ['src/**'], ask: ['db/**'], deny: [] });
      assert.deepEqual(r.network, { allow: [], ask: [], deny: ['x.example'] });
      assert.deepEqual(r.envAllow, ['MY_HOME']);
      assert.deepEqual(r.envSecrets, []);
      assert.deepEqual(r.workspaceOnlyCommandAllow, ['npm test *'], 'git status * is also your own rule');
      assert.equal(r.warnings.length, 2);
      assert.match(r.warnings[0]!, /network\.allow \(evil\.example\) is ignored/);
      assert.match(r.warnings[1]!, /env\.secrets \(AWS_SECRET_ACCESS_KEY\) is ignored/);
    } finally {
      t.cleanup();
    }
  });
});
