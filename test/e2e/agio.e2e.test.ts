// Agio inside a real VS Code (code-server 1.139 in headless Chromium), installed from the packaged
// .vsix, talking to the project's fake model server. A user's task from prompt to file on disk:
// type the task, approve the edit inline (a diff editor opens beside), deny a command and see the
// model told so, see the file changed on disk and in the editor, undo it with Ctrl+Z, read the token
// figures in Metrics, reload the window, find the run in History and replay it.
//
//   npm run test:e2e     (setup.sh + package + this file)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Frame, Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import {
  agioPanel,
  launchBrowser,
  openFile,
  openVsCode,
  panelScreenshot,
  prepareAgio,
  runCommand,
  screenshot,
  startCodeServer,
  type CodeServer,
} from './code-server.ts';
import { clickEveryTab, layoutProblems } from './panel-layout.ts';

const ORIGINAL = "export function greet(name) {\n  return 'Hello ' + name;\n}\n";
const EDITED = 'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n';

let root: string;
let fake: FakeLlm;
let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

before(
  async () => {
    // A user's install: the .vsix unpacked into the extensions folder, as --install-extension does.
    ({ root } = prepareAgio('agio-e2e-'));
    mkdirSync(join(root, 'ws', 'src'), { recursive: true });
    writeFileSync(join(root, 'ws', 'src', 'greet.js'), ORIGINAL);
    fake = await startFakeLlm({
      strict: true,
      turns: [
        {
          text: 'I will make the greeting friendlier.',
          toolCalls: [
            {
              name: 'edit',
              arguments: {
                path: 'src/greet.js',
                edits: [{ old_text: "return 'Hello ' + name;", new_text: 'return `Hello, ${name}!`;' }],
              },
            },
          ],
        },
        { toolCalls: [{ name: 'bash', arguments: { command: 'node --test' } }] },
        {
          text: 'Done: `greet` now says **Hello, name!**. I did not run the tests, as you asked.',
          usage: { input: 900, output: 30, cached: 600 },
        },
        { toolCalls: [{ name: 'bash', arguments: { command: 'touch should-not-exist.txt' } }] },
        { text: 'Understood: I left the file alone.' },
      ],
    });
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

async function editorText(): Promise<string> {
  // Monaco renders visible lines; the test file is short, so all of it is visible.
  // Monaco draws spaces as non-breaking spaces.
  return (await page.locator('.editor-instance .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

test('a task from prompt through inline approval to the file changed, undone, measured and replayed', {
  timeout: 300_000,
}, async () => {
  const ws = join(root, 'ws');
  const store = join(root, 'agio.db');
  cs = await startCodeServer({
    workspace: ws,
    extensionDirs: [{ id: 'agio.agio-0.1.0', path: join(root, 'vsix', 'extension') }],
    settings: {
      'agio.provider': 'openai',
      'agio.baseUrl': fake.openaiBaseUrl,
      'agio.model': 'fake-model',
      'agio.approval': 'ask',
      'workbench.colorTheme': 'Default Dark Modern',
    },
    // The event log goes to a temp file, never the user's own store.
    env: { AGIO_SANDBOX: 'off', AGIO_STORE: store },
  });
  ({ browser, page } = await launchBrowser({ width: 1400, height: 900 }));
  try {
    await openVsCode(page, cs.url, ws);
    await openFile(page, 'greet.js');

    await runCommand(page, 'Agio: Open Panel');
    let frame = await panel();
    await frame.getByRole('tab', { name: 'Chat' }).click();
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await input.fill('Make the greeting friendlier');
    await input.press('Enter');

    // The edit asks: inline buttons in the card, and a diff editor beside the panel.
    const approve = frame.getByRole('button', { name: 'Approve' });
    await approve.waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'proposed by Agio' }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'chat-pending-approval-dark');
    // The sidebar at VS Code's default width: nothing cut, nothing scrolled sideways, one status row.
    assert.deepEqual(await layoutProblems(frame), [], 'the panel at the default sidebar width');
    await panelScreenshot(page, 'panel-pending-approval-dark');
    await approve.click();

    // The command asks next: deny it, telling the model why.
    frame = await panel();
    // Scoped to the command's card: the edit's card may still be on screen for a moment.
    const bashCard = frame.locator('.approval', { hasText: 'node --test' });
    await bashCard.waitFor({ timeout: 60_000 });
    await bashCard.getByRole('textbox', { name: 'Reason for denying (optional)' }).fill('not now, just the edit');
    await bashCard.getByRole('button', { name: 'Deny' }).click();
    await frame.getByText('I did not run the tests', { exact: false }).waitFor({ timeout: 60_000 });

    // The file changed on disk and in the editor; the model was told why the command was denied.
    assert.equal(readFileSync(join(ws, 'src', 'greet.js'), 'utf8'), EDITED);
    assert.match(await editorText(), /Hello, \$\{name\}!/);
    assert.match(fake.requests[2]!.rawBody, /not now, just the edit/);
    // fake-model has no price: its cost is unknown, never "$0".
    const cost = frame.locator('.status-line', { hasText: 'cost unknown' });
    await cost.waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await frame.locator('.status-line').innerText(), /\$0(\.0+)?\b/);

    // Ctrl+Z in the editor undoes the agent's edit like any edit.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    // Evaluated in the page (a string, so it needs no DOM types here).
    await page.waitForFunction(
      `document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\\u00a0/g, ' ').includes("'Hello ' + name")`,
      undefined,
      { timeout: 10_000 },
    );

    // Metrics: the token figures the provider reported.
    const reported = fake.requests.map((r) => r.reportedUsage!);
    const inputTokens = reported.reduce((n, u) => n + u.input, 0);
    const output = reported.reduce((n, u) => n + u.output, 0);
    await frame.getByRole('tab', { name: 'Metrics' }).click();
    await frame.locator('.metrics-section').first().waitFor({ timeout: 10_000 });
    // Each figure is shown compact (4.9k) with the exact count in its tooltip: both must match what the
    // provider reported, summed over the three requests.
    const cached = reported.reduce((n, u) => n + u.cached, 0);
    for (const [label, value] of [
      ['input tokens', inputTokens],
      ['output tokens', output],
      ['cached tokens', cached],
    ] as const) {
      const stat = frame.locator('.stat', { has: frame.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) });
      assert.equal(await stat.getAttribute('title'), value.toLocaleString('en-US'), `${label}: exact figure`);
      const shown = await stat.innerText();
      const compact = value >= 1000 ? `${(value / 1000).toFixed(1)}k` : String(value);
      assert.ok(shown.includes(compact), `${label} shows ${compact}: ${shown}`);
    }
    await frame.getByText('Cost unknown: Agio knows no price for', { exact: false }).waitFor({ timeout: 10_000 });
    assert.equal(await frame.getByText('Cost over the run').count(), 0, 'no $0 cost chart for an unpriced run');
    assert.deepEqual(await layoutProblems(frame), [], 'Metrics at the default sidebar width');
    await screenshot(page, 'metrics-dark');
    await panelScreenshot(page, 'panel-metrics-dark');
    // Each tab, clicked at this width, scrolls nothing sideways and cuts no label.
    assert.deepEqual(await clickEveryTab(frame), [], 'clicking each tab at the default sidebar width');

    // Reload the window: the run is in History and replays from the log.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window').catch(() => undefined); // the palette vanishes with the page
    await reloaded;
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await runCommand(page, 'Agio: Open Panel');
    frame = await panel();
    await frame.getByRole('tab', { name: 'History' }).click();
    const entry = frame.getByText('Make the greeting friendlier').first();
    await entry.waitFor({ timeout: 30_000 });
    await screenshot(page, 'history-dark');
    await entry.click();
    await frame.getByRole('tab', { name: 'Chat' }).click();
    await frame.getByText('I did not run the tests', { exact: false }).waitFor({ timeout: 30_000 });

    // A reload while an approval waits: the server goes with the window, and the next one records the
    // run as interrupted; the approval is shown as not approved, never silently approved or dropped.
    await frame.getByRole('tab', { name: 'Chat' }).click();
    const second = frame.getByRole('textbox', { name: 'Task for Agio' });
    await second.fill('Touch a file');
    await second.press('Enter');
    await frame.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 60_000 });
    const reloadedAgain = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window').catch(() => undefined);
    await reloadedAgain;
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await runCommand(page, 'Agio: Open Panel');
    frame = await panel();
    // The panel reopens on the interrupted run by itself, in the chat.
    await frame.getByText('it was not approved', { exact: false }).waitFor({ timeout: 30_000 });
    assert.equal(await frame.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected'), 'true');
    assert.equal(
      await frame.getByRole('button', { name: 'Approve' }).count(),
      0,
      "the dead server's question cannot be answered",
    );
    assert.ok(!existsSync(join(ws, 'should-not-exist.txt')), 'the command never ran');
    await screenshot(page, 'chat-interrupted-dark');
    await panelScreenshot(page, 'panel-interrupted-dark');
    // History lists what the interrupted run had done, not "0 ms, 0 turns".
    await frame.getByRole('tab', { name: 'History' }).click();
    const row = frame.locator('.run-row', { hasText: 'Touch a file' }).first();
    await row.waitFor({ timeout: 10_000 });
    const rowText = await row.innerText();
    assert.match(rowText, /\b1 turn\b/, `the interrupted run's row: ${rowText}`);
    assert.doesNotMatch(rowText, /\b0 ms\b|\b0 turns\b/, `the interrupted run's row: ${rowText}`);
    assert.deepEqual(await layoutProblems(frame), [], 'History at the default sidebar width');
    await panelScreenshot(page, 'panel-history-dark');
    await frame.getByRole('tab', { name: 'Chat' }).click();

    // Resume: the same approval is asked again inline; deny it, and the run finishes.
    await frame.getByRole('button', { name: 'Resume' }).click();
    await frame.getByRole('button', { name: 'Deny' }).click({ timeout: 60_000 });
    await frame.getByText('I left the file alone', { exact: false }).waitFor({ timeout: 60_000 });
    assert.ok(!existsSync(join(ws, 'should-not-exist.txt')), 'the re-asked command was denied and never ran');

    // The same panel in the light theme, switched as a user does (editing settings.json under a running
    // code-server is not picked up): the workbench and the panel both turn light, and the layout holds.
    // (Ctrl+K Ctrl+T opens the theme list itself; runCommand would wait for the palette to close.)
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+T');
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Light' })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.keyboard.type('Light Modern');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    frame = await panel();
    await frame.waitForFunction(() => document.body.classList.contains('vscode-light'), undefined, { timeout: 15_000 });
    assert.deepEqual(await layoutProblems(frame), [], 'the panel in the light theme at the default sidebar width');
    await screenshot(page, 'chat-replayed-light');
    await panelScreenshot(page, 'panel-replayed-light');
  } catch (err) {
    await screenshot(page, 'agio-failure.tmp').catch(() => undefined);
    if (process.env.AGIO_E2E_DEBUG) process.stderr.write(cs.logs().slice(-5000));
    throw err;
  }
});

