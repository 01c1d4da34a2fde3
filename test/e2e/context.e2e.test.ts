// @-mentions in a real VS Code (code-server in headless Chromium, the packaged .vsix, the fake model):
// type '@' and part of a file's name in the panel, pick the file from the picker with the keyboard,
// add @problems with Tab, send; the task shows chips for both, the model's first request holds the
// file's content, the window meter shows how full the context is, a chip opens its file, and
// /compact with no run running says so instead of starting a task. Then /compact while a run waits
// for an approval: the next model call is preceded by a visible compaction with its summary; rules
// found in a subfolder mid-run show where they were loaded.
//
//   npm run test:e2e     (setup.sh + package + the e2e files)
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import type { RecordedRequest, ScriptedTurn } from '../fake-llm/script.ts';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import {
  agioPanel,
  launchBrowser,
  openVsCode,
  prepareAgio,
  runCommand,
  screenshot,
  startCodeServer,
  type CodeServer,
} from './code-server.ts';

/** Only in the file: if the model's request holds it, the server read the mentioned file. */
const MARKER = 'turquoise-walrus-4711';

let root: string;
let fake: FakeLlm;
let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let answer: (req: RecordedRequest, index: number) => ScriptedTurn = () => ({
  text: 'The widget colour is set in one place.',
});

before(
  async () => {
    ({ root } = prepareAgio('agio-e2e-ctx-'));
    mkdirSync(join(root, 'ws', 'src', 'widgets'), { recursive: true });
    writeFileSync(join(root, 'ws', 'src', 'widgets', 'widget-config.ts'), `export const colour = '${MARKER}';\n`);
    writeFileSync(
      join(root, 'ws', 'src', 'app.ts'),
      "import { colour } from './widgets/widget-config';\nconsole.log(colour);\n",
    );
    // Each test sets `answer`; the summarizer's requests need a script that can look at the request.
    fake = await startFakeLlm((req, i) => answer(req, i));
  },
  { timeout: 900_000 },
);

after(async () => {
  await browser?.close().catch(() => undefined);
  await cs?.stop();
  await fake?.close();
  if (root && !process.env.AGIO_E2E_KEEP) rmSync(root, { recursive: true, force: true });
});

const panel = (): Promise<Frame> => agioPanel(page);

