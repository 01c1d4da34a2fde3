// What a command printing 100 MB costs the store and the clock: one `agio run --json` with a bash
// call printing 100 MB, through the real CLI against the fake model, beside the same run with a
// command printing one line (the baseline, same session, alternating). The store's growth is its
// size on disk after the run minus before it (the SQLite file with its -wal and -shm), the store
// having been created by a one-line run first. Medians of ROUNDS.
// Run: npx node --disable-warning=ExperimentalWarning bench/live-output.bench.ts [--agio path/to/bin/agio.mjs]
// (`--agio` measures another build, e.g. one from before the live output was capped.)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFakeLlm } from '../test/fake-llm/server.ts';

const ROUNDS = 3;
const BYTES = 100_000_000;
const BIG = `head -c ${BYTES} /dev/zero | tr '\\0' a`;
const SMALL = 'echo hi';
const REPO = path.resolve(import.meta.dirname, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1e3).toFixed(0)} KB`;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

function storeBytes(store: string): number {
  return [store, `${store}-wal`, `${store}-shm`]
    .filter((f) => fs.existsSync(f))
    .reduce((n, f) => n + fs.statSync(f).size, 0);
}

interface Measured {
  ms: number;
  growth: number;
  outputEvents: number;
  stdoutBytes: number;
}

/** One `agio run --json` whose model asks for one bash `command`; counts stdout without keeping it. */
async function agioRun(agio: string, command: string, store: string, ws: string, config: string): Promise<Measured> {
  const fake = await startFakeLlm({
    turns: [{ toolCalls: [{ name: 'bash', arguments: { command } }] }, { text: 'done' }],
  });
  try {
    const before = storeBytes(store);
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--liftoff-only',
        agio,
        'run',
        '--json',
        '--approval',
        'full-auto',
        '--base-url',
        fake.openaiBaseUrl,
        '--model',
        'm',
        '--store',
        store,
        '--cwd',
        ws,
        'print',
      ],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: config },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdoutBytes = 0;
    let outputEvents = 0;
    let carry = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdoutBytes += Buffer.byteLength(c);
      const lines = (carry + c).split('\n');
      carry = lines.pop()!;
      for (const l of lines) if (l.includes('"type":"tool_output"')) outputEvents++;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error(`agio run failed (${code}): ${stderr}`);
    return { ms, growth: storeBytes(store) - before, outputEvents, stdoutBytes };
  } finally {
    await fake.close();
  }
}

/** The command alone, its output read and dropped by this process: what no agent can go below. */
async function bareCommand(command: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8').on('data', () => {});
  await new Promise((resolve) => child.on('close', resolve));
  return performance.now() - t0;
}

export async function main(): Promise<void> {
  const i = process.argv.indexOf('--agio');
  const agio = i >= 0 ? path.resolve(process.argv[i + 1]!) : path.join(REPO, 'bin', 'agio.mjs');
  console.log(`Live output — a bash call printing ${BYTES / 1e6} MB vs one printing a line (${agio})`);
  const results: Record<'big' | 'small', Measured[]> = { big: [], small: [] };
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await bareCommand(BIG));
    for (const kind of ['small', 'big'] as const) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-live-bench-'));
      try {
        const ws = path.join(tmp, 'ws');
        fs.mkdirSync(ws);
        const store = path.join(tmp, 'agio.db');
        const config = path.join(tmp, 'config');
        await agioRun(agio, SMALL, store, ws, config); // creates the store: "before" is a store in use
        results[kind].push(await agioRun(agio, kind === 'big' ? BIG : SMALL, store, ws, config));
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  const summary = (kind: 'big' | 'small') => {
    const r = results[kind];
    return {
      growth: median(r.map((x) => x.growth)),
      ms: median(r.map((x) => x.ms)),
      events: median(r.map((x) => x.outputEvents)),
      stdout: median(r.map((x) => x.stdoutBytes)),
    };
  };
  const big = summary('big');
  const small = summary('small');
  for (const [name, s] of [
    ['1-line command (baseline)', small],
    [`${BYTES / 1e6} MB command`, big],
  ] as const)
    console.log(
      `  ${name.padEnd(26)} store +${kb(s.growth)} · ${s.ms.toFixed(0)} ms · ${s.events} tool_output events · --json ${mb(s.stdout)}`,
    );
  console.log(`  the ${BYTES / 1e6} MB command alone, read by a bare process: ${median(bare).toFixed(0)} ms`);
  console.log(
    `  ratios (big/baseline, medians of ${ROUNDS}): store growth ×${(big.growth / small.growth).toFixed(2)} ` +
      `(+${kb(big.growth - small.growth)}, ${((100 * (big.growth - small.growth)) / BYTES).toFixed(3)}% of the output) · ` +
      `wall time ×${(big.ms / small.ms).toFixed(2)} (+${(big.ms - small.ms).toFixed(0)} ms; the command alone ${median(bare).toFixed(0)} ms)`,
  );
}

if (import.meta.main) await main();
