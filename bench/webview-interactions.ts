// Drives the built panel in headless Chromium (webview/harness.html) as a user would and checks what
// it posts to the client: approvals by button and by the focus-free shortcuts (with the deny reason),
// Enter / Shift+Enter in the task box, Stop, opening a past run from History, exporting from Events,
// the diff editor button and the first-run buttons.
//
//   npx node --disable-warning=ExperimentalWarning bench/webview-interactions.ts
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { buildHarness, launchChromium, openHarness } from './webview-browser.ts';

type Posted = Array<Record<string, unknown>>;
const posted = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { agioHarness: { posted: Posted } }).agioHarness.posted);
const lastPosted = async (page: Page, type: string) => (await posted(page)).filter((m) => m.type === type).at(-1);

async function approvalsByKeyboard(browser: Browser): Promise<void> {
  const page = await openHarness(browser, { scenario: 'pending-bash' });
  await page.locator('.deny-reason').fill('do not pipe downloads into sh');
  const box = page.locator('.composer textarea');
  await box.click();
  await box.pressSequentially('hello');
  await box.press('Shift+Enter');
  await box.pressSequentially('world');
  await page.keyboard.press('Alt+KeyD');
  assert.deepEqual(await lastPosted(page, 'approve'), {
    type: 'approve',
    runId: 'r-current',
    callId: 'call_curl',
    decision: 'deny',
    feedback: 'do not pipe downloads into sh',
  });
  assert.equal(await box.inputValue(), 'hello\nworld', 'Shift+Enter is a newline; Alt+D typed nothing');
  assert.ok(
    await box.evaluate((el) => el === el.ownerDocument.activeElement),
    'the shortcut left focus in the task box',
  );
  await page.locator('.tool-card.status-denied').last().waitFor();
  assert.equal(await page.locator('.approval').count(), 0, 'the answered approval is gone');
  // The run is still going: Enter does not start another task, Stop cancels this one.
  await box.press('Enter');
  assert.equal(await lastPosted(page, 'startTask'), undefined);
  await page.getByRole('button', { name: 'Stop' }).click();
  assert.deepEqual(await lastPosted(page, 'cancel'), { type: 'cancel', runId: 'r-current' });
  await page.close();
}

async function approvalsByButton(browser: Browser): Promise<void> {
  const page = await openHarness(browser, { scenario: 'pending-edit' });
  await page.getByRole('button', { name: 'Open in a diff editor' }).click();
  assert.deepEqual(await lastPosted(page, 'openDiff'), { type: 'openDiff', runId: 'r-current', callId: 'call_write' });
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  assert.deepEqual(await lastPosted(page, 'approve'), {
    type: 'approve',
    runId: 'r-current',
    callId: 'call_write',
    decision: 'allow',
  });
  await page.locator('.tool-card.status-ok', { hasText: 'test/config.test.ts' }).waitFor();
  await page.close();
}

async function tasksHistoryEvents(browser: Browser): Promise<void> {
  const page = await openHarness(browser, { scenario: 'completed' });
  const box = page.locator('.composer textarea');
  await box.fill('rename parsePort to readPort');
  await box.press('Enter');
  assert.deepEqual(await lastPosted(page, 'startTask'), { type: 'startTask', task: 'rename parsePort to readPort' });
  assert.equal(await box.inputValue(), '');

  await page.getByRole('tab', { name: 'History' }).click();
  await page.locator('.run-row', { hasText: 'Explain the policy engine' }).click();
  assert.deepEqual(await lastPosted(page, 'openRun'), { type: 'openRun', runId: 'r-past-6' });
  await page.locator('.tab.active', { hasText: 'Chat' }).waitFor();
  await page.locator('.run-summary').waitFor();

  await page.getByRole('tab', { name: 'Events' }).click();
  await page.getByRole('button', { name: 'Export JSON lines' }).click();
  assert.deepEqual(await lastPosted(page, 'exportRun'), { type: 'exportRun', runId: 'r-past-6' });
  await page.locator('input[type=search]').fill('no need to reinstall');
  await page.locator('.events-count', { hasText: '2 of' }).waitFor();
  await page.close();
}

async function firstRun(browser: Browser): Promise<void> {
  const page = await openHarness(browser, { scenario: 'first-run' });
  await page.getByRole('button', { name: 'Enter an API key' }).click();
  await page.getByRole('button', { name: 'Use a local endpoint (Ollama)' }).click();
  const types = (await posted(page)).map((m) => m.type);
  assert.ok(types.includes('setKey') && types.includes('useLocalEndpoint'), types.join());
  await page.close();
}

export async function main(build = true): Promise<void> {
  if (build) await buildHarness();
  const browser = await launchChromium();
  try {
    for (const check of [approvalsByKeyboard, approvalsByButton, tasksHistoryEvents, firstRun]) {
      await check(browser);
      console.log(`ok ${check.name}`);
    }
  } finally {
    await browser.close();
  }
}

if (import.meta.main) await main();