test('commands: Fix This Problem (quick fix), Ask About Selection, Approve Pending, and Stop', {
  timeout: 300_000,
}, async () => {
  const ws = join(root, 'ws2');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'src', 'broken.ts'), 'const port: number = "eighty";\nexport { port };\n');
  writeFileSync(join(ws, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
  fake.setScript({
    strict: true,
    turns: [
      { text: 'I will look at that problem.' },
      { toolCalls: [{ name: 'write', arguments: { path: 'notes.txt', content: 'approved from the palette\n' } }] },
      { text: 'Written.' },
      { toolCalls: [{ name: 'bash', arguments: { command: 'echo started; sleep 30; touch too-late.txt' } }] },
    ],
  });
  fake.requests.length = 0;
  const store = join(root, 'agio2.db');
  const cs2 = await startCodeServer({
    workspace: ws,
    extensionDirs: [{ id: 'agio.agio-0.1.0', path: join(root, 'vsix', 'extension') }],
    settings: {
      'agio.provider': 'openai',
      'agio.baseUrl': fake.openaiBaseUrl,
      'agio.model': 'fake-model',
      'agio.approval': 'ask',
      'workbench.colorTheme': 'Default Dark Modern',
    },
    env: { AGIO_SANDBOX: 'off', AGIO_STORE: store },
  });
  const b = await launchBrowser({ width: 1400, height: 900 });
  page = b.page;
  try {
    await openVsCode(page, cs2.url, ws);
    await runCommand(page, 'Agio: Open Panel'); // starts the server, whose code actions the quick fix needs
    let frame = await panel();
    await openFile(page, 'broken.ts');

    // Fix This Problem: a quick fix on the diagnostic, offered by Agio's server through LSP code actions.
    await page.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.locator('.editor-instance .view-lines span', { hasText: 'eighty' }).first().click();
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Agio: Fix This Problem' }).first();
    await fix.waitFor({ timeout: 30_000 });
    await fix.click();
    frame = await panel();
    await frame.getByText('I will look at that problem.').waitFor({ timeout: 30_000 });
    assert.match(
      fake.requests[0]!.rawBody,
      /Fix this problem in src\/broken\.ts at line 1: Type 'string' is not assignable to type 'number'/,
    );

    // Ask About Selection: the selected code, its file and line range, ready in the panel's input.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await runCommand(page, 'Agio: Ask About Selection');
    frame = await panel();
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await page.waitForTimeout(500);
    assert.match(
      await input.inputValue(),
      /^About src\/broken\.ts lines 1-\d+:\n```typescript\nconst port: number = "eighty";/,
    );

    // Approve Pending from the command palette, with the panel showing the card.
    await input.fill('Write a note');
    await input.press('Enter');
    await frame.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 60_000 });
    await runCommand(page, 'Agio: Approve Pending');
    await frame.getByText('Written.').waitFor({ timeout: 30_000 });
    await page.locator('.tab', { hasText: 'proposed by Agio' }).waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(readFileSync(join(ws, 'notes.txt'), 'utf8'), 'approved from the palette\n');

    // Stop cancels a running command at once.
    await input.fill('Wait a while');
    await input.press('Enter');
    await frame.getByRole('button', { name: 'Approve' }).click({ timeout: 60_000 });
    await frame.getByText('started').first().waitFor({ timeout: 30_000 });
    const stopped = Date.now();
    await frame.getByRole('button', { name: 'Stop' }).click();
    await frame.getByText('Cancelled', { exact: true }).first().waitFor({ timeout: 10_000 });
    assert.ok(Date.now() - stopped < 5000, 'stopped within seconds');
    await sleep(500);
    assert.ok(!existsSync(join(ws, 'too-late.txt')), 'the command was killed, not left to finish');
    await screenshot(page, 'chat-stopped-dark');

    // The server is restarted after a crash; after three in three minutes it is left stopped, the panel
    // says so, and Restart Server brings it back.
    const serverPid = () => {
      try {
        // VS Code runs the extension from its folder in this instance's extensions dir (another
        // code-server from the test before may still be running its own server).
        const script = join(cs2.extensionsDir, 'agio.agio-0.1.0', 'dist', 'cli.js').replace(
          /[.*+?^${}()|[\]\\]/g,
          '\\$&',
        );
        return (
          execFileSync('pgrep', ['-f', `${script} serve`], { encoding: 'utf8' })
            .trim()
            .split('\n')[0] ?? ''
        );
      } catch {
        return '';
      }
    };
    const waitForPid = async (not: string) => {
      for (let i = 0; i < 100; i++) {
        const pid = serverPid();
        if (pid && pid !== not) return pid;
        await sleep(100);
      }
      throw new Error('the server did not come back');
    };
    // Each kill hits a server that is up and connected (a server killed while starting is a failed
    // start, not a crash): wait for the panel to say so first.
    const crashLoop = frame.getByText('server keeps crashing');
    let pid = serverPid();
    assert.ok(pid, 'the server is running');
    for (let crash = 1; crash <= 3; crash++) {
      await frame.getByText('server ready').waitFor({ timeout: 30_000 });
      pid = serverPid();
      process.kill(Number(pid), 'SIGKILL');
      if (crash === 3) break;
      assert.notEqual(await waitForPid(pid), pid, `restarted after crash ${crash}`);
      // The panel's "server ready" may still be the old server's for a moment; give the new one time
      // to connect (it takes well under a second here).
      await sleep(3000);
    }
    await crashLoop.waitFor({ timeout: 15_000 });
    await sleep(1000);
    assert.equal(serverPid(), '', 'not restarted after three crashes');
    await screenshot(page, 'crash-loop-dark');
    await frame.getByRole('button', { name: 'Restart server' }).click();
    await waitForPid('');
    await frame.getByText('server ready').waitFor({ timeout: 15_000 });
  } catch (err) {
    await screenshot(page, 'agio-commands-failure.tmp').catch(() => undefined);
    throw err;
  } finally {
    await b.browser.close().catch(() => undefined);
    await cs2.stop();
  }
});
