// The panel's layout checks at a sidebar width, run in the panel's own document: in the webview
// harness (bench/webview-layout.ts) and in the real VS Code sidebar (the e2e tests). Each returns the
// problems it found, empty when all is well:
//   - nothing scrolls sideways, not even after clicking each tab (focus used to scroll a cut-off tab in);
//   - no tab label is cut: each is shown whole or hidden, and every tab has a title and aria-label;
//   - the status line is one row, and every item whose text is hidden keeps it in its tooltip;
//   - a tool card's summary keeps at least a few characters; a cut History row has a tooltip.
import type { Frame, Page } from 'playwright-core';

/** Each check runs in the page; what it returns is a list of problems, empty when all is well. */
export function layoutProblems(page: Page | Frame): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    const app = document.querySelector('.app') as HTMLElement;
    if (doc.scrollWidth > doc.clientWidth)
      problems.push(`the page is ${doc.scrollWidth} px wide in ${doc.clientWidth}`);
    if (window.scrollX !== 0 || app.scrollLeft !== 0) problems.push('the panel is scrolled sideways');
    for (const tab of document.querySelectorAll<HTMLElement>('.tab')) {
      const label = tab.querySelector<HTMLElement>('.tab-label')!;
      if (!tab.title || !tab.getAttribute('aria-label')) problems.push(`tab ${label.textContent} has no tooltip`);
      if (label.offsetWidth > 0 && label.scrollWidth > label.clientWidth)
        problems.push(`tab label ${label.textContent} is cut`);
      if (tab.getBoundingClientRect().right > app.getBoundingClientRect().right)
        problems.push(`tab ${label.textContent} sticks out`);
    }
    const line = document.querySelector<HTMLElement>('.status-line')!;
    const items = [...line.children] as HTMLElement[];
    const firstBottom = items[0]!.getBoundingClientRect().bottom;
    const below = items.filter((el) => el.getBoundingClientRect().top >= firstBottom - 1);
    if (below.length > 0)
      problems.push(`the status line wraps: ${below.map((el) => `"${el.textContent}"`).join(', ')} on a row below`);
    for (const el of items) {
      if (el.getBoundingClientRect().right > line.getBoundingClientRect().right + 0.5)
        problems.push(`status item "${el.textContent}" sticks out`);
      const text = el.querySelector<HTMLElement>('.status-text');
      const hidden = text && (text.offsetWidth <= 1 || text.scrollWidth > text.clientWidth);
      if (hidden && !el.title) problems.push(`status item "${el.textContent}" is cut without a tooltip`);
    }
    for (const s of document.querySelectorAll<HTMLElement>('.tool-summary')) {
      if (s.offsetParent !== null && s.clientWidth < 40)
        problems.push(`a tool summary is ${s.clientWidth} px wide: "${s.textContent}"`);
      if (!s.title) problems.push('a tool summary has no tooltip');
    }
    for (const m of document.querySelectorAll<HTMLElement>('.run-meta')) {
      if (m.scrollWidth > m.clientWidth && !(m.closest('.run-row') as HTMLElement | null)?.title)
        problems.push('a history row is cut without a tooltip');
    }
    return problems;
  });
}

export async function clickEveryTab(page: Page | Frame): Promise<string[]> {
  const problems: string[] = [];
  for (const name of ['History', 'Metrics', 'Events', 'Chat']) {
    await page.locator(`.tab[aria-label="${name}"]`).click();
    await page.waitForTimeout(50);
    const scrolled = await page.evaluate(
      () =>
        window.scrollX +
        (document.querySelector('.app') as HTMLElement).scrollLeft +
        (document.querySelector('.tabs') as HTMLElement).scrollLeft,
    );
    if (scrolled !== 0) problems.push(`clicking ${name} scrolled the panel sideways by ${scrolled} px`);
    problems.push(...(await layoutProblems(page)).map((p) => `after clicking ${name}: ${p}`));
  }
  return problems;
}
