// Renders the panel in headless Chromium through webview/harness.html and saves screenshots to
// test/e2e/screenshots/harness-panel-*.png (chat with a pending approval, metrics, history, events,
// first run; dark and light), checking on the way that the strict CSP was never violated and that
// model markdown cannot load images or carry command: links.
//
//   npx node --disable-warning=ExperimentalWarning bench/webview-screenshots.ts
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildHarness, cspViolations, launchChromium, openHarness, scrollTranscriptToTop } from './webview-browser.ts';

const OUT = path.resolve(import.meta.dirname, '..', 'test', 'e2e', 'screenshots');

const SHOTS: Array<{ name: string; params: Record<string, string>; top?: boolean; open?: string[] }> = [
  { name: 'chat-pending-bash', params: { scenario: 'pending-bash' } },
  { name: 'chat-start', params: { scenario: 'completed' }, top: true },
  // The denied command and the approved one with its output, opened.
  { name: 'chat-cards', params: { scenario: 'completed' }, open: ['rm -rf node_modules', 'npm test --'] },
  { name: 'chat-pending-edit', params: { scenario: 'pending-edit' } },
  { name: 'metrics', params: { scenario: 'pending-edit', tab: 'metrics' } },
  { name: 'history', params: { scenario: 'completed', tab: 'history' } },
  { name: 'events', params: { scenario: 'completed', tab: 'events' } },
  { name: 'first-run', params: { scenario: 'first-run' } },
];

export async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await buildHarness();
  const browser = await launchChromium();
  try {
    for (const theme of ['dark', 'light']) {
      for (const shot of SHOTS) {
        const page = await openHarness(browser, { ...shot.params, theme });
        if (shot.name === 'chat-pending-bash') await checkMarkdownSafety(page);
        if (shot.top) await scrollTranscriptToTop(page);
        for (const text of shot.open ?? []) await page.locator('.tool-head', { hasText: text }).click();
        if (shot.open) await page.waitForTimeout(200);
        assert.deepEqual(await cspViolations(page), [], `CSP violations in ${shot.name}`);
        const file = path.join(OUT, `harness-panel-${shot.name}-${theme}.png`);
        await page.screenshot({ path: file });
        console.log(file);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
}

/** Checks what reached the DOM from the turn with hostile markdown (see webview/dev/harness.ts). */
async function checkMarkdownSafety(page: import('playwright-core').Page): Promise<void> {
  const found = await page.evaluate(() =>
    (globalThis as unknown as { agioHarness: { markdownSafety(): MarkdownSafety } }).agioHarness.markdownSafety(),
  );
  assert.equal(found.imgs, 0, 'no <img> may reach the DOM');
  for (const href of found.hrefs) assert.match(href, /^https?:\/\//, `only http(s) links survive, got ${href}`);
  assert.ok(found.imageAlt, 'a markdown image shows as its alt text');
  assert.ok(found.commandLinkText, 'a command: link stays as inert text');
  assert.ok(found.highlighted, 'code blocks are highlighted');
}

interface MarkdownSafety {
  imgs: number;
  hrefs: string[];
  imageAlt: boolean;
  commandLinkText: boolean;
  highlighted: boolean;
}

if (import.meta.main) await main();
