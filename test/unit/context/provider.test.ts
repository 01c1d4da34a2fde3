import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workspace } from './temp-workspace.ts';
import { ContextProvider } from '../../../server/src/context/provider.ts';

const facts = (cwd: string) => ({
  cwd,
  approval: 'ask' as const,
  sandbox: 'none',
  trusted: true,
  tools: [
    { name: 'write', tier: 'write' },
    { name: 'bash', tier: 'exec' },
  ],
  redact: (t: string) => t.replaceAll(/sk-[a-z0-9]+/g, '[redacted]'),
});

test('the system prompt: who, where, which tools (sorted), the policy in force, then the root rules; the same bytes every time', () => {
  const w = workspace({ 'AGENTS.md': 'Use tabs.' });
  try {
    const p = new ContextProvider(facts(w.root));
    assert.match(p.system, /^You are Agio/);
    assert.match(p.system, new RegExp(`The workspace is ${w.root} on \\S+ .*commands run in bash`));
    assert.match(p.system, /Tools: bash \(exec\), write \(write\)\./);
    assert.match(p.system, /Approval mode: ask — reads run freely; the user approves each write/);
    assert.match(p.system, /# Project rules[\s\S]*## AGENTS\.md\nUse tabs\.$/);
    assert.doesNotMatch(p.system, /\d{4}-\d\d-\d\d|\d\d:\d\d/, 'no date or time');
    assert.equal(new ContextProvider(facts(w.root)).system, p.system);
    assert.deepEqual(
      p.rootItems.map((i) => [i.kind, i.label, i.ok]),
      [['rules', 'AGENTS.md', true]],
    );
  } finally {
    w.done();
  }
});

test("a call's path brings its folder's rules once; a resumed conversation's rules are not given again", () => {
  const w = workspace({
    'pkg/AGENTS.md': 'pkg rule',
    'pkg/a.ts': '',
    'lib/AGENTS.md': 'lib rule, key sk-abc123',
    'lib/b.ts': '',
  });
  try {
    const p = new ContextProvider(facts(w.root));
    const added = p.rulesForCall('{"path":"pkg/a.ts"}');
    assert.equal(added.length, 1);
    assert.match(
      added[0]!.text,
      /^<rules file="pkg\/AGENTS\.md">\nThese project rules apply to files under pkg\/:\n\npkg rule\n<\/rules>$/,
    );
    assert.deepEqual(p.rulesForCall('{"path":"pkg/a.ts"}'), []);
    assert.deepEqual(p.rulesForCall('{"command":"cat pkg/a.ts"}'), [], 'only path arguments count');
    assert.deepEqual(p.rulesForCall('not json'), []);
    const resumed = new ContextProvider({ ...facts(w.root), folderRulesGiven: ['pkg/AGENTS.md'] });
    assert.deepEqual(resumed.rulesForCall('{"path":"pkg/a.ts"}'), []);
    const lib = resumed.rulesForCall('{"path":"lib/b.ts"}');
    assert.equal(lib.length, 1);
    assert.match(lib[0]!.text, /lib rule, key \[redacted\]/, 'rules text is redacted like any project text');
  } finally {
    w.done();
  }
});
