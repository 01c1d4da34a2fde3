// The human renderer's wording, event by event: approvals, waits, costs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgioEvent, EventDraft, Totals } from '../../../server/src/protocol/events.ts';
import { HumanRenderer, summaryLine } from '../../../server/src/cli/render.ts';

const T: Totals = {
  turns: 3,
  toolCalls: 1,
  inputTokens: 100,
  outputTokens: 10,
  cachedTokens: 0,
  costUsd: 0,
  errors: 0,
  elapsedMs: 1500,
};

function render(drafts: EventDraft[]): string {
  let out = '';
  const r = new HumanRenderer({ write: (s: string) => (out += s) }, false);
  drafts.forEach((d, i) => {
    r.render({ ...d, id: `e${i + 1}`, runId: 'r', seq: i + 1, ts: i } as AgioEvent);
  });
  return out;
}

describe('human renderer', () => {
  it('says what a run cost, or that it is unknown when calls were unpriced', () => {
    assert.match(summaryLine('completed', { ...T, costUsd: 0.1234 }), / · \$0\.1234 · /);
    assert.match(summaryLine('completed', { ...T, unpricedCalls: 3 }), / · cost unknown · /);
    assert.match(summaryLine('completed', { ...T, costUsd: 0.12, unpricedCalls: 1 }), / · \$0\.1200 \+ unknown · /);
    assert.match(summaryLine('completed', { ...T, turns: 1, toolCalls: 2 }), /^completed · 1 turn · 2 tool calls · /);
  });

  it('shows the wait for approval apart from the call, and who decided', () => {
    const out = render([
      { type: 'tool_call', parentId: 't', tool: 'write', callId: 'c1', args: { path: 'a.txt', content: 'x' } },
      {
        type: 'approval_request',
        parentId: 'e1',
        tool: 'write',
        tier: 'write',
        summary: 'a.txt',
        reason: 'write tools need approval',
        repeatable: true,
        diff: '===\n--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n',
      },
      {
        type: 'approval_decision',
        parentId: 'e1',
        decision: 'always',
        by: 'user',
        reason: 'approved by the user; rule saved: allow a.txt for /w in /c',
        waitedMs: 4200,
      },
      {
        type: 'tool_result',
        parentId: 'e1',
        tool: 'write',
        callId: 'c1',
        result: { ok: true, output: 'Created a.txt', durationMs: 3 },
      },
    ]);
    assert.equal(
      out,
      [
        '⚙ write a.txt (1 line)',
        '  ? needs approval: write tools need approval',
        '    --- a/a.txt',
        '    +++ b/a.txt',
        '    @@ -0,0 +1 @@',
        '    +x',
        '  ✓ approved by you, always; rule saved: allow a.txt for /w in /c',
        '  ✓ write a.txt · 3 ms (waited 4.2 s for approval)',
        '    Created a.txt',
        '',
      ].join('\n'),
    );
  });

  it('a denied call shows no time of its own, only the wait', () => {
    const out = render([
      { type: 'tool_call', parentId: 't', tool: 'bash', callId: 'c1', args: { command: 'cat a.txt' } },
      {
        type: 'approval_request',
        parentId: 'e1',
        tool: 'bash',
        tier: 'exec',
        summary: 'cat a.txt',
        reason: 'commands need approval',
        repeatable: true,
      },
      { type: 'approval_decision', parentId: 'e1', decision: 'deny', by: 'user', reason: 'not now', waitedMs: 1600 },
      {
        type: 'tool_result',
        parentId: 'e1',
        tool: 'bash',
        callId: 'c1',
        result: { ok: false, output: 'denied', durationMs: 1600 },
      },
    ]);
    assert.match(
      out,
      / {2}✗ denied by you: not now\n {2}✗ bash \$ cat a\.txt · not run \(waited 1\.6 s for approval\)\n/,
    );
  });

  it("the call line is the summary the event carries; a log without one gets the tool's own words", () => {
    const args = { path: 'a.txt', content: 'x\ny\n' };
    assert.equal(
      render([{ type: 'tool_call', parentId: 't', tool: 'write', callId: 'c', args, summary: 'as the server said' }]),
      '⚙ write as the server said\n',
    );
    // Lines, as the tool and the panel count them (this line once said characters).
    assert.equal(
      render([{ type: 'tool_call', parentId: 't', tool: 'write', callId: 'c', args }]),
      '⚙ write a.txt (2 lines)\n',
    );
    assert.equal(
      render([{ type: 'tool_call', parentId: 't', tool: 'bash', callId: 'c', args: { command: 'ls' }, summary: 'ls' }]),
      '⚙ bash $ ls\n',
    );
  });

  it('makes control characters in a command visible on the call line', () => {
    assert.match(
      render([
        { type: 'tool_call', parentId: 't', tool: 'bash', callId: 'c', args: { command: 'git status\rrm -rf ~' } },
      ]),
      /git status\\u\{d\}rm -rf ~/,
    );
  });
});
