import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addRules, commandMatches, commandRuleFor, hostMatches, loadRules, pathMatches, strongest } from '../../../server/src/policy/rules.ts';

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
    assert.equal(commandRuleFor('npm', ['test', '--', '--token=ghp_abcdefabcdefabcdefabcdefabcdefabcdef']), 'npm test *');
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
    const root = mkdtempSync(join(tmpdir(), 'agio-rules-'));
    const ws = join(root, 'ws');
    const config = join(root, 'config');
    mkdirSync(join(ws, '.agio'), { recursive: true });
    mkdirSync(join(config, 'agio'), { recursive: true });
    return { root, ws, config, env: { XDG_CONFIG_HOME: config }, cleanup: () => rmSync(root, { recursive: true, force: true }) };
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
      assert.equal(trusted.writableFile, join(t.ws, '.agio', 'policy.json'));
      const untrusted = loadRules(t.ws, false, t.env);
      assert.deepEqual(untrusted.commands.allow, [], 'an untrusted workspace loads no project policy');
      assert.deepEqual(untrusted.commands.deny, ['curl *']);
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

  it('adding a rule keeps the comments and does not duplicate', () => {
    const t = setup();
    try {
      const file = join(t.ws, '.agio', 'policy.json');
      writeFileSync(file, '{\n  // keep me\n  "commands": { "allow": ["git status *"] }\n}\n');
      addRules(file, 'commands', 'allow', ['npm test *', 'git status *']);
      const text = readFileSync(file, 'utf8');
      assert.match(text, /\/\/ keep me/);
      assert.deepEqual(loadRules(t.ws, true, t.env).commands.allow, ['git status *', 'npm test *']);
      addRules(join(t.ws, 'new', 'policy.json'), 'network', 'allow', ['docs.python.org']);
      assert.match(readFileSync(join(t.ws, 'new', 'policy.json'), 'utf8'), /docs\.python\.org/);
    } finally {
      t.cleanup();
    }
  });
});
