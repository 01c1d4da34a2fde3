// The status line says when a run is in unsandboxed full-auto (the user's opt-in, recorded in
// run_start): in words that never collapse to an icon, since the workspace's own code runs unconfined.
// Without the opt-in, full-auto with no sandbox says it asks first. Old logs (no field) read as off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgioEvent } from '../../../server/src/protocol/events.ts';
import type { PanelConfig } from '../../../server/src/protocol/webview.ts';
import { initialPanel, reducePanel, type PanelAction, type PanelState } from '../../../webview/src/state/panel.ts';
import { statusItems } from '../../../webview/src/state/status-items.ts';
import { RUN, ev, runStartDraft } from './realistic-run.ts';

const CONFIG: PanelConfig = {
  provider: 'openai',
  model: 'gpt-4.1',
  approval: 'full-auto',
  hasKey: true,
  sandbox: 'none',
  trusted: true,
};
const panel = (...actions: PanelAction[]): PanelState => actions.reduce(reducePanel, initialPanel());
const sandboxOf = (p: PanelState) => statusItems(p, p.runStates.get(RUN)).find((i) => i.key === 'sandbox')!;
const started = (extra: Parameters<typeof runStartDraft>[0]): PanelAction => ({
  type: 'events',
  runId: RUN,
  fromSeq: 1,
  events: [ev(1, 1000, runStartDraft(extra))],
});
const focused: PanelAction = { type: 'focusRun', runId: RUN };

test('a run in unsandboxed full-auto says so, in words that stay, with what it means in the tooltip', () => {
  const p = panel(
    { type: 'config', config: CONFIG },
    started({ approval: 'full-auto', sandbox: 'none', unsandboxedFullAuto: true }),
    focused,
  );
  const item = sandboxOf(p);
  assert.equal(item.text + (item.detail ?? ''), 'unsandboxed full-auto');
  assert.equal(item.text, 'unsandboxed', 'the words kept in a narrow panel');
  assert.equal(item.tone, 'warning');
  assert.equal(item.collapsible, false, 'never only an icon');
  assert.match(item.title, /can do anything you can/);
  assert.match(item.title, /agio\.allowUnsandboxedFullAuto/);
});

test('without the opt-in, full-auto with no sandbox says it asks before the workspace code runs', () => {
  const p = panel({ type: 'config', config: CONFIG }, started({ approval: 'full-auto', sandbox: 'none' }), focused);
  const item = sandboxOf(p);
  assert.equal(item.text, 'no sandbox');
  assert.match(item.title, /full-auto asks before running the workspace's own code/);
});

test('the opt-in means nothing in a sandbox or in another mode, and the status does not claim it', () => {
  for (const extra of [
    { approval: 'full-auto' as const, sandbox: 'bwrap', unsandboxedFullAuto: true },
    { approval: 'ask' as const, sandbox: 'none', unsandboxedFullAuto: true },
  ]) {
    const item = sandboxOf(panel({ type: 'config', config: CONFIG }, started(extra), focused));
    assert.notEqual(item.text, 'unsandboxed', JSON.stringify(extra));
  }
});

test("before a run, the panel's config says it: the user's setting, with full-auto and no sandbox", () => {
  assert.equal(
    sandboxOf(panel({ type: 'config', config: { ...CONFIG, unsandboxedFullAuto: true } })).text,
    'unsandboxed',
  );
  assert.equal(sandboxOf(panel({ type: 'config', config: CONFIG })).text, 'no sandbox');
  // The run's own record wins over the setting now: a run started without the opt-in did not have it.
  const p = panel(
    { type: 'config', config: { ...CONFIG, unsandboxedFullAuto: true } },
    started({ approval: 'full-auto', sandbox: 'none' }),
    focused,
  );
  assert.equal(sandboxOf(p).text, 'no sandbox');
});

test('run_start records the choice, and a log from before the field existed still parses (as off)', () => {
  const base = { id: 'r.1', runId: 'r', seq: 1, ts: 1, ...runStartDraft({ approval: 'full-auto', sandbox: 'none' }) };
  const old = AgioEvent.parse(base);
  assert.equal(old.type === 'run_start' && old.unsandboxedFullAuto, undefined);
  const now = AgioEvent.parse({ ...base, unsandboxedFullAuto: true });
  assert.equal(now.type === 'run_start' && now.unsandboxedFullAuto, true);
  assert.throws(() => AgioEvent.parse({ ...base, unsandboxedFullAuto: 'yes' }));
});