test('an @-mentioned file is picked, attached, shown as a chip and given to the model', {
  timeout: 300_000,
}, async () => {
  const ws = join(root, 'ws');
  cs = await startCodeServer({
    workspace: ws,
    extensionDirs: [{ id: 'agio.agio-0.1.0', path: join(root, 'vsix', 'extension') }],
    settings: {
      'agio.provider': 'openai',
      'agio.baseUrl': fake.openaiBaseUrl,
      'agio.model': 'fake-model',
      'agio.approval': 'ask',
      'agio.contextWindow': 64_000,
      'workbench.colorTheme': 'Default Dark Modern',
    },
    env: { AGIO_SANDBOX: 'off', AGIO_STORE: join(root, 'agio.db') },
  });
  ({ browser, page } = await launchBrowser({ width: 1400, height: 900 }));
  try {
    await openVsCode(page, cs.url, ws);
    assert.equal(fake.requests.length, 0);
    await runCommand(page, 'Agio: Open Panel');
    const frame = await panel();
    await frame.getByRole('tab', { name: 'Chat' }).click();
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await input.click();

    // '@' and part of the name: the picker lists the file (found by the client's workspace search).
    await input.pressSequentially('Where is the colour set in @widg', { delay: 20 });
    const option = frame.getByRole('option', { name: /src\/widgets\/widget-config\.ts/ });
    await option.waitFor({ timeout: 30_000 });
    // Special mentions that do not match "widg" are not offered.
    assert.equal(await frame.getByRole('option', { name: /@problems/ }).count(), 0);
    await screenshot(page, 'mention-picker-dark');
    // The file is the only match: Enter picks it (it does not send the task).
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'Where is the colour set in @src/widgets/widget-config.ts ');
    assert.equal(await frame.getByRole('listbox', { name: 'Mentions' }).count(), 0, 'the picker closed');

    // A special mention, picked with Tab.
    await input.pressSequentially('and check @prob', { delay: 20 });
    await frame.getByRole('option', { name: /@problems/ }).waitFor({ timeout: 10_000 });
    await input.press('Tab');
    assert.equal(
      await input.inputValue(),
      'Where is the colour set in @src/widgets/widget-config.ts and check @problems ',
    );

    // Escape closes the picker; Enter then sends.
    await input.pressSequentially('@', { delay: 20 });
    await frame.getByRole('listbox', { name: 'Mentions' }).waitFor({ timeout: 10_000 });
    await input.press('Escape');
    assert.equal(await frame.getByRole('listbox', { name: 'Mentions' }).count(), 0);
    await input.press('Backspace');
    await input.press('Enter');

    // The task's message carries a chip per attachment.
    await frame.getByText('The widget colour is set in one place.').waitFor({ timeout: 60_000 });
    const task = frame.locator('.msg.user');
    const fileChip = task.locator('.context-chip', { hasText: 'widget-config.ts' });
    await fileChip.waitFor({ timeout: 10_000 });
    await task.locator('.context-chip', { hasText: 'problems' }).waitFor({ timeout: 10_000 });
    assert.match((await fileChip.getAttribute('title')) ?? '', /characters/);
    assert.doesNotMatch((await fileChip.getAttribute('class')) ?? '', /failed/);

    // The model got the file's content and the task with its mention tokens, in one request.
    assert.equal(fake.requests.length, 1);
    const first = fake.requests[0]!.rawBody;
    assert.ok(first.includes(MARKER), 'the first model request holds the mentioned file');
    assert.ok(first.includes('@src/widgets/widget-config.ts'), 'the task keeps its mention');
    // @problems went with the editor's diagnostics (none here: no file was open to be checked).
    assert.ok(first.includes('No problems are reported in the workspace.'), 'the problems the editor knows');

    // The window meter: the window from the settings, the fill from the run's figures.
    // At the default sidebar width the line shows the share; the whole figure is its tooltip.
    const meter = frame.locator('.status-meter');
    await meter.waitFor({ timeout: 10_000 });
    assert.match(await meter.innerText(), /^~?\d+%( of 64k)?$/);
    assert.match((await meter.getAttribute('title')) ?? '', /^Context window: ~?\d+% of 64k\./);
    await screenshot(page, 'chat-context-chips-dark');

    // A chip opens what it points at.
    await fileChip.click();
    await page.locator('.tab', { hasText: 'widget-config.ts' }).first().waitFor({ timeout: 15_000 });

    // /compact with nothing running says so and starts nothing.
    const runsBefore = fake.requests.length;
    await input.fill('/compact');
    await input.press('Enter');
    await frame.getByText('No run is running', { exact: false }).waitFor({ timeout: 10_000 });
    assert.equal(await input.inputValue(), '/compact', 'the text stays for the user to change');
    assert.equal(fake.requests.length, runsBefore);
  } catch (err) {
    await screenshot(page, 'context-failure.tmp').catch(() => undefined);
    if (process.env.AGIO_E2E_DEBUG) process.stderr.write(cs.logs().slice(-5000));
    throw err;
  }
});

test('/compact in a running run compacts before the next model call, visibly, with the summary one click away', {
  timeout: 300_000,
}, async () => {
  assert.ok(cs, 'runs after the first test, in the same window');
  const SUMMARY = 'The agent read src/app.ts and the widget config and is about to run a command.';
  // The summarizer's request is told apart by its system prompt; the rest is the run's own turns.
  // Rules in a subfolder reach the model when the run first touches that folder, and show there.
  writeFileSync(join(root, 'ws', 'src', 'widgets', 'AGENTS.md'), 'Widgets: colours are named in British English.\n');
  let turn = 0;
  answer = (req) => {
    if (req.rawBody.includes('You compact the conversation')) return { text: SUMMARY };
    turn++;
    if (turn === 1) return { toolCalls: [{ name: 'read', arguments: { path: 'src/app.ts' } }] };
    if (turn === 2) return { toolCalls: [{ name: 'read', arguments: { path: 'src/widgets/widget-config.ts' } }] };
    if (turn === 3) return { toolCalls: [{ name: 'bash', arguments: { command: 'echo compacted-run' } }] };
    return { text: 'All done after compacting.' };
  };
  fake.requests.length = 0;
  try {
    const frame = await panel();
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await input.fill('Read the app and the widget config, then echo');
    await input.press('Enter');
    const approve = frame.getByRole('button', { name: 'Approve' });
    await approve.waitFor({ timeout: 60_000 });
    await frame
      .locator('.context-row', { hasText: 'Loaded for the model:' })
      .locator('.context-chip', { hasText: 'src/widgets/AGENTS.md' })
      .waitFor({ timeout: 10_000 });
    assert.ok(fake.requests.at(-1)!.rawBody.includes('British English'), 'the subfolder rules reached the model');

    // The run waits for the approval: /compact is queued, no task is started.
    await input.fill('/compact');
    await input.press('Enter');
    assert.equal(await input.inputValue(), '', 'the command was taken');
    await approve.click();

    const done = frame.locator('.compaction.done');
    await done.waitFor({ timeout: 60_000 });
    // Older than the last two turns: the first turn's call and its result.
    assert.match(await done.innerText(), /^Compacted 2 messages: [\d.,]+k? → [\d.,]+k? tokens \(you asked\)$/);
    await frame.getByText('All done after compacting.').waitFor({ timeout: 60_000 });
    await done.getByRole('button').click();
    await done
      .locator('.compaction-summary', { hasText: 'read src/app.ts and the widget config' })
      .waitFor({ timeout: 10_000 });
    await screenshot(page, 'chat-compacted-dark');

    // Metrics: how full the window was at each of the four turns, against the compaction threshold.
    await frame.getByRole('tab', { name: 'Metrics' }).click();
    const chart = frame.locator('.chart', { hasText: 'Context window filled per turn' });
    await chart.waitFor({ timeout: 10_000 });
    assert.equal(await chart.locator('rect.bar').count(), 4);
    await screenshot(page, 'metrics-context-dark');
    await frame.getByRole('tab', { name: 'Chat' }).click();

    // The model's next request had the summary in place of the older turn.
    const i = fake.requests.findIndex((r) => r.rawBody.includes('You compact the conversation'));
    assert.ok(i >= 0, 'the summarizer was asked');
    assert.ok(fake.requests[i + 1]!.rawBody.includes(SUMMARY), 'the next request carries the summary');

    // The palette command says so when nothing runs.
    await runCommand(page, 'Agio: Compact Conversation');
    await page.locator('.notifications-toasts', { hasText: 'No Agio run is running' }).waitFor({ timeout: 10_000 });
  } catch (err) {
    await screenshot(page, 'context-compact-failure.tmp').catch(() => undefined);
    if (process.env.AGIO_E2E_DEBUG) process.stderr.write(cs!.logs().slice(-5000));
    throw err;
  }
});

