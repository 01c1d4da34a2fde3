// kill -9 of the agent at random moments of a scripted run, many times over with seeded timings:
// after each, the store opens, the run's log is gap-free and agrees with what was streamed, no
// workspace file is half-written, and `agio resume` completes the run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { AGIO_BIN, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';
import { EventStore } from '../../server/src/store/event-store.ts';
import { markInterruptedRuns } from '../../server/src/agent/interrupted-runs.ts';

const KILLS = 50;
const PARALLEL = 5;
const FILES = 4;
const content = (k: number) => `${`${k}`.repeat(100_000)}\n`;

/** Stateless script: the model writes the first file no tool result has confirmed yet (a write whose
 * outcome a crash left unknown is written again, as a model would), so runs and resumes in parallel
 * share one fake server. */
function turnFor(body: unknown): ScriptedTurn {
  const messages = (body as { messages?: { role: string; content?: unknown }[] }).messages ?? [];
  const confirmed = new Set<number>();
  for (const m of messages) {
    const found =
      m.role === 'tool' && typeof m.content === 'string' ? /^(?:Created|Overwrote) f(\d+)\.txt/.exec(m.content) : null;
    if (found) confirmed.add(Number(found[1]));
  }
  let k = 0;
  while (confirmed.has(k)) k++;
  if (k >= FILES) return { text: 'all written' };
  return {
    delayMs: 30,
    toolCalls: [
      { name: 'write', arguments: { path: `f${k}.txt`, content: content(k) } },
      { name: 'bash', arguments: { command: `echo ${k} >> log.txt` } },
    ],
  };
}

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm((rec) => turnFor(rec.body))));
after(() => fake.close());

/** mulberry32: a seeded generator, so a failing seed can be run again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = (s: Scratch) => ({ OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') });

function assertNoHalfFile(s: Scratch, seed: number): void {
  for (let k = 0; k < FILES; k++) {
    const f = join(s.workspace, `f${k}.txt`);
    if (existsSync(f)) assert.equal(readFileSync(f, 'utf8'), content(k), `seed ${seed}: f${k}.txt is whole`);
  }
  if (existsSync(join(s.workspace, 'log.txt'))) {
    assert.match(
      readFileSync(join(s.workspace, 'log.txt'), 'utf8'),
      /^(\d\n)*$/,
      `seed ${seed}: log.txt holds whole lines`,
    );
  }
}

async function killOnce(seed: number): Promise<string> {
  const s = scratch();
  try {
    // Most kills are timed from the run's first event, so they land mid-run however slowly a loaded
    // machine starts processes; every fifth is timed from the spawn, to hit start-up moments too.
    const fromSpawn = seed % 5 === 0;
    const delay = Math.floor(random(seed)() * (fromSpawn ? 1200 : 2000));
    const child = spawn(
      process.execPath,
      [
        '--liftoff-only',
        AGIO_BIN,
        'run',
        '--json',
        '--provider',
        'openai',
        '--base-url',
        fake.openaiBaseUrl,
        '--model',
        'm',
        // 100 kB writes are not what this test is about: a window that holds them, so nothing is compacted.
        '--context-window',
        '2000000',
        // …and an output cap that holds them (25,000 tokens): the fake model stops at the cap, as real ones do.
        '--max-output',
        '32000',
        '--store',
        s.store,
        '--cwd',
        s.workspace,
        '--approval',
        'full-auto',
        'write the files',
      ],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env(s) }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let streamed = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    if (fromSpawn) timer = setTimeout(kill, delay);
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      streamed += c;
      if (!timer && streamed.includes('\n')) timer = setTimeout(kill, delay);
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const code = await exited;
    clearTimeout(timer);

    // The store opens (here in this process, as the next Agio would) and lists the run, or none when
    // the kill came before it began; the interruption is recorded on the way.
    assertNoHalfFile(s, seed);
    if (!existsSync(s.store))
      return `seed ${seed}: killed ${delay} ms after ${fromSpawn ? 'the spawn' : 'its first event'}, before the store was made`;
    const store = EventStore.open(s.store);
    let storedJson: string;
    let run: { id: string; status: string } | undefined;
    try {
      markInterruptedRuns(store);
      run = store.listRuns()[0];
      storedJson = run ? `${[...store.eventLines(run.id)].join('\n')}\n` : '';
    } finally {
      store.close();
    }
    if (!run)
      return `seed ${seed}: killed ${delay} ms after ${fromSpawn ? 'the spawn' : 'its first event'}, before the run began`;
    assert.ok(['interrupted', 'completed'].includes(run.status), `seed ${seed}: status ${run.status}`);
    const replay = { stdout: storedJson };
    const stored = parseEventLines(replay.stdout);
    stored.forEach((e, i) => {
      assert.equal(e.seq, i + 1, `seed ${seed}: the log is gap-free`);
    });
    // What was streamed and what was stored agree, event for event, as far as both go.
    const shown = streamed.split('\n').filter((l) => l.endsWith('}'));
    const common = Math.min(shown.length, stored.length - (run.status === 'interrupted' ? 1 : 0));
    const storedLines = replay.stdout.split('\n');
    for (let i = 0; i < common; i++) assert.equal(storedLines[i], shown[i], `seed ${seed}: event ${i + 1} as streamed`);
    if (run.status === 'completed')
      return `seed ${seed}: killed ${delay} ms after ${fromSpawn ? 'the spawn' : 'its first event'}, after the end (exit ${code})`;

    const resumed = await runAgio(['resume', run.id, '--json', '--store', s.store, '--approval', 'full-auto'], {
      env: env(s),
    });
    assert.equal(resumed.code, 0, `seed ${seed}: resume completes: ${resumed.stderr}`);
    const more = parseEventLines(resumed.stdout);
    assert.equal(more[0]!.seq, stored.length + 1, `seed ${seed}: resume continues the same log`);
    const end = more.at(-1)!;
    assert.equal(end.type === 'run_end' && end.status, 'completed');
    for (let k = 0; k < FILES; k++)
      assert.equal(
        readFileSync(join(s.workspace, `f${k}.txt`), 'utf8'),
        content(k),
        `seed ${seed}: f${k}.txt after resume`,
      );
    assert.deepEqual(
      readdirSync(s.workspace).filter((f) => f.endsWith('.tmp') && !f.includes('.agio-')),
      [],
    );
    return `seed ${seed}: killed ${delay} ms after ${fromSpawn ? 'the spawn' : 'its first event'} with ${stored.length - 1} events stored; resumed`;
  } finally {
    s.cleanup();
  }
}

it(`survives kill -9 at ${KILLS} seeded moments: store opens, log gap-free, no half-written file, resume completes`, {
  timeout: 600_000,
}, async () => {
  const outcomes: string[] = [];
  for (let batch = 0; batch < KILLS; batch += PARALLEL) {
    const seeds = Array.from({ length: Math.min(PARALLEL, KILLS - batch) }, (_, i) => batch + i + 1);
    outcomes.push(...(await Promise.all(seeds.map(killOnce))));
  }
  const resumed = outcomes.filter((o) => o.endsWith('resumed')).length;
  if (process.env.AGIO_TEST_VERBOSE) console.log(outcomes.join('\n'));
  // The timings spread over the whole run: most kills land mid-run, and those are resumed.
  assert.ok(resumed >= KILLS / 2, `only ${resumed} of ${KILLS} kills landed mid-run:\n${outcomes.join('\n')}`);
});
