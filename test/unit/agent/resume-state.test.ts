import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rebuildRun } from '../../../server/src/agent/resume-state.ts';
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import { RUN, ev } from '../webview/realistic-run.ts';

const p = (seq: number) => `${RUN}.${seq}`;
const start = ev(1, 1, {
  type: 'run_start',
  parentId: null,
  task: 'fix it',
  cwd: '/w',
  provider: 'openai',
  model: 'm',
  agioVersion: '0',
  approval: 'ask',
  limits: {},
  pid: 1,
});

test('the conversation is rebuilt from the log; a started call is open with an unknown outcome, an unanswered one is asked again', () => {
  const events: AgioEvent[] = [
    start,
    ev(2, 2, { type: 'turn_start', parentId: p(1), turn: 1 }),
    ev(3, 3, {
      type: 'usage',
      parentId: p(2),
      model: 'm',
      inputTokens: 100,
      outputTokens: 10,
      cachedTokens: 40,
      costUsd: 0.5,
      reported: true,
    }),
    ev(4, 4, { type: 'message_end', parentId: p(2), text: 'Reading.', stopReason: 'tool_calls' }),
    ev(5, 5, { type: 'tool_call', parentId: p(2), tool: 'read', callId: 'c1', args: { path: 'a.ts' } }),
    ev(6, 6, { type: 'approval_decision', parentId: p(5), decision: 'allow', by: 'policy', reason: 'read' }),
    ev(7, 7, {
      type: 'tool_result',
      parentId: p(5),
      tool: 'read',
      callId: 'c1',
      result: { ok: true, output: '1 const a = 1;', durationMs: 1 },
    }),
    ev(8, 8, { type: 'turn_end', parentId: p(1), turn: 1 }),
    ev(9, 9, { type: 'turn_start', parentId: p(1), turn: 2 }),
    ev(10, 10, { type: 'message_end', parentId: p(9), text: '', stopReason: 'tool_calls' }),
    ev(11, 11, { type: 'tool_call', parentId: p(9), tool: 'bash', callId: 'c2', args: { command: 'npm test' } }),
    ev(12, 12, { type: 'approval_decision', parentId: p(11), decision: 'allow', by: 'user', reason: 'ok' }),
    ev(13, 13, { type: 'tool_call', parentId: p(9), tool: 'write', callId: 'c3', args: '{"path": "b.ts"' }),
    ev(14, 14, {
      type: 'approval_request',
      parentId: p(13),
      tool: 'write',
      tier: 'write',
      summary: 'b.ts',
      reason: 'ask',
    }),
    ev(15, 15, { type: 'run_interrupted', parentId: p(1), reason: 'server died', lastStep: 'approval waiting' }),
  ];
  const r = rebuildRun(events);
  assert.ok(!('error' in r));
  assert.deepEqual(r.messages, [
    { role: 'user', content: 'fix it' },
    { role: 'assistant', text: 'Reading.', toolCalls: [{ id: 'c1', name: 'read', argsJson: '{"path":"a.ts"}' }] },
    { role: 'tool', callId: 'c1', name: 'read', content: '1 const a = 1;', isError: false },
    {
      role: 'assistant',
      text: '',
      toolCalls: [
        { id: 'c2', name: 'bash', argsJson: '{"command":"npm test"}' },
        { id: 'c3', name: 'write', argsJson: '{"path": "b.ts"' },
      ],
    },
  ]);
  assert.deepEqual(
    r.openCalls.map((o) => [o.call.id, o.eventId, o.started]),
    [
      ['c2', p(11), true],
      ['c3', p(13), false],
    ],
  );
  assert.equal(r.lastSeq, 15);
  assert.deepEqual(
    [
      r.totals.turns,
      r.totals.toolCalls,
      r.totals.inputTokens,
      r.totals.outputTokens,
      r.totals.cachedTokens,
      r.totals.costUsd,
    ],
    [2, 3, 100, 10, 40, 0.5],
  );
});

test('a run that ended cannot be resumed', () => {
  const ended = rebuildRun([
    start,
    ev(2, 2, {
      type: 'run_end',
      parentId: p(1),
      status: 'completed',
      totals: {
        turns: 0,
        toolCalls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedTokens: 0,
        costUsd: 0,
        errors: 0,
        elapsedMs: 0,
      },
    }),
  ]);
  assert.ok('error' in ended && /already ended \(completed\)/.test(ended.error));
});

test("a resumed conversation keeps the task's attachments and the folder rules, and not the attachment reads as model calls", () => {
  const item = (label: string) => ({ kind: 'rules' as const, label, target: label, chars: 5, ok: true });
  const events: AgioEvent[] = [
    start,
    ev(2, 2, { type: 'turn_start', parentId: p(1), turn: 1 }),
    ev(3, 3, { type: 'tool_call', parentId: p(2), tool: 'read', callId: 'agio-attach-1', args: { path: 'a.ts' } }),
    ev(4, 4, {
      type: 'tool_result',
      parentId: p(3),
      tool: 'read',
      callId: 'agio-attach-1',
      result: { ok: true, output: '1\tA', durationMs: 1 },
    }),
    ev(5, 5, {
      type: 'context_added',
      parentId: p(1),
      items: [{ kind: 'file', label: 'a.ts', chars: 3, ok: true }],
      text: '\n\n<attached a.ts>',
    }),
    ev(6, 6, { type: 'message_end', parentId: p(2), text: '', stopReason: 'tool_calls' }),
    ev(7, 7, { type: 'tool_call', parentId: p(2), tool: 'read', callId: 'c1', args: { path: 'pkg/b.ts' } }),
    ev(8, 8, {
      type: 'tool_result',
      parentId: p(7),
      tool: 'read',
      callId: 'c1',
      result: { ok: true, output: '1\tB', durationMs: 1 },
    }),
    ev(9, 9, { type: 'context_added', parentId: p(7), items: [item('pkg/AGENTS.md')], text: '<rules pkg>' }),
    ev(10, 10, { type: 'turn_end', parentId: p(1), turn: 1 }),
    ev(11, 11, { type: 'run_interrupted', parentId: p(1), reason: 'server died', lastStep: 'model call' }),
  ];
  const r = rebuildRun(events);
  assert.ok(!('error' in r));
  assert.deepEqual(r.messages, [
    { role: 'user', content: 'fix it\n\n<attached a.ts>' },
    { role: 'assistant', text: '', toolCalls: [{ id: 'c1', name: 'read', argsJson: '{"path":"pkg/b.ts"}' }] },
    { role: 'tool', callId: 'c1', name: 'read', content: '1\tB', isError: false },
    { role: 'user', content: '<rules pkg>' },
  ]);
  assert.deepEqual(r.folderRules, ['pkg/AGENTS.md']);
  assert.deepEqual(r.openCalls, []);
});
