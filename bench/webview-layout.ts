// The panel at VS Code's sidebar widths (240, 300 — the default — and 400 px), dark and light, in
// headless Chromium: checks what a narrow sidebar used to break and saves the 300 px screenshots to
// webview/dev/screenshots/ (the ones worth keeping are committed).
//   - nothing scrolls sideways, not even after clicking each tab (focus used to scroll a cut-off tab in);
//   - no tab label is cut: each is shown whole or hidden, and every tab has a title and aria-label;
//   - the status line is one row, and every item whose text is hidden keeps it in its tooltip;
//   - a tool card's summary keeps at least a few characters.
//
//   npx node --disable-warning=ExperimentalWarning bench/webview-layout.ts [--no-shots]
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { clickEveryTab, layoutProblems } from '../test/e2e/panel-layout.ts';
import { buildHarness, cspViolations, launchChromium, openHarness, scrollTranscriptToTop } from './webview-browser.ts';

const OUT = path.resolve(import.meta.dirname, '..', 'webview', 'dev', 'screenshots');
const WIDTHS = [240, 300, 400];
const SHOT_WIDTH = 300;

const SCENES: Array<{ name: string; params: Record<string, string>; open?: string[]; top?: boolean }> = [
  { name: 'chat-approval', params: { scenario: 'pending-bash' } },
  { name: 'chat-stopped', params: { scenario: 'stopped' }, open: ['npm test --'] },
  { name: 'chat-unknown-model', params: { scenario: 'completed', priced: '0' }, top: true },
  { name: 'metrics-unpriced', params: { scenario: 'completed', priced: '0', tab: 'metrics' } },
  { name: 'history', params: { scenario: 'completed', tab: 'history' } },
  { name: 'history-unpriced', params: { scenario: 'completed', priced: '0', tab: 'history' } },
  { name: 'restricted', params: { scenario: 'empty', trusted: '0' } },
  { name: 'chat-unsandboxed', params: { scenario: 'completed', unsandboxed: '1' }, top: true },
];

export async function main(shots = !process.argv.includes('--no-shots')): Promise<void> {
  if (shots) mkdirSync(OUT, { recursive: true });
  await buildHarness();
  const browser = await launchChromium();
  const failures: string[] = [];
  try {
    for (const theme of ['dark', 'light']) {
      for (const width of WIDTHS) {
        for (const scene of SCENES) {
          const page = await openHarness(browser, { ...scene.params, theme }, { width, height: 760 });
          if (scene.top) await scrollTranscriptToTop(page);
          for (const text of scene.open ?? []) await page.locator('.tool-head', { hasText: text }).first().click();
          if (scene.open) await page.waitForTimeout(150);
          const where = `${scene.name} at ${width} px (${theme})`;
          for (const problem of await layoutProblems(page)) failures.push(`${where}: ${problem}`);
          assert.deepEqual(await cspViolations(page), [], `CSP violations in ${where}`);
          if (shots && width === SHOT_WIDTH) {
            const file = path.join(OUT, `${scene.name}-${theme}.png`);
            await page.screenshot({ path: file });
            console.log(file);
          }
          if (scene.name === 'chat-approval') {
            for (const problem of await clickEveryTab(page)) failures.push(`${where}: ${problem}`);
          }
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  if (failures.length > 0) throw new Error(`layout problems:\n${failures.join('\n')}`);
  console.log(`layout ok: ${SCENES.length} scenes × ${WIDTHS.join('/')} px × dark/light`);
}

if (import.meta.main) await main();
