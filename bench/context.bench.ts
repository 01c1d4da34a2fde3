// The context step, measured two ways:
// 1. Prompt-prefix stability: a 50-turn scripted task through the real CLI and SDKs against the fake
//    LLM, once per wire protocol. For every request after the first: the share of the *previous*
//    request that the new one repeats byte for byte from its start (what a prefix cache can reuse),
//    and the share of the *new* request that is that repeated prefix (bounded by how much a turn adds).
// 2. The context step's time per turn as the conversation grows, against the conversation's own
//    growth: in the CLI run (context_usage.durationMs) and in-process over 2,000 turns with the
//    tokenizer loaded (the exact-count path), where a growing per-turn cost would show.
// Run: npx node --disable-warning=ExperimentalWarning bench/context.bench.ts
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ContextWindow } from '../server/src/context/context-window.ts';
import { loadTokenizer } from '../server/src/context/tokens.ts';
import { AgioEvent } from '../server/src/protocol/events.ts';
import { startFakeLlm } from '../test/fake-llm/server.ts';

const TURNS = 50;
const REPO = path.resolve(import.meta.dirname, '..');

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function prefixRun(provider: 'openai' | 'anthropic'): Promise<{ durations: number[]; sizes: number[] }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-ctx-bench-'));
  const ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
  for (let f = 0; f < 10; f++) {
    fs.writeFileSync(
      path.join(ws, 'src', `m${f}.ts`),
      Array.from({ length: 200 }, (_, i) => `export const v${f}_${i} = ${i}; // module ${f}, line ${i + 1}`).join('\n'),
    );
  }
  fs.writeFileSync(path.join(ws, 'AGENTS.md'), 'Run the tests before you finish. Keep functions small.\n');
  let turn = 0;
  const fake = await startFakeLlm(() => {
    turn++;
    return turn > TURNS
      ? { text: 'done' }
      : {
          text: `Reading part ${turn}.`,
          toolCalls: [
            { name: 'read', arguments: { path: `src/m${turn % 10}.ts`, offset: 1 + (turn % 9) * 20, limit: 20 } },
          ],
        };
  });
  try {
    // Asynchronously: the fake LLM answers from this same process.
    const r = await run(
      process.execPath,
      [
        '--liftoff-only',
        path.join(REPO, 'bin', 'agio.mjs'),
        'run',
        '--json',
        '--provider',
        provider,
        '--base-url',
        provider === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl,
        '--model',
        provider === 'openai' ? 'gpt-4.1' : 'claude-sonnet-4-5',
        '--store',
        path.join(tmp, 'agio.db'),
        '--cwd',
        ws,
        '--approval',
        'read-only',
        'study the modules',
      ],
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        OPENAI_API_KEY: 'k',
        ANTHROPIC_API_KEY: 'k',
        XDG_CONFIG_HOME: path.join(tmp, 'config'),
      },
    );
    if (r.status !== 0) throw new Error(`agio run failed (${r.status}): ${r.stderr}`);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => AgioEvent.parse(JSON.parse(l)));
    const bodies = fake.requests.map((q) => q.rawBody);
    const ofPrevious: number[] = [];
    const ofCurrent: number[] = [];
    for (let i = 1; i < bodies.length; i++) {
      const shared = sharedPrefix(bodies[i - 1]!, bodies[i]!);
      ofPrevious.push(shared / bodies[i - 1]!.length);
      ofCurrent.push(shared / bodies[i]!.length);
    }
    const usage = events.filter((e) => e.type === 'usage');
    const input = usage.reduce((n, u) => n + u.inputTokens, 0);
    const cached = usage.reduce((n, u) => n + u.cachedTokens, 0);
    console.log(
      `  ${provider.padEnd(9)} ${bodies.length} requests, ${(bodies[0]!.length / 1024).toFixed(1)} → ${(bodies.at(-1)!.length / 1024).toFixed(1)} kB`,
    );
    console.log(
      `    previous request repeated as the prefix: mean ${pct(mean(ofPrevious))}, min ${pct(Math.min(...ofPrevious))}`,
    );
    console.log(
      `    share of each request that is that prefix: mean ${pct(mean(ofCurrent))}, min ${pct(Math.min(...ofCurrent))} (goal ≥ 95% mean)`,
    );
    console.log(`    input tokens reported as cached by the (fake) provider: ${pct(cached / input)}`);
    const durations = events.flatMap((e) =>
      e.type === 'context_usage' && e.durationMs !== undefined ? [e.durationMs] : [],
    );
    return { durations, sizes: bodies.map((b) => b.length) };
  } finally {
    await fake.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Context step per turn over a long conversation, exact-count path, no compaction (a 10M window). */
async function scaling(): Promise<void> {
  await loadTokenizer();
  const ctx = new ContextWindow(
    { window: 10_000_000, maxOutput: 8_192, compactAt: 0.8 },
    { system: 'system '.repeat(300), tools: [], messages: [{ role: 'user', content: 'task' }], maxOutputTokens: 8_192 },
    { emit: () => ({ id: 'e' }), summarize: async () => ({ ok: false, error: 'not in this bench' }) },
  );
  const signal = new AbortController().signal;
  const buckets: { turns: number; ms: number; chars: number }[] = [];
  let chars = 0;
  let bucketMs = 0;
  for (let t = 1; t <= 2_000; t++) {
    const result = `line ${t}: ${'const x = compute(a, b); '.repeat(80)}`;
    ctx.push({
      role: 'assistant',
      text: `step ${t}`,
      toolCalls: [{ id: `c${t}`, name: 'read', argsJson: `{"path":"f${t}.ts"}` }],
    });
    ctx.pushToolResult({ role: 'tool', callId: `c${t}`, name: 'read', content: result, isError: false });
    chars += result.length + 40;
    const start = performance.now();
    await ctx.prepare('turn', signal);
    bucketMs += performance.now() - start;
    // As the provider would: the request's input count comes back after each call.
    ctx.reportInput(Math.ceil(chars / 4), ctx.messages.length);
    if (t % 400 === 0) {
      buckets.push({ turns: t, ms: bucketMs / 400, chars });
      bucketMs = 0;
    }
  }
  console.log('  in-process, 2,000 turns (tokenizer loaded, provider counts reported each turn):');
  for (const b of buckets)
    console.log(
      `    turns ${String(b.turns - 399).padStart(4)}–${String(b.turns).padEnd(4)} conversation ${(b.chars / 1e6).toFixed(2)} MB · context step ${(b.ms * 1000).toFixed(0)} µs/turn`,
    );
  const first = buckets[0]!;
  const last = buckets.at(-1)!;
  console.log(
    `    growth last/first bucket: conversation ×${(last.chars / first.chars).toFixed(1)}, context step ×${(last.ms / first.ms).toFixed(2)} (goal: not faster than the conversation)`,
  );
}

export async function main(): Promise<void> {
  console.log(`Context — prompt prefix over a ${TURNS}-turn scripted run (real CLI and SDKs, fake LLM)`);
  const runs = [await prefixRun('openai'), await prefixRun('anthropic')];
  console.log('  context step time in those runs (context_usage.durationMs):');
  for (const [i, r] of runs.entries()) {
    const early = mean(r.durations.slice(1, 11));
    const late = mean(r.durations.slice(-10));
    const growth = mean(r.sizes.slice(-10)) / mean(r.sizes.slice(1, 11));
    console.log(
      `    ${i === 0 ? 'openai   ' : 'anthropic'} turns 2–11 ${early.toFixed(3)} ms, turns 42–51 ${late.toFixed(3)} ms: ×${(late / early).toFixed(2)} while requests grew ×${growth.toFixed(1)}`,
    );
  }
  await scaling();
}

if (import.meta.main) await main();
