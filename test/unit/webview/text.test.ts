// Pure text helpers of the panel: readable tool arguments, hidden characters made visible, unified
// diffs split into lines, terminal output cleaned, and when "Always allow" is offered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canAlwaysAllow } from '../../../webview/src/state/approval-options.ts';
import { summarizeArgs } from '../../../webview/src/state/args-summary.ts';
import { cleanTerminalOutput, countHidden, revealHidden } from '../../../webview/src/text/visible-chars.ts';
import { diffStats, parseUnifiedDiff } from '../../../webview/src/text/unified-diff.ts';

test('tool arguments read the way a person would say them', () => {
  assert.equal(summarizeArgs('read', { path: 'src/a.ts' }), 'src/a.ts');
  assert.equal(summarizeArgs('read', { path: 'src/a.ts', offset: 10, limit: 20 }), 'src/a.ts:10-29');
  assert.equal(summarizeArgs('read', { path: 'src/a.ts', offset: 200 }), 'src/a.ts:200-');
  assert.equal(summarizeArgs('read', { path: 'src/a.ts', limit: 50 }), 'src/a.ts:1-50');
  assert.equal(summarizeArgs('bash', { command: 'npm test' }), 'npm test');
  assert.equal(summarizeArgs('bash', { command: 'set -e\nnpm ci\nnpm test' }), 'set -e …');
  assert.equal(
    summarizeArgs('grep', { pattern: 'TODO', path: 'src', glob: '*.ts', ignore_case: true }),
    '/TODO/i in src (*.ts)',
  );
  assert.equal(summarizeArgs('edit', { path: 'a.ts', edits: [{}, {}] }), 'a.ts (2 edits)');
  assert.equal(summarizeArgs('write', { path: 'b.ts', content: 'x\ny\n' }), 'b.ts (2 lines)');
  assert.equal(summarizeArgs('ls', { path: 'src', depth: 2 }), 'src (depth 2)');
  assert.equal(summarizeArgs('find', { pattern: '*.md' }), '*.md');
  assert.equal(summarizeArgs('fetch', { url: 'https://x.dev' }), 'https://x.dev');
  // Malformed or unknown: never throws, always something readable.
  assert.equal(summarizeArgs('read', '{"path": "a.ts"'), '{"path": "a.ts"');
  assert.equal(summarizeArgs('read', { path: 42 }), '?');
  assert.equal(summarizeArgs('edit', { path: 'a.ts', edits: 'nope' }), 'a.ts (0 edits)');
  assert.equal(summarizeArgs('mystery', { a: 1 }), '{"a":1}');
  assert.equal(summarizeArgs('bash', { command: 'x'.repeat(500) }).length, 160);
});

test('hidden characters become marked escapes; newlines stay', () => {
  const parts = revealHidden('ls\u200B -la\r\necho \u202Eevil\u202C\t\u00A0x\u{E0041}');
  assert.deepStrictEqual(
    parts.map((p) => (p.hidden ? `[${p.text}]` : p.text)).join(''),
    'ls[\\u200B] -la[\\r]\necho [\\u202E]evil[\\u202C][\\t][\\xA0]x[\\u{E0041}]',
  );
  assert.equal(parts.find((p) => p.text === '\\u202E')?.name, 'U+202E right-to-left override');
  assert.equal(countHidden('a\u2028b\u2029c\u0007d\u001be'), 4);
  assert.equal(countHidden('plain ascii, ünïcödé and 日本語\n'), 0);
  assert.deepStrictEqual(revealHidden(''), []);
});

test('terminal output loses colour codes and keeps the last state of a redrawn line', () => {
  assert.equal(cleanTerminalOutput('\u001b[32mok\u001b[0m 1\n'), 'ok 1\n');
  assert.equal(cleanTerminalOutput('10%\r55%\r100%\ndone\r\n'), '100%\ndone\n');
  assert.equal(cleanTerminalOutput('\u001b]0;title\u0007text'), 'text');
});

test('a unified diff splits into numbered, typed lines', () => {
  const lines = parseUnifiedDiff(
    '===\n--- a/x\n+++ b/x\n@@ -3,3 +3,3 @@\n keep\n-old\n+new\n+more\n\\ No newline at end of file\n',
  );
  assert.deepStrictEqual(lines, [
    { kind: 'meta', text: '===' },
    { kind: 'meta', text: '--- a/x' },
    { kind: 'meta', text: '+++ b/x' },
    { kind: 'hunk', text: '@@ -3,3 +3,3 @@' },
    { kind: 'ctx', text: 'keep', oldNo: 3, newNo: 3 },
    { kind: 'del', text: 'old', oldNo: 4 },
    { kind: 'add', text: 'new', newNo: 4 },
    { kind: 'add', text: 'more', newNo: 5 },
    { kind: 'note', text: '\\ No newline at end of file' },
  ]);
  assert.deepStrictEqual(diffStats(lines), { added: 2, removed: 1 });
  assert.deepStrictEqual(parseUnifiedDiff('(the edit would fail: no match)'), [
    { kind: 'meta', text: '(the edit would fail: no match)' },
  ]);
});

test('"Always allow" is offered only where the policy could save a rule', () => {
  assert.ok(canAlwaysAllow({ reason: 'commands need approval in ask mode', details: [] }));
  assert.ok(canAlwaysAllow({ reason: 'write tools need approval in ask mode (src/a.ts)', details: [] }));
  assert.ok(!canAlwaysAllow({ reason: 'always asks: rm -rf deletes recursively', details: [] }));
  assert.ok(
    !canAlwaysAllow({
      reason: '.git/config is git configuration: changing it always asks, in every mode',
      details: [],
    }),
  );
  assert.ok(!canAlwaysAllow({ reason: 'cannot prove this stays inside the workspace: $HOME', details: [] }));
  assert.ok(!canAlwaysAllow({ reason: 'path rule "ask secrets/**" matches secrets/a', details: [] }));
  assert.ok(!canAlwaysAllow({ reason: 'commands need approval', details: ['note: this kind of call always asks'] }));
});

test('the server\'s repeatable flag decides whether "Always allow" is offered, whatever the reason says', () => {
  assert.equal(canAlwaysAllow({ reason: 'commands need approval in ask mode', details: [], repeatable: false }), false);
  assert.equal(canAlwaysAllow({ reason: 'x always asks', details: [], repeatable: true }), true);
  // Logs written before the flag existed still fall back to the reason.
  assert.equal(canAlwaysAllow({ reason: 'x always asks', details: [] }), false);
  assert.equal(canAlwaysAllow({ reason: 'commands need approval in ask mode', details: [] }), true);
});
