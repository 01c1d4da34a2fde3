// One wording for "what does this call do?": the tool says it (Tool.summarize), the server puts it on
// the tool_call event, and the panel's fallback for old logs must say the same words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callEventFields, prepareCall } from '../../../server/src/agent/tool-executor.ts';
import { ALL_TOOLS, getTool, summarizeCall } from '../../../server/src/tools/registry.ts';
import { callSummary, summarizeArgs } from '../../../webview/src/state/args-summary.ts';

const CALLS: [string, Record<string, unknown>][] = [
  ['read', { path: 'src/a.ts' }],
  ['read', { path: 'src/a.ts', offset: 10, limit: 20 }],
  ['read', { path: 'src/a.ts', offset: 200 }],
  ['read', { path: 'src/a.ts', limit: 50 }],
  ['bash', { command: 'npm test' }],
  ['grep', { pattern: 'TODO', path: 'src', glob: '*.ts', ignore_case: true }],
  ['grep', { pattern: 'x' }],
  ['find', { pattern: '*.ts', path: 'src' }],
  ['ls', {}],
  ['ls', { path: 'src', depth: 2 }],
  [
    'edit',
    {
      path: 'a.ts',
      edits: [
        { old_text: 'a', new_text: 'b' },
        { old_text: 'c', new_text: 'd' },
      ],
    },
  ],
  ['write', { path: 'b.ts', content: 'x\ny\n' }],
  ['write', { path: 'b.ts', content: 'x' }],
  ['write', { path: 'b.ts', content: '' }],
  ['fetch', { url: 'https://example.com/a' }],
];

test('every tool summarizes a call in the words the panel uses for old logs', () => {
  for (const [name, args] of CALLS) {
    const tool = getTool(name)!;
    assert.equal(tool.summarize(tool.schema.parse(args)), summarizeArgs(name, args), `${name} ${JSON.stringify(args)}`);
  }
  assert.deepEqual(new Set(CALLS.map(([n]) => n)), new Set(ALL_TOOLS.map((t) => t.name)), 'every tool is covered');
});

test("the tool_call event carries the tool's summary when the arguments fit, and none otherwise", () => {
  const ok = callEventFields(
    prepareCall(ALL_TOOLS, { id: 'c1', name: 'write', argsJson: '{"path":"a.txt","content":"1\\n2\\n3"}' }),
  );
  assert.deepEqual(ok, {
    tool: 'write',
    callId: 'c1',
    args: { path: 'a.txt', content: '1\n2\n3' },
    summary: 'a.txt (3 lines)',
  });
  const bad = callEventFields(prepareCall(ALL_TOOLS, { id: 'c2', name: 'write', argsJson: '{"path":' }));
  assert.deepEqual(bad, { tool: 'write', callId: 'c2', args: '{"path":' });
  const unknown = callEventFields(prepareCall(ALL_TOOLS, { id: 'c3', name: 'nope', argsJson: '{}' }));
  assert.deepEqual(unknown, { tool: 'nope', callId: 'c3', args: {} });
  assert.equal(summarizeCall('write', { path: 1 }), undefined, 'args that do not fit have no summary');
});

test("the panel shows the event's summary, cut to one line, before its own fallback", () => {
  assert.equal(callSummary('bash', { command: 'a\nb' }, 'a\nb'), 'a …');
  assert.equal(
    callSummary('write', { path: 'x', content: 'abc' }, 'x (9 lines)'),
    'x (9 lines)',
    "the server's words win",
  );
  assert.equal(callSummary('write', { path: 'x', content: 'abc' }, undefined), 'x (1 line)');
});
