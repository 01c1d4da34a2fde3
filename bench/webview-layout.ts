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
import type { Page } from 'playwright-core';
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

/** Each check runs in the page; what it returns is a list of problems, empty when all is well. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    const app = document.querySelector('.app') as HTMLElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`the page is ${doc.scrollWidth} px wide in ${doc.clientWidth}`);
    if (window.scrollX !== 0 || app.scrollLeft !== 0) problems.push('the panel is scrolled sideways');
    for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
      const label = tab.querySelector<HTMLElement>('.tab-label')!;
      if (!tab.title || !tab.getAttribute('aria-label')) problems.push(`tab ${label.textContent} has no tooltip`);
      if (label.offsetWidth > 0 && label.scrollWidth > label.clientWidth) problems.push(`tab label ${label.textContent} is cut`);
      if (tab.getBoundingClientRect().right > app.getBoundingClientRect().right) problems.push(`tab ${label.textContent} sticks out`);
    }
    const line = document.querySelector<HTMLElement>('.status-line')!;
    const items = [...line.children] as HTMLElement[];
    const firstBottom = items[0]!.getBoundingClientRect().bottom;
    const below = items.filter((el) => el.getBoundingClientRect().top >= firstBottom - 1);
    if (below.length > 0) problems.push(`the status line wraps: ${below.map((el) => `"${el.textContent}"`).join(', ')} on a row below`);
    for (const el of items) {
      if (el.getBoundingClientRect().right > line.getBoundingClientRect().right + 0.5) problems.push(`status item "${el.textContent}" sticks out`);
      const text = el.querySelector<HTMLElement>('.status-text');
      const hidden = text && (text.offsetWidth <= 1 || text.scrollWidth > text.clientWidth);
      if (hidden && !el.title) problems.push(`status item "${el.textContent}" is cut without a tooltip`);
    }
    for (const s of document.querySelectorAll<HTMLElement>('.tool-summary')) {
      if (s.offsetParent !== null && s.clientWidth < 40) problems.push(`a tool summary is ${s.clientWidth} px wide: "${s.textContent}"`);
      if (!s.title) problems.push('a tool summary has no tooltip');
    }
    for (const m of document.querySelectorAll<HTMLElement>('.run-meta')) {
      if (m.scrollWidth > m.clientWidth && !(m.closest('.run-row') as HTMLElement | null)?.title) problems.push('a history row is cut without a tooltip');
    }
    return problems;
  });
}

async function clickEveryTab(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const name of ['History', 'Metrics', 'Events', 'Chat']) {
    await page.locator(`.tab[aria-label="${name}"]`).click();
    await page.waitForTimeout(50);
    const scrolled = await page.evaluate(() => window.scrollX + (document.querySelector('.app') as HTMLElement).scrollLeft + (document.querySelector('.tabs') as HTMLElement).scrollLeft);
    if (scrolled !== 0) problems.push(`clicking ${name} scrolled the panel sideways by ${scrolled} px`);
    problems.push(...(await layoutProblems(page)).map((p) => `after clicking ${name}: ${p}`));
  }
  return problems;
}

if (import.meta.main) await main();
