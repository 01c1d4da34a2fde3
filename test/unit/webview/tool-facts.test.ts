// What a tool card and the Metrics tab say about time and effects: a call's own time apart from
// the wait for its approval (waitedMs, or for older logs the gap between request and decision), a
// stopped command says it was killed, and Restore is offered only for a step that changed files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import { scriptedRun } from '../../../webview/dev/scripted-run.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import { turnSeries, turnTimeStats, waitAndToolTime } from '../../../webview/src/state/metrics.ts';
import { toArray } from '../../../server/src/protocol/pvec.ts';
import { commandStop, restoreStep, timingText, toolTiming } from '../../../webview/src/state/tool-facts.ts';
import type { RunState, ToolItem } from '../../../webview/src/state/types.ts';
import { RUN, ev, realisticRun, runStartDraft } from './realistic-run.ts';

const fold = (events: AgioEvent[]) => foldEvents(emptyRunState(events[0]!.runId), events);
const card = (s: RunState, callId: string) =>
  toArray(s.items).find((i): i is ToolItem => i.kind === 'tool' && i.callId === callId)!;
const p = (seq: number) => `${RUN}.${seq}`;
/** Leaves events out of a log, renumbering seq so it has no gap (ids, which parentIds name, stay). */
const without = (events: AgioEvent[], drop: (e: AgioEvent) => boolean) =>
  events.filter((e) => !drop(e)).map((e, i) => ({ ...e, seq: i + 1 }) as AgioEvent);

/** A command asked, answered after 11 s (waitedMs), then run for 12 ms. */
function askedCommand(waited: { waitedMs?: number }, durationMs: number): AgioEvent[] {
  return [
    ev(1, 0, runStartDraft()),
    ev(2, 10, { type: 'turn_start', parentId: p(1), turn: 1 }),
    ev(3, 20, { type: 'tool_call', parentId: p(2), tool: 'bash', callId: 'c1', args: { command: 'make' } }),
    ev(4, 30, {
      type: 'approval_request',
      parentId: p(3),
      tool: 'bash',
      tier: 'exec',
      summary: 'make',
      reason: 'commands ask',
    }),
    ev(5, 11_030, {
      type: 'approval_decision',
      parentId: p(3),
      decision: 'allow',
      by: 'user',
      reason: 'approved by the user',
      ...waited,
    }),
    ev(6, 11_045, {
      type: 'tool_result',
      parentId: p(3),
      tool: 'bash',
      callId: 'c1',
      result: { ok: true, output: 'exit code: 0', stdout: '', stderr: '', exitCode: 0, durationMs },
    }),
    ev(7, 11_100, { type: 'turn_end', parentId: p(1), turn: 1 }),
  ];
}

test('a tool card says its own time and the approval wait apart', () => {
  const s = fold(askedCommand({ waitedMs: 11_000 }, 12));
  const c = card(s, 'c1');
  assert.deepStrictEqual(toolTiming(c), { ownMs: 12, waitedMs: 11_000 });
  assert.equal(timingText(c), 'took 12 ms · waited 11 s for approval');
  // Allowed by the policy: nobody waited.
  const read = card(fold(realisticRun()), 'c1');
  assert.equal(timingText(read), 'took 5 ms');
});

test('an old log (no waitedMs) measures the wait between the events and takes it out of durationMs', () => {
  const c = card(fold(askedCommand({}, 11_012)), 'c1');
  assert.equal(c.approval?.waitEstimated, true);
  assert.deepStrictEqual(toolTiming(c), { ownMs: 12, waitedMs: 11_000 });
  // The denied command of the realistic run: asked at 3110, denied at 3500; a denial has no own time to show.
  const denied = card(fold(realisticRun()), 'c3');
  assert.equal(timingText(denied), 'waited 390 ms for approval');
});

test('per-turn time and its p95 leave approval waits out; the wait and the tool time are figures of their own', () => {
  const s = fold(askedCommand({ waitedMs: 11_000 }, 12));
  const [turn] = turnSeries(s);
  assert.equal(turn?.durationMs, 11_090);
  assert.equal(turn?.approvalWaitMs, 11_000);
  assert.deepStrictEqual(turnTimeStats(s), { count: 1, medianMs: 90, p95Ms: 90, maxMs: 90 });
  assert.deepStrictEqual(waitAndToolTime(s), { approvalWaitMs: 11_000, toolMs: 12 });
  // The scripted run waits 2.6 s, 4.1 s and 1.9 s for the user.
  const scripted = fold(scriptedRun('r-s', 'completed', 0));
  assert.equal(waitAndToolTime(scripted).approvalWaitMs, 8600);
  assert.ok(turnTimeStats(scripted).p95Ms < 2600, `p95 ${turnTimeStats(scripted).p95Ms} ms must not contain a wait`);
});

test('a stopped command says it was killed, never just "no output"', () => {
  const s = fold(scriptedRun('r-s', 'stopped', 0));
  const stopped = card(s, 'call_serve');
  assert.deepStrictEqual(commandStop(stopped), {
    label: 'stopped',
    text: 'Stopped when the run was cancelled: the command and everything it started were killed.',
  });
  const withResult = (output: string): ToolItem => ({ ...stopped, result: { ...stopped.result!, output } });
  assert.deepStrictEqual(
    commandStop(
      withResult('timed out after 120000 ms; the command and everything it started were killed\n(no output)'),
    ),
    {
      label: 'timed out',
      text: 'Timed out after 2m 00s: the command and everything it started were killed.',
    },
  );
  assert.equal(commandStop(withResult('killed by signal SIGKILL\n(no output)'))?.label, 'killed');
  assert.equal(commandStop(card(s, 'call_test')), undefined, 'a command that exited by itself');
  assert.equal(commandStop(card(s, 'call_rm')), undefined, 'a denied command never ran');
});

test('Restore is offered only for a step that changed files; runs without checkpoint_end keep it', () => {
  const s = fold(scriptedRun('r-s', 'stopped', 0));
  assert.equal(card(s, 'call_edit').changedFiles, 1);
  assert.equal(restoreStep(card(s, 'call_edit')), 1);
  assert.equal(card(s, 'call_test').changedFiles, 0);
  assert.equal(restoreStep(card(s, 'call_test')), undefined, 'the tests changed nothing');
  assert.equal(restoreStep(card(s, 'call_serve')), undefined);
  // An older log: a checkpoint and no checkpoint_end.
  const old = fold(without(scriptedRun('r-s', 'stopped', 0), (e) => e.type === 'checkpoint_end'));
  assert.equal(restoreStep(card(old, 'call_test')), 2);
  // While the step runs there is nothing to restore yet.
  const running = fold(
    without(scriptedRun('r-s', 'stopped', 0), (e) => e.type === 'tool_result' && e.callId === 'call_serve'),
  );
  assert.equal(card(running, 'call_serve').status, 'interrupted', 'closed by run_end');
  assert.equal(restoreStep({ ...card(running, 'call_serve'), status: 'running' }), undefined);
});
