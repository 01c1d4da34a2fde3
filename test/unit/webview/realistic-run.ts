// A realistic run written out by hand, event by event, for the fold tests: three turns; text
// streamed with a retry in the middle; a read allowed by the policy; an edit asked and granted; a
// command asked and denied; a command allowed by a rule with streamed output; usage each turn; run_end.
// Costs are binary fractions so sums are exact. Timestamps are chosen so durations are easy to check.
import type { AgioEvent, EventDraft } from '../../../server/src/protocol/events.ts';

export const RUN = 'r1';

export function ev(seq: number, ts: number, draft: EventDraft): AgioEvent {
  return { ...draft, id: `${RUN}.${seq}`, runId: RUN, seq, ts } as AgioEvent;
}

/** A minimal run_start for tests that need a run, not a particular one. */
export function runStartDraft(extra: Partial<Extract<EventDraft, { type: 'run_start' }>> = {}): EventDraft {
  return {
    type: 'run_start',
    parentId: null,
    task: 't',
    cwd: '/w',
    provider: 'openai',
    model: 'm',
    agioVersion: '0',
    approval: 'ask',
    limits: {},
    ...extra,
  };
}

const p = (seq: number) => `${RUN}.${seq}`;

export const FINAL_TOTALS = {
  turns: 3,
  toolCalls: 4,
  inputTokens: 5500,
  outputTokens: 170,
  cachedTokens: 3200,
  costUsd: 0.21875,
  errors: 1,
  elapsedMs: 3600,
};

export const DIFF = '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,2 @@\n const port = 1;\n+check(port);\n';

