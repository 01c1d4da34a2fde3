// Agio in a folder VS Code does not trust, opened as `npm run vscode` opens one (workspace trust on,
// the folder never trusted): Agio is not greyed out; its panel says what Restricted Mode limits and how
// to lift it; a task still runs, read-only, and a write the model asks for is refused by the server.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import {
  agioPanel,
  launchBrowser,
  openVsCode,
  panelScreenshot,
  prepareAgio,
  screenshot,
  startCodeServer,
  type ExtensionDir,
} from './code-server.ts';
import { layoutProblems } from './panel-layout.ts';

let root: string;
let extension: ExtensionDir;
let fake: FakeLlm;

before(
  async () => {
    ({ root, extension } = prepareAgio('agio-e2e-untrusted-'));
    mkdirSync(join(root, 'ws'));
    writeFileSync(join(root, 'ws', 'README.md'), '# A cloned project\n');
    fake = await startFakeLlm({
      strict: true,
      turns: [
        {
          text: 'Let me write a note.',
          toolCalls: [{ name: 'write', arguments: { path: 'note.txt', content: 'from an untrusted folder\n' } }],
        },
        { text: 'I could not write in this folder; it is in Restricted Mode.' },
      ],
    });
  },
  { timeout: 900_000 },
);

after(async () => {
  await fake?.close();
  if (root && !process.env.AGIO_E2E_KEEP) rmSync(root, { recursive: true, force: true });
});

test('an untrusted folder: Agio shows, says what is limited, runs read-only and writes nothing', {
  timeout: 240_000,
}, async () => {
  const ws = join(root, 'ws');
  const cs = await startCodeServer({
    workspace: ws,
    extensionDirs: [extension],
    settings: {
      'security.workspace.trust.enabled': true, // VS Code's default, as `npm run vscode` runs it
      'agio.provider': 'openai',
      'agio.baseUrl': fake.openaiBaseUrl,
      'agio.model': 'fake-model',
      'agio.approval': 'full-auto',
      'workbench.colorTheme': 'Default Dark Modern',
    },
    env: { AGIO_SANDBOX: 'off', AGIO_STORE: join(root, 'agio.db') },
  });
  const { browser, page } = await launchBrowser({ width: 1400, height: 900 });
  try {
    await openVsCode(page, cs.url, ws);
    // The folder really is untrusted: VS Code says so in its status bar.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    // Agio is enabled all the same: its icon is in the activity bar, and its panel opens from it.
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="Agio"]').first();
    await icon.waitFor({ timeout: 30_000 });
    await icon.click();
    const frame = await agioPanel(page);

    const banner = frame.getByRole('note', { name: 'Restricted Mode' });
    await banner.waitFor({ timeout: 30_000 });
    assert.match(await banner.innerText(), /cannot edit files, run commands or fetch URLs/);
    assert.deepEqual(await layoutProblems(frame), [], 'the panel at the default sidebar width');
    await panelScreenshot(page, 'panel-restricted-dark');

    // A task runs, read-only: even in full-auto the write is refused by the server, and the model is told why.
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await input.fill('Write a note');
    await input.press('Enter');
    await frame.getByText('it is in Restricted Mode', { exact: false }).waitFor({ timeout: 60_000 });
    assert.ok(!existsSync(join(ws, 'note.txt')), 'nothing was written');
    assert.match(fake.requests[1]!.rawBody, /the workspace is not trusted: only read tools run/);
    assert.equal(
      await frame.getByRole('button', { name: 'Approve' }).count(),
      0,
      'nothing to approve: refused, not asked',
    );

    // The way out: Trust Folder… opens VS Code's own trust editor; trusting lifts the banner at once.
    await frame.getByRole('button', { name: 'Trust Folder…' }).click();
    await page.getByText('You are in Restricted Mode').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'restricted-dark');
    await page.getByRole('button', { name: 'Trust', exact: true }).first().click();
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
  } catch (err) {
    await screenshot(page, 'untrusted-failure.tmp').catch(() => undefined);
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
    await cs.stop();
  }
});
