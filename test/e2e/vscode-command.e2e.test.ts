// The README's first command, as a newcomer runs it: `npm run vscode -- DIR` (from npm, so the outer
// npm's npm_* variables are in its environment) installs what it needs, serves VS Code on 127.0.0.1,
// and Agio is there and usable in DIR — which VS Code opens in Restricted Mode, as a folder it has not
// seen. CI runs this with an empty AGIO_E2E_CACHE, so nothing it needs can come from a cache.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { agioPanel, launchBrowser, screenshot } from './code-server.ts';

const REPO = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

test('npm run vscode -- DIR serves VS Code with Agio usable in DIR', { timeout: 600_000 }, async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'agio-e2e-vscode-cmd-')));
  const ws = join(root, 'project');
  mkdirSync(ws);
  writeFileSync(join(ws, 'hello.js'), 'console.log("hello");\n');
  const port = await freePort();
  // Its own process group, so the whole tree (npm, bash, code-server) goes at the end.
  const child = spawn('npm', ['run', 'vscode', '--silent', '--', ws], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      AGIO_VSCODE_PORT: String(port),
      AGIO_VSCODE_DATA: join(root, 'vscode-data'),
      AGIO_STORE: join(root, 'agio.db'),
    },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const { browser, page } = await launchBrowser({ width: 1400, height: 900 });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address after 9 minutes:\n${out.slice(-3000)}`)), 540_000);
      const look = () => {
        const m = /Agio in VS Code: (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout.on('data', look);
      child.on('exit', (code) =>
        reject(new Error(`npm run vscode exited (${code}) before serving:\n${out.slice(-3000)}`)),
      );
    });
    assert.ok(url.includes(encodeURIComponent(ws)) || url.includes(ws), `the address opens the folder: ${url}`);
    // The server prints the address before it listens; give it a moment.
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="Agio"]').first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    const frame = await agioPanel(page);
    await frame.getByRole('note', { name: 'Restricted Mode' }).waitFor({ timeout: 30_000 });
    // Opening the panel starts the agent server (on first use).
    await frame.getByText('server ready').waitFor({ timeout: 60_000 });
    await screenshot(page, 'npm-run-vscode-dark');
  } catch (err) {
    await screenshot(page, 'npm-run-vscode-failure.tmp').catch(() => undefined);
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    rmSync(root, { recursive: true, force: true });
  }
});
