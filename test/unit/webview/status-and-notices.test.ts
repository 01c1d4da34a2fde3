// The status line at sidebar widths (what may collapse to an icon, always with its tooltip), the
// unknown-model notice in the editor's words with its Open Settings, Restricted Mode, and the panel
// messages those buttons post.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import { FromWebview, type PanelConfig } from '../../../server/src/protocol/webview.ts';
import { scriptedRun } from '../../../webview/dev/scripted-run.ts';
import { emptyRunState, foldEvents } from '../../../webview/src/state/fold.ts';
import { unknownModelText } from '../../../webview/src/state/notices.ts';
import { classifyError } from '../../../server/src/models/errors.ts';
import { cutNotice } from '../../../server/src/agent/output-cut.ts';
import { initialPanel, reducePanel, type PanelAction, type PanelState } from '../../../webview/src/state/panel.ts';
import { toArray } from '../../../server/src/protocol/pvec.ts';
import { inRestrictedMode, RESTRICTED_TEXT } from '../../../webview/src/state/restricted.ts';
import { statusItems } from '../../../webview/src/state/status-items.ts';
import type { NoticeItem } from '../../../webview/src/state/types.ts';
import { RUN, ev, runStartDraft } from './realistic-run.ts';

const CONFIG: PanelConfig = {
  provider: 'openai',
  model: 'gpt-4.1',
  approval: 'ask',
  hasKey: true,
  sandbox: 'bwrap',
  trusted: true,
};
const panel = (...actions: PanelAction[]): PanelState => actions.reduce(reducePanel, initialPanel());
const byKey = (p: PanelState) => new Map(statusItems(p, p.runStates.get('r-current')).map((i) => [i.key, i]));

test('status items that need no words at a glance may collapse to their icon; a server down never does; each keeps its whole text as a tooltip', () => {
  const events = scriptedRun('r-current', 'pending-bash', 0);
  const p = panel(
    { type: 'config', config: CONFIG },
    { type: 'serverState', state: 'running' },
    { type: 'events', runId: 'r-current', fromSeq: 1, events },
  );
  const items = byKey(p);
  assert.deepStrictEqual([...items.keys()], ['server', 'sandbox', 'activity', 'meter', 'cost']);
  assert.equal(items.get('server')?.collapsible, true);
  assert.equal(items.get('sandbox')?.collapsible, true);
  assert.equal(items.get('activity')?.collapsible, false);
  assert.deepStrictEqual(
    [items.get('activity')?.text, items.get('activity')?.detail],
    ['approval needed', ' · turn 4'],
  );
  assert.equal(
    items.get('activity')?.title,
    'approval needed · turn 4: the run waits for your answer',
    'what the narrow line drops is in the tooltip',
  );
  assert.equal(items.get('meter')?.text, '0%');
  assert.equal(items.get('meter')?.detail, ' of 1.05M');
  for (const item of items.values())
    assert.ok(item.title.includes(item.text), `${item.key}'s tooltip says what its text says`);

  const down = byKey(
    panel(
      { type: 'config', config: { ...CONFIG, sandbox: 'none' } },
      { type: 'serverState', state: 'crash_loop', message: 'exit 1' },
    ),
  );
  assert.equal(down.get('server')?.collapsible, false, 'a crash is news');
  assert.equal(down.get('server')?.title, 'server keeps crashing: exit 1');
  // "no sandbox" keeps its warning-coloured icon, so the activity and the cost keep their words.
  assert.equal(down.get('sandbox')?.collapsible, true);
  assert.equal(down.get('sandbox')?.tone, 'warning');
});

test('Restricted Mode: the banner and a status item when the folder is not trusted; the messages they post parse', () => {
  const restricted = panel({ type: 'config', config: { ...CONFIG, trusted: false } });
  assert.equal(inRestrictedMode(restricted), true);
  assert.equal(inRestrictedMode(panel({ type: 'config', config: CONFIG })), false);
  assert.equal(inRestrictedMode(initialPanel()), false, 'not before the config says');
  // The banner says it in full; the status item keeps its warning-coloured icon.
  assert.equal(byKey(restricted).get('restricted')?.collapsible, true);
  assert.equal(byKey(restricted).get('restricted')?.tone, 'warning');
  for (const limit of ['edit files', 'run commands', 'fetch URLs', '.agio/policy.json', 'read and search']) {
    assert.ok(RESTRICTED_TEXT.includes(limit), `the banner says: ${limit}`);
  }
  assert.deepStrictEqual(FromWebview.parse({ type: 'manageTrust' }), { type: 'manageTrust' });
  assert.deepStrictEqual(FromWebview.parse({ type: 'openSettings', query: 'agio.models' }), {
    type: 'openSettings',
    query: 'agio.models',
  });
  assert.throws(() => FromWebview.parse({ type: 'openSettings' }), 'a settings query is required');
});

