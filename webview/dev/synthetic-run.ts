// A long, deterministic run for the benchmark and the fold's timing test: turns of streamed text and
// three tool calls each (a read allowed by the policy, a bash command approved by the user with
// streamed output, a grep), until the run has `size` events.
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import { EventBuilder, totals } from './event-builder.ts';

const WORDS =
  'the parser now rejects negative ports and the test covers zero one and sixty five thousand five hundred thirty five '.split(
    ' ',
  );

export function syntheticRun(runId: string, size = 10_000, startTs = 1_767_000_000_000): AgioEvent[] {
  const b = new EventBuilder(runId, startTs);
  const start = b.emit({
    type: 'run_start',
    parentId: null,
    task: 'Stress: a long run',
    cwd: '/work/proj',
    provider: 'openai',
    model: 'gpt-test',
    agioVersion: '0.1.0',
    approval: 'ask',
    limits: {},
    sandbox: 'bwrap',
    trusted: true,
  });
  let turn = 0;
  let cost = 0;
  let word = 0;
  const TAIL = 3; // the last turn's turn_start, message_end and turn_end, plus run_end below
  while (b.events.length + 48 + TAIL < size) {
    turn++;
    const ts = b.emit({ type: 'turn_start', parentId: start.id, turn }, 5);
    let text = '';
    for (let i = 0; i < 20; i++) {
      const delta = `${WORDS[word++ % WORDS.length]} ${WORDS[word++ % WORDS.length]} `;
      text += delta;
      b.emit({ type: 'text_delta', parentId: ts.id, text: delta }, 15);
    }
    cost += 0.0031;
    b.emit({
      type: 'usage',
      parentId: ts.id,
      model: 'gpt-test',
      inputTokens: 1200 + turn * 40,
      outputTokens: 80,
      cachedTokens: 1000,
      costUsd: 0.0031,
      reported: true,
    });
    b.emit({ type: 'message_end', parentId: ts.id, text, stopReason: 'tool_use' });
    const read = b.emit({
      type: 'tool_call',
      parentId: ts.id,
      tool: 'read',
      callId: `c${turn}a`,
      args: { path: `src/file${turn}.ts`, offset: 1, limit: 40 },
    });
    b.emit(
      {
        type: 'approval_decision',
        parentId: read.id,
        decision: 'allow',
        by: 'policy',
        reason: 'read tools run in ask mode',
      },
      1,
    );
    const lines = Array.from(
      { length: 40 },
      (_, i) => `${String(i + 1).padStart(4)}  export const value${i} = ${i};`,
    ).join('\n');
    b.emit(
      {
        type: 'tool_result',
        parentId: read.id,
        tool: 'read',
        callId: `c${turn}a`,
        result: { ok: true, output: lines, durationMs: 2 },
      },
      3,
    );
    const bash = b.emit({
      type: 'tool_call',
      parentId: ts.id,
      tool: 'bash',
      callId: `c${turn}b`,
      args: { command: `npm test -- file${turn}` },
    });
    b.emit(
      {
        type: 'approval_request',
        parentId: bash.id,
        tool: 'bash',
        tier: 'exec',
        summary: `npm test -- file${turn}`,
        reason: 'commands need approval in ask mode',
      },
      2,
    );
    b.emit(
      { type: 'approval_decision', parentId: bash.id, decision: 'allow', by: 'user', reason: 'approved by the user' },
      400,
    );
    let stdout = '';
    for (let i = 0; i < 10; i++) {
      const chunk = `ok ${i + 1} - case ${i + 1} of file${turn}\n`;
      stdout += chunk;
      b.emit({ type: 'tool_output', parentId: bash.id, stream: 'stdout', chunk }, 30);
    }
    b.emit({
      type: 'tool_result',
      parentId: bash.id,
      tool: 'bash',
      callId: `c${turn}b`,
      result: { ok: true, output: `exit code 0\n${stdout}`, stdout, stderr: '', exitCode: 0, durationMs: 310 },
    });
    const grep = b.emit({
      type: 'tool_call',
      parentId: ts.id,
      tool: 'grep',
      callId: `c${turn}c`,
      args: { pattern: `value${turn}`, path: 'src' },
    });
    b.emit(
      {
        type: 'approval_decision',
        parentId: grep.id,
        decision: 'allow',
        by: 'policy',
        reason: 'read tools run in ask mode',
      },
      1,
    );
    b.emit(
      {
        type: 'tool_result',
        parentId: grep.id,
        tool: 'grep',
        callId: `c${turn}c`,
        result: { ok: true, output: `src/file${turn}.ts:3: value${turn}`, durationMs: 4 },
      },
      5,
    );
    b.emit({ type: 'turn_end', parentId: start.id, turn }, 2);
    b.emit(
      {
        type: 'metrics_snapshot',
        parentId: start.id,
        totals: totals({ turns: turn, toolCalls: turn * 3, costUsd: cost }),
      },
      1,
    );
  }
  turn++;
  const last = b.emit({ type: 'turn_start', parentId: start.id, turn });
  while (b.events.length < size - 3) b.emit({ type: 'text_delta', parentId: last.id, text: 'done ' }, 15);
  b.emit({
    type: 'message_end',
    parentId: last.id,
    text: 'done '.repeat(Math.max(0, size - 4 - last.seq)),
    stopReason: 'end_turn',
  });
  b.emit({ type: 'turn_end', parentId: start.id, turn });
  b.emit({
    type: 'run_end',
    parentId: start.id,
    status: 'completed',
    totals: totals({ turns: turn, toolCalls: (turn - 1) * 3, costUsd: cost, elapsedMs: b.ts - startTs }),
  });
  return b.events;
}
