import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleRequest, stableTools } from '../../../server/src/context/assembler.ts';
import { toWireMessages } from '../../../server/src/models/anthropic-driver.ts';
import type { Message } from '../../../server/src/models/types.ts';

const tools = [
  { name: 'write', description: 'w', parameters: {} },
  { name: 'bash', description: 'b', parameters: {} },
  { name: 'read', description: 'r', parameters: {} },
];

test('tools are sorted by name, and the same list gives the same array every turn', () => {
  assert.deepEqual(
    stableTools(tools).map((t) => t.name),
    ['bash', 'read', 'write'],
  );
  assert.equal(stableTools(tools), stableTools(tools));
});

test('the breakpoints: after the system prompt and on the newest message only', () => {
  const messages: Message[] = [
    { role: 'user', content: 'task' },
    { role: 'assistant', text: 'ok', toolCalls: [] },
  ];
  const req = assembleRequest({ system: 's', tools, messages, maxOutputTokens: 100 });
  assert.deepEqual(req.cache, { system: true, messages: [1] });
});

test('on the Anthropic wire the breakpoint goes last in its block, so the bytes before it do not change', () => {
  const messages: Message[] = [
    { role: 'user', content: 'task' },
    { role: 'assistant', text: '', toolCalls: [{ id: 't1', name: 'read', argsJson: '{"path":"a"}' }] },
    { role: 'tool', callId: 't1', name: 'read', content: 'data', isError: false },
  ];
  const marked = JSON.stringify(toWireMessages(messages, new Set([2])));
  const plain = JSON.stringify(toWireMessages(messages));
  assert.ok(marked.startsWith(plain.slice(0, plain.length - '}]}]'.length)), 'only the end differs');
  assert.match(marked, /"content":"data","cache_control":\{"type":"ephemeral"\}\}\]\}\]$/);
});
