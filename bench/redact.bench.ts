// Cost of redacting text before it reaches the model or the event log: 1 KB of ordinary output
// (code, a URL, an e-mail address) with no secret, and the same with one GitHub token in it.
// Run: node --disable-warning=ExperimentalWarning bench/redact.bench.ts
import { Redactor } from '../server/src/policy/secrets.ts';

function nsPerOp(f: () => unknown, n = 200_000): number {
  for (let i = 0; i < n / 10; i++) f();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t0) / n;
}

export async function main(): Promise<void> {
  const line =
    'const x = await fetch("https://example.com/api/v1/items?id=42"); // carrier of bad news, user@example.com\n';
  const clean = line.repeat(Math.ceil(1024 / line.length)).slice(0, 1024);
  const token = ['gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
  const dirty = `${clean.slice(0, 500)} ${token} ${clean.slice(502 + token.length)}`;
  const plain = new Redactor();
  const withEnv = Redactor.fromEnv({ DEPLOY_TOKEN: 'Zq8xLw2pVn5tRk9m', DB_PASSWORD: 'correct horse battery staple' });
  console.log('redact (1 KB):');
  for (const [name, r] of [
    ['patterns only', plain],
    ['patterns + 2 env values', withEnv],
  ] as const) {
    console.log(
      `  ${name.padEnd(24)} no secret ${nsPerOp(() => r.redact(clean))
        .toFixed(0)
        .padStart(6)} ns/op` +
        `   one secret ${nsPerOp(() => r.redact(dirty))
          .toFixed(0)
          .padStart(6)} ns/op`,
    );
  }
}

if (import.meta.main) await main();
