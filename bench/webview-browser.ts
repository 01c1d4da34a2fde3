// Shared by the panel benchmark and the screenshot script: build the panel and its harness, start
// headless Chromium (the Debian package, /usr/bin/chromium) and open webview/harness.html in it,
// served from 127.0.0.1.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebview } from '../webview/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

// Chromium as root needs --no-sandbox; the rest keeps it from reaching for the network or doing
// background work that would disturb timings.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];

/** The bench's own build of the panel and harness, served as /dist/: a root build (which empties
 * dist/) running at the same time cannot pull files from under a measurement. */
const OUT = path.join('build', 'webview-bench');

export async function buildHarness(): Promise<void> {
  await buildWebview({ harness: true, outRoot: OUT });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};
let server: Promise<string> | undefined;

/** Serves webview/ and the bench's build (as /dist/) on 127.0.0.1 (a worker cannot start from file://). */
function serve(): Promise<string> {
  server ??= new Promise((resolve) => {
    const s = http.createServer(async (req, res) => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
        .replace(/^\/+/, '')
        .replace(/^dist\//, `${OUT}/`);
      const file = path.resolve(ROOT, rel);
      const allowed = [path.join(ROOT, 'webview') + path.sep, path.join(ROOT, OUT) + path.sep].some((dir) =>
        file.startsWith(dir),
      );
      try {
        if (!allowed) throw new Error('outside');
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    s.unref();
    s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`));
  });
  return server;
}

export async function harnessUrl(params: Record<string, string>): Promise<string> {
  const url = new URL('/webview/harness.html', await serve());
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/** Opens the harness and waits until the panel has drawn everything the scenario sent. */
export async function openHarness(
  browser: Browser,
  params: Record<string, string>,
  viewport = { width: 420, height: 820 },
): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(await harnessUrl(params));
  await page.waitForSelector('body[data-harness-ready="true"]', { timeout: 10_000 });
  if (errors.length > 0) throw new Error(`the panel reported errors:\n${errors.join('\n')}`);
  return page;
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** Scrolls the chat to its first row the way a person would (the list follows the bottom). */
export async function scrollTranscriptToTop(page: Page): Promise<void> {
  await page.mouse.move(150, 300);
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -800);
  await page.waitForTimeout(300);
}