test('@selection and @terminal carry what only the editor sees: the selected lines and the last command output', {
  timeout: 300_000,
}, async () => {
  assert.ok(cs, 'runs after the first test, in the same window');
  answer = () => ({ text: 'Seen the selection and the terminal.' });
  fake.requests.length = 0;
  try {
    // A command in the integrated terminal; VS Code's shell integration lets Agio read its output.
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm').first().waitFor({ timeout: 30_000 });
    // xterm draws on a canvas, so the output is not in the DOM; what is, once shell integration has
    // seen a command finish, is its gutter decoration. That is also when VS Code has handed Agio the
    // output. A command typed before shell integration activated gets none: type it again then.
    const finished = page.locator(
      '.terminal-wrapper.active .terminal-command-decoration.codicon-terminal-decoration-success',
    );
    let seen = false;
    for (let attempt = 0; attempt < 6 && !seen; attempt++) {
      // The sleep: VS Code hands a command's output to extensions only after announcing its start, so
      // an instant echo can be over before Agio reads; real commands worth attaching take longer.
      await page.keyboard.type('sleep 0.5; echo terminal-$((6*7))-marker');
      await page.keyboard.press('Enter');
      seen = await finished
        .first()
        .waitFor({ timeout: 5_000 })
        .then(
          () => true,
          () => false,
        );
    }
    assert.ok(seen, 'shell integration reported the command as finished (its success decoration)');

    // Lines 1-2 of src/app.ts selected in the editor.
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget').waitFor();
    await page.keyboard.type('app.ts');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'app.ts' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-lines', { hasText: 'console.log' }).first().click();
    await page.keyboard.press('Control+A');

    const frame = await panel();
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await input.click();
    await input.pressSequentially('Explain @sel', { delay: 20 });
    await frame.getByRole('option', { name: /@selection/ }).waitFor({ timeout: 10_000 });
    await input.press('Enter');
    await input.pressSequentially('and @term', { delay: 20 });
    // With the mouse this time.
    await frame.getByRole('option', { name: /@terminal/ }).click();
    assert.equal(await input.inputValue(), 'Explain @selection and @terminal ');
    await input.press('Enter');

    await frame.getByText('Seen the selection and the terminal.').waitFor({ timeout: 60_000 });
    const task = frame.locator('.msg.user').last();
    await task.locator('.context-chip', { hasText: 'src/app.ts:1-2' }).waitFor({ timeout: 10_000 });
    const terminalChip = task.locator('.context-chip', { hasText: '@terminal' });
    await terminalChip.waitFor({ timeout: 10_000 });
    await screenshot(page, 'chat-selection-terminal-dark');
    const body = fake.requests[0]!.rawBody;
    assert.ok(body.includes('console.log(colour);'), 'the selected text');
    assert.ok(
      body.includes('terminal-42-marker'),
      'the terminal command output (not only its command line, which has no 42)',
    );
  } catch (err) {
    await screenshot(page, 'context-editor-failure.tmp').catch(() => undefined);
    if (process.env.AGIO_E2E_DEBUG) process.stderr.write(cs!.logs().slice(-5000));
    throw err;
  }
});