export function realisticRun(): AgioEvent[] {
  return [
    ev(1, 1000, {
      type: 'run_start',
      parentId: null,
      task: 'Fix the port check',
      cwd: '/w',
      provider: 'openai',
      model: 'gpt-x',
      agioVersion: '0.1.0',
      approval: 'ask',
      limits: {},
      sandbox: 'none',
      trusted: true,
    }),
    ev(2, 1100, { type: 'turn_start', parentId: p(1), turn: 1 }),
    ev(3, 1200, { type: 'text_delta', parentId: p(2), text: 'Let me ' }),
    ev(4, 1300, { type: 'text_delta', parentId: p(2), text: 'look.' }),
    ev(5, 1400, {
      type: 'usage',
      parentId: p(2),
      model: 'gpt-x',
      inputTokens: 1000,
      outputTokens: 50,
      cachedTokens: 200,
      costUsd: 0.0625,
      reported: true,
    }),
    ev(6, 1400, { type: 'message_end', parentId: p(2), text: 'Let me look.', stopReason: 'tool_use' }),
    ev(7, 1500, {
      type: 'tool_call',
      parentId: p(2),
      tool: 'read',
      callId: 'c1',
      args: { path: 'src/a.ts', offset: 10, limit: 20 },
    }),
    ev(8, 1500, {
      type: 'approval_decision',
      parentId: p(7),
      decision: 'allow',
      by: 'policy',
      reason: 'read tools run in ask mode',
    }),
    ev(9, 1510, {
      type: 'tool_result',
      parentId: p(7),
      tool: 'read',
      callId: 'c1',
      result: { ok: true, output: 'const port = 1;', durationMs: 5 },
    }),
    ev(10, 2000, { type: 'turn_end', parentId: p(1), turn: 1 }),
    ev(11, 2000, {
      type: 'metrics_snapshot',
      parentId: p(1),
      totals: {
        ...FINAL_TOTALS,
        turns: 1,
        toolCalls: 1,
        inputTokens: 1000,
        outputTokens: 50,
        cachedTokens: 200,
        costUsd: 0.0625,
        errors: 0,
        elapsedMs: 1000,
      },
    }),
    ev(12, 2100, { type: 'turn_start', parentId: p(1), turn: 2 }),
    ev(13, 2200, { type: 'text_delta', parentId: p(12), text: 'Partial ans' }),
    ev(14, 2300, { type: 'retry', parentId: p(12), attempt: 2, reason: 'stream dropped', status: 529 }),
    ev(15, 2400, { type: 'text_delta', parentId: p(12), text: 'I will edit ' }),
    ev(16, 2500, { type: 'text_delta', parentId: p(12), text: 'and test.' }),
    ev(17, 2600, {
      type: 'usage',
      parentId: p(12),
      model: 'gpt-x',
      inputTokens: 2000,
      outputTokens: 100,
      cachedTokens: 1000,
      costUsd: 0.125,
      reported: true,
    }),
    ev(18, 2600, { type: 'message_end', parentId: p(12), text: 'I will edit and test.', stopReason: 'tool_use' }),
    ev(19, 2700, {
      type: 'tool_call',
      parentId: p(12),
      tool: 'edit',
      callId: 'c2',
      args: { path: 'src/a.ts', edits: [{ old_text: 'a', new_text: 'b' }] },
    }),
    ev(20, 2710, {
      type: 'approval_request',
      parentId: p(19),
      tool: 'edit',
      tier: 'write',
      summary: 'edit src/a.ts (1 edit)',
      reason: 'write tools need approval in ask mode (src/a.ts)',
      diff: DIFF,
    }),
    ev(21, 3000, {
      type: 'approval_decision',
      parentId: p(19),
      decision: 'allow',
      by: 'user',
      reason: 'approved by the user',
    }),
    ev(22, 3010, {
      type: 'tool_result',
      parentId: p(19),
      tool: 'edit',
      callId: 'c2',
      result: { ok: true, output: 'Edited src/a.ts', durationMs: 7 },
    }),
    ev(23, 3100, { type: 'tool_call', parentId: p(12), tool: 'bash', callId: 'c3', args: { command: 'rm -rf build' } }),
    ev(24, 3110, {
      type: 'approval_request',
      parentId: p(23),
      tool: 'bash',
      tier: 'exec',
      summary: 'rm -rf build',
      reason: 'always asks: rm -rf deletes recursively',
      details: ['destructive: rm -rf build'],
    }),
    ev(25, 3500, {
      type: 'approval_decision',
      parentId: p(23),
      decision: 'deny',
      by: 'user',
      reason: 'keep the build',
    }),
    ev(26, 3500, {
      type: 'tool_result',
      parentId: p(23),
      tool: 'bash',
      callId: 'c3',
      result: { ok: false, output: 'The bash call was denied (rm -rf build). Reason: keep the build', durationMs: 390 },
    }),
    ev(27, 3600, { type: 'tool_call', parentId: p(12), tool: 'bash', callId: 'c4', args: { command: 'npm test' } }),
    ev(28, 3600, {
      type: 'approval_decision',
      parentId: p(27),
      decision: 'allow',
      by: 'policy',
      reason: 'command rule "allow npm test" matches "npm test"',
    }),
    ev(29, 3700, { type: 'tool_output', parentId: p(27), stream: 'stdout', chunk: 'ok 1\n' }),
    ev(30, 3800, { type: 'tool_output', parentId: p(27), stream: 'stderr', chunk: 'warn\n' }),
    ev(31, 3850, {
      type: 'tool_result',
      parentId: p(27),
      tool: 'bash',
      callId: 'c4',
      result: {
        ok: true,
        output: 'exit code 0\nok 1\n',
        stdout: 'ok 1\n',
        stderr: 'warn\n',
        exitCode: 0,
        durationMs: 250,
      },
    }),
    ev(32, 4100, { type: 'turn_end', parentId: p(1), turn: 2 }),
    ev(33, 4200, { type: 'turn_start', parentId: p(1), turn: 3 }),
    ev(34, 4300, { type: 'text_delta', parentId: p(33), text: 'Done.' }),
    ev(35, 4400, {
      type: 'usage',
      parentId: p(33),
      model: 'gpt-x',
      inputTokens: 2500,
      outputTokens: 20,
      cachedTokens: 2000,
      costUsd: 0.03125,
      reported: true,
    }),
    ev(36, 4400, { type: 'message_end', parentId: p(33), text: 'Done.', stopReason: 'end_turn' }),
    ev(37, 4500, { type: 'turn_end', parentId: p(1), turn: 3 }),
    ev(38, 4600, { type: 'run_end', parentId: p(1), status: 'completed', totals: FINAL_TOTALS }),
  ];
}
