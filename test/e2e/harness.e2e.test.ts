// End-to-end check of the real-VS-Code harness itself: code-server (VS Code 1.139) + headless
// Chromium + the fixture extension test/fixtures/hello-ext.
//
//   npx node --disable-warning=ExperimentalWarning --test test/e2e/harness.e2e.test.ts
//
// The test runs test/e2e/setup.sh itself first (idempotent, a few seconds when its cache is
// warm; a fresh install takes a few minutes and has its own 10-minute budget). Set
// AGIO_E2E_SKIP_SETUP=1 to skip that when setup.sh already ran.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  findFrame,
  launchBrowser,
  openVsCode,
  runCommand,
  runSetup,
  screenshot,
  startCodeServer,
} from './code-server.ts';
import type { CodeServer } from './code-server.ts';
import type { Browser, Page } from 'playwright-core';

const HELLO_EXT = join(import.meta.dirname, '..', 'fixtures', 'hello-ext');
const HELLO_EXT_ID = 'agio-test.hello-ext-0.0.1';

/** Waits until `file` exists and its content satisfies `ok`; returns the content. */
async function waitForFile(file: string, ok: (content: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      last = readFileSync(file, 'utf8');
      if (ok(last)) return last;
    }
    await sleep(100);
  }
  throw new Error(`${file} did not get the expected content in ${timeoutMs} ms; last content: ${JSON.stringify(last)}`);
}

let workspace: string | undefined;
let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

before(
  () => {
    if (process.env.AGIO_E2E_SKIP_SETUP !== '1') runSetup();
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await cs?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

test('an extension in real VS Code: webview button and palette command reach the extension host', {
  timeout: 180_000,
}, async (t) => {
  const started = Date.now();
  const step = (what: string) => t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
  // realpath: VS Code reports the workspace by its real path (/tmp may be a symlink elsewhere).
  workspace = await realpath(await mkdtemp(join(tmpdir(), 'agio-e2e-ws-')));

  cs = await startCodeServer({ workspace, extensionDirs: [{ id: HELLO_EXT_ID, path: HELLO_EXT }] });
  step(`code-server answering at ${cs.url}`);
  ({ browser, page } = await launchBrowser());
  const p = page;
  try {
    await openVsCode(p, cs.url, workspace);
    step('workbench ready');

    // Open the webview view the way a user would: its focus command in the palette.
    await runCommand(p, 'Hello Ext: Focus on Hello Panel View');
    const frame = await findFrame(p, '#hello-btn');
    step('webview rendered');
    assert.equal((await frame.locator('#title').textContent())?.trim(), 'Hello from the webview');

    await frame.locator('#hello-btn').click();
    const hello = await waitForFile(join(workspace, 'hello.txt'), (c) => c.includes('appended by node'));
    assert.match(hello, /^hello from webview\nappended by node v\d+\.\d+\.\d+\n$/);
    // The extension's reply reached the webview too.
    await frame.locator('#status', { hasText: 'wrote hello.txt' }).waitFor({ timeout: 10_000 });
    step(`hello.txt written: ${JSON.stringify(hello)}`);
    await screenshot(p, 'harness-webview');

    // The extension's command through the palette.
    await runCommand(p, 'Hello Ext: Write File');
    const fromCommand = await waitForFile(join(workspace, 'hello-command.txt'), (c) => c.includes('appended by node'));
    assert.match(fromCommand, /^hello from command\nappended by node v\d+\.\d+\.\d+\n$/);
    await p
      .locator('.notifications-toasts', { hasText: 'Hello Ext wrote hello-command.txt' })
      .waitFor({ timeout: 10_000 });
    step('command ran');
    await screenshot(p, 'harness-command');
  } catch (err) {
    await screenshot(p, 'harness-failure.tmp').catch(() => {}); // *.tmp.png: git-ignored
    t.diagnostic(`code-server log:\n${cs.logs()}`);
    throw err;
  }
});
