// One approval schema end to end: the question the server sends (agio/approval/request), the event
// that logs it (approval_request) and what the panel shows are read with the same schema, and the
// answer is the same shape from the panel's `approve` message to the method's result.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApprovalAnswer, ApprovalAsked, ApprovalQuestion } from '../../../server/src/protocol/approval.ts';
import { AgioEvent } from '../../../server/src/protocol/events.ts';
import { ApprovalRequest } from '../../../server/src/protocol/methods.ts';
import { FromWebview } from '../../../server/src/protocol/webview.ts';

const question: ApprovalQuestion = {
  runId: 'r1',
  callId: 'c1',
  tool: 'write',
  tier: 'write',
  summary: 'src/a.ts (3 lines)',
  args: { path: 'src/a.ts', content: 'a\nb\nc\n' },
  reason: 'writes ask in ask mode',
  diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n',
  repeatable: true,
  proposed: { path: '/w/src/a.ts', content: 'a\nb\nc\n' },
};

test('the method is declared with the one question and answer schemas', () => {
  assert.equal(ApprovalRequest.params, ApprovalQuestion);
  assert.equal(ApprovalRequest.result, ApprovalAnswer);
  assert.deepEqual(ApprovalRequest.params.parse(question), question);
});

test("an approval question round-trips: the event's fields and the method's params parse the same", () => {
  const logged = ApprovalAsked.parse(question); // what the server logs of the question it sends
  const event = AgioEvent.parse({
    id: 'r1.5',
    runId: question.runId,
    seq: 5,
    parentId: 'r1.4',
    ts: 1,
    type: 'approval_request',
    ...logged,
    details: ['write outside the allowed folders'],
  });
  assert.equal(event.type, 'approval_request');
  assert.deepEqual(ApprovalAsked.parse(event), logged);
  assert.deepEqual(logged, {
    tool: 'write',
    tier: 'write',
    summary: 'src/a.ts (3 lines)',
    reason: 'writes ask in ask mode',
    diff: question.diff,
    repeatable: true,
  });
  // A field of the question that does not fit fails both the same way.
  const bad = { ...question, tier: 'admin' };
  assert.equal(ApprovalQuestion.safeParse(bad).success, false);
  assert.equal(AgioEvent.safeParse({ ...event, tier: 'admin' }).success, false);
  // Logs from before `repeatable` existed still read.
  const { repeatable: _, ...old } = event;
  assert.equal(AgioEvent.safeParse(old).success, true);
});

test("the panel's answer is the method's result", () => {
  const msg = FromWebview.parse({
    type: 'approve',
    runId: 'r1',
    callId: 'c1',
    decision: 'deny',
    feedback: 'not there',
  });
  assert.deepEqual(ApprovalAnswer.parse(msg), { decision: 'deny', feedback: 'not there' });
  assert.deepEqual(ApprovalRequest.result.parse(ApprovalAnswer.parse(msg)), {
    decision: 'deny',
    feedback: 'not there',
  });
  assert.equal(FromWebview.safeParse({ type: 'approve', runId: 'r1', callId: 'c1', decision: 'maybe' }).success, false);
});
