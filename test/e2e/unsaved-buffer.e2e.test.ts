// grep sees what the user sees: in a real VS Code (code-server in headless Chromium, the packaged
// .vsix, the fake model) a file is changed in its editor and left unsaved; the model greps for text
// that is only in that buffer, and the tool result it receives holds the line, with the line number
// the editor shows. The disk still has the old text, so a search of the disk alone would miss it.
//
//   AGIO_E2E_CACHE=… npx node --disable-warning=ExperimentalWarning --test test/e2e/unsaved-buffer.e2e.test.ts
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import {
  agioPanel,
  launchBrowser,
  openFile,
  openVsCode,
  prepareAgio,
  runCommand,
  screenshot,
  startCodeServer,
  type CodeServer,
} from './code-server.ts';

/** Typed into the editor, never saved: only the buffer has it. */
const MARKER = 'unsaved-okapi-2718';

let root: string;
let fake: FakeLlm;
let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;

before(
  async () => {
    ({ root } = prepareAgio('agio-e2e-buffer-'));
    mkdirSync(join(root, 'ws', 'src'), { recursive: true });
    writeFileSync(join(root, 'ws', 'src', 'notes.ts'), 'export const first = 1;\nexport const second = 2;\n');
    writeFileSync(join(root, 'ws', 'src', 'other.ts'), 'export const other = 3;\n');
    fake = await startFakeLlm({
      strict: true,
      turns: [
        { toolCalls: [{ name: 'grep', arguments: { pattern: 'okapi' } }] },
        { text: 'It is in src/notes.ts, not saved yet.' },
      ],
    });
  },
  { timeout: 900_000 },
);

after(async () => {
  await browser?.close().catch(() => undefined);
  await cs?.stop();
  await fake?.close();
  if (root && !process.env.AGIO_E2E_KEEP) rmSync(root, { recursive: true, force: true });
});

test('grep finds text that is only in an unsaved editor buffer', { timeout: 300_000 }, async () => {
  const ws = join(root, 'ws');
  cs = await startCodeServer({
    workspace: ws,
    extensionDirs: [{ id: 'agio.agio-0.1.0', path: join(root, 'vsix', 'extension') }],
    settings: {
      'agio.provider': 'openai',
      'agio.baseUrl': fake.openaiBaseUrl,
      'agio.model': 'fake-model',
      'agio.approval': 'ask',
      'files.autoSave': 'off',
    },
    env: { AGIO_SANDBOX: 'off', AGIO_STORE: join(root, 'agio.db') },
  });
  ({ browser, page } = await launchBrowser({ width: 1400, height: 900 }));
  try {
    await openVsCode(page, cs.url, ws);
    await runCommand(page, 'Agio: Open Panel'); // starts the server, so it is told of the editor's documents
    const frame = await agioPanel(page);
    await openFile(page, 'notes.ts');
    // A new second line, typed as a user would, and not saved.
    await page.locator('.editor-instance .view-lines span', { hasText: 'first' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(`// ${MARKER}`);
    await page.locator('.tab.dirty', { hasText: 'notes.ts' }).waitFor({ timeout: 10_000 });
    assert.doesNotMatch(readFileSync(join(ws, 'src', 'notes.ts'), 'utf8'), /okapi/, 'the disk does not have it');

    await frame.getByRole('tab', { name: 'Chat' }).click();
    const input = frame.getByRole('textbox', { name: 'Task for Agio' });
    await input.fill('Where is the okapi?');
    await input.press('Enter');
    await frame.getByText('It is in src/notes.ts, not saved yet.').waitFor({ timeout: 60_000 });

    // The grep result the model received: the buffer's line, numbered as in the editor.
    assert.equal(fake.requests.length, 2);
    const second = fake.requests[1]!.rawBody;
    assert.ok(
      second.includes(`src/notes.ts:2: // ${MARKER}`),
      `the tool result holds the unsaved line: ${second.slice(-600)}`,
    );
    assert.doesNotMatch(readFileSync(join(ws, 'src', 'notes.ts'), 'utf8'), /okapi/, 'grep saved nothing');
    // The card says what the call did, in the tool's own words.
    await frame.locator('.tool-summary', { hasText: '/okapi/' }).first().waitFor({ timeout: 10_000 });
  } catch (err) {
    await screenshot(page, 'unsaved-buffer-failure.tmp').catch(() => undefined);
    if (process.env.AGIO_E2E_DEBUG) process.stderr.write(cs.logs().slice(-5000));
    throw err;
  }
});