test('the unknown_model notice is said in editor terms, short, with Open Settings for agio.models', () => {
  const s = foldEvents(emptyRunState('r-current'), scriptedRun('r-current', 'completed', 0, { priced: false }));
  const notice = toArray(s.items).find((i): i is NoticeItem => i.kind === 'notice' && i.notice === 'info')!;
  assert.equal(
    notice.text,
    "Agio doesn't know model qwen2.5-coder:7b's context window or prices, so it assumes 32,768 tokens and does not count cost.",
  );
  assert.equal(notice.settings, 'agio.models');
  assert.doesNotMatch(notice.text, /--context-window|prices\.json/, 'no CLI words in the editor');
  // A model with a price but no known window (an agio.models entry with prices only).
  assert.equal(
    unknownModelText(
      'my-model',
      65_536,
      'Agio does not know the context window of "my-model", so it assumes 65,536 tokens (and 4,096 output tokens). Set …',
    ),
    "Agio doesn't know model my-model's context window, so it assumes 65,536 tokens.",
  );
});

test("other notices keep the server's message and offer no settings", () => {
  const events: AgioEvent[] = [
    ev(1, 0, runStartDraft()),
    ev(2, 5, {
      type: 'notice',
      parentId: `${RUN}.1`,
      kind: 'rules_truncated',
      message: 'AGENTS.md was cut at 32,000 characters.',
    }),
  ];
  const [, notice] = toArray(foldEvents(emptyRunState(RUN), events).items);
  assert.deepStrictEqual(notice, {
    kind: 'notice',
    id: 'r1.2',
    version: 2,
    turn: 0,
    notice: 'info',
    text: 'AGENTS.md was cut at 32,000 characters.',
  });
});

test("a reply cut by a budget or the output cap is said in the editor's settings, not the CLI's flags", () => {
  const texts = (['tokens', 'cost', undefined] as const).map((by) => {
    const events: AgioEvent[] = [
      ev(1, 0, runStartDraft()),
      // The server's own words for each cause, not a copy of them.
      ev(2, 5, { type: 'notice', parentId: `${RUN}.1`, kind: 'output_cut', message: cutNotice(3, 120, by, 1) }),
    ];
    const [, notice] = toArray(foldEvents(emptyRunState(RUN), events).items);
    return (notice as NoticeItem).text;
  });
  assert.match(texts[0]!, /all the token budget \(the agio\.maxTokens setting\) had left/);
  assert.match(texts[1]!, /all the cost budget \(the agio\.maxCostUsd setting\) had left/);
  assert.match(texts[2]!, /Raise the cap with "maxOutput" for the model in the agio\.models setting\./);
  for (const t of texts) assert.doesNotMatch(t, /--max|prices\.json/, t);
});

test("a rejected key is said in the editor's terms, with Set API Key; other errors keep their words", () => {
  // The driver's own message for a 401, not a copy of it.
  const auth = classifyError(
    Object.assign(new Error('Incorrect API key provided'), { status: 401 }),
    'openai',
    new AbortController().signal,
  );
  assert.match(auth.message, /Check OPENAI_API_KEY\./, 'the server words it for the terminal');
  const events: AgioEvent[] = [
    ev(1, 0, runStartDraft()),
    ev(2, 5, { type: 'error', parentId: `${RUN}.1`, message: auth.message, kind: auth.kind, fatal: true }),
    ev(3, 6, { type: 'error', parentId: `${RUN}.1`, message: 'the tool broke', kind: 'tool', fatal: false }),
  ];
  const state = foldEvents(emptyRunState(RUN), events);
  const [, keyNotice, other] = toArray(state.items);
  assert.ok(keyNotice?.kind === 'notice' && other?.kind === 'notice');
  assert.equal(keyNotice.setKey, true);
  assert.doesNotMatch(keyNotice.text, /OPENAI_API_KEY/);
  assert.match(keyNotice.text, /Agio: Set API Key/);
  assert.equal(state.error, keyNotice.text, 'the run summary says it the same way');
  assert.equal(other.setKey, undefined);
  assert.equal(other.text, 'the tool broke');
});
