// From the user's click on Approve to the file on disk, in a real VS Code (code-server in headless
// Chromium, the packaged extension), against the same writes approved in the CLI's own process.
// Each step is also split by the events' timestamps: click → the server has the answer
// (approval_decision) → the write is done (tool_result).
//
//   npx node --disable-warning=ExperimentalWarning bench/approval-latency.bench.ts [writes=8]
//
// Needs the e2e environment (test/e2e/setup.sh, run here unless AGIO_E2E_SKIP_SETUP=1) and agio.vsix
// (built here unless AGIO_E2E_SKIP_PACKAGE=1).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startFakeLlm } from '../test/fake-llm/server.ts';
import {
  agioPanel,
  launchBrowser,
  openFile,
  openVsCode,
  prepareAgio,
  runCommand,
  startCodeServer,
} from '../test/e2e/code-server.ts';

const REPO = join(import.meta.dirname, '..');

interface Step {
  /** The write's target is open in an editor (applyEdit + save) or not (straight to disk). */
  open: boolean;
  clickToDiskMs: number;
  clickToAnswerMs: number;
  answerToResultMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** The approval_decision → tool_result span of each write call, from a store's events. */
function serverSpans(store: string, runId?: string): { decisionTs: number; resultTs: number }[] {
  const db = new Database(store, { readonly: true });
  try {
    const id = runId ?? (db.prepare('SELECT id FROM runs ORDER BY started_at DESC LIMIT 1').pluck().get() as string);
    const rows = db
      .prepare(
        "SELECT type, ts FROM events WHERE run_id = ? AND type IN ('approval_decision', 'tool_result') ORDER BY seq",
      )
      .all(id) as { type: string; ts: number }[];
    const out: { decisionTs: number; resultTs: number }[] = [];
    let decision: number | undefined;
    for (const r of rows) {
      if (r.type === 'approval_decision') decision = r.ts;
      if (r.type === 'tool_result' && decision !== undefined) {
        out.push({ decisionTs: decision, resultTs: r.ts });
        decision = undefined;
      }
    }
    return out;
  } finally {
    db.close();
  }
}

function script(writes: number) {
  return (_req: unknown, i: number) =>
    i < writes
      ? {
          toolCalls: [
            {
              name: 'write',
              arguments: { path: i % 2 === 0 ? 'open.txt' : `new-${i}.txt`, content: `version ${i}\n` },
            },
          ],
        }
      : { text: 'All written.' };
}

export async function main(writes = Number(process.argv[2] ?? 8)): Promise<void> {
  const { root, extension } = prepareAgio('agio-approval-bench-');
  // One fake model per phase: a function script is told each request's position in its server's log.
  const fake = await startFakeLlm(script(writes));
  const fakeVsCode = await startFakeLlm(script(writes));
  try {
    // Baseline: the CLI, same writes, approved by the policy (auto-edit) in its own process.
    const cliWs = join(root, 'cli-ws');
    mkdirSync(cliWs);
    writeFileSync(join(cliWs, 'open.txt'), 'original\n');
    const cliStore = join(root, 'cli.db');
    // Asynchronously: the fake model answers from this process's event loop.
    const run = await new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          join(REPO, 'bin', 'agio.mjs'),
          'run',
          '--cwd',
          cliWs,
          '--approval',
          'auto-edit',
          '--base-url',
          fake.openaiBaseUrl,
          '--model',
          'fake-model',
          'write them',
        ],
        {
          env: { ...process.env, AGIO_STORE: cliStore, AGIO_SANDBOX: 'off', OPENAI_API_KEY: 'sk-bench' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (status) => resolve({ status, out }));
    });
    if (run.status !== 0) throw new Error(`the CLI baseline failed (exit ${run.status}):\n${run.out}`);
    const cli = serverSpans(cliStore).map((s) => s.resultTs - s.decisionTs);

    // VS Code: each write approved by a click in the panel.
    const ws = join(root, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'open.txt'), 'original\n');
    const store = join(root, 'vscode.db');
    const cs = await startCodeServer({
      workspace: ws,
      extensionDirs: [extension],
      settings: {
        'agio.provider': 'openai',
        'agio.baseUrl': fakeVsCode.openaiBaseUrl,
        'agio.model': 'fake-model',
        'agio.approval': 'ask',
      },
      env: { AGIO_SANDBOX: 'off', AGIO_STORE: store },
    });
    const { browser, page } = await launchBrowser({ width: 1400, height: 900 });
    const steps: Step[] = [];
    try {
      await openVsCode(page, cs.url, ws);
      // open.txt is open in an editor, as a file the user is looking at.
      await openFile(page, 'open.txt');
      await runCommand(page, 'Agio: Open Panel');
      const frame = await agioPanel(page);
      const input = frame.getByRole('textbox', { name: 'Task for Agio' });
      await input.fill('write them');
      await input.press('Enter');
      const clicks: number[] = [];
      for (let i = 0; i < writes; i++) {
        const approve = frame.getByRole('button', { name: 'Approve' });
        await approve.waitFor({ timeout: 60_000 });
        const file = join(ws, i % 2 === 0 ? 'open.txt' : `new-${i}.txt`);
        const want = `version ${i}\n`;
        await page.waitForTimeout(300); // the diff editor has opened beside: what a user sees settle
        // The click is timed inside the page, as the user's click lands (Playwright's own click would
        // add its actionability checks to the figure).
        const t0 = await approve.evaluate((el) => {
          const t = Date.now();
          (el as unknown as { click(): void }).click();
          return t;
        });
        while (!(existsSync(file) && readFileSync(file, 'utf8') === want)) await new Promise((r) => setTimeout(r, 1));
        clicks.push(t0);
        steps.push({ open: i % 2 === 0, clickToDiskMs: Date.now() - t0, clickToAnswerMs: 0, answerToResultMs: 0 });
        await approve.waitFor({ state: 'detached', timeout: 30_000 });
      }
      await frame.getByText('All written.').waitFor({ timeout: 30_000 });
      const spans = serverSpans(store);
      spans.forEach((s, i) => {
        const step = steps[i];
        if (!step) return;
        step.clickToAnswerMs = s.decisionTs - clicks[i]!;
        step.answerToResultMs = s.resultTs - s.decisionTs;
      });
    } finally {
      await browser.close().catch(() => undefined);
      await cs.stop();
    }
    const cliMedian = median(cli);
    console.log(`approval → file on disk, ${writes} writes, medians (ms; the click timed in the page):`);
    for (const open of [true, false]) {
      const part = steps.filter((s) => s.open === open);
      const disk = median(part.map((s) => s.clickToDiskMs));
      console.log(
        `  VS Code, ${open ? 'a file open in an editor (applyEdit + save)' : 'a file no editor has open (disk)'}: click → on disk ${fmt(disk)} (max ${fmt(Math.max(...part.map((s) => s.clickToDiskMs)))})`,
      );
      console.log(
        `    click → server has the answer ${fmt(median(part.map((s) => s.clickToAnswerMs)))} · answer → write done ${fmt(median(part.map((s) => s.answerToResultMs)))} · ${(disk / Math.max(cliMedian, 1)).toFixed(1)}× the CLI`,
      );
    }
    console.log(`  CLI, decision → write done: ${fmt(cliMedian)}   goal: click → disk ≤ 100 ms`);
  } finally {
    await fake.close();
    await fakeVsCode.close();
    if (!process.env.AGIO_BENCH_KEEP) rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
