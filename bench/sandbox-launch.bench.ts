// What the sandbox costs a command: spawning `true` through sandboxArgv (bwrap with the hidden home,
// every protected path found by walking the workspace and mounted read-only, the limits) beside a bare
// `bash -c true` in the same run, on this repository and on a synthetic workspace of 10,000 folders
// with 100 nested repositories. The walk (protectedMounts) is timed apart, since it is most of it.
// Run: npx node --disable-warning=ExperimentalWarning bench/sandbox-launch.bench.ts [runs]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectSandbox, sandboxArgv } from '../server/src/policy/sandbox.ts';
import { protectedMounts } from '../server/src/policy/sandbox-protected.ts';

const REPO = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function syntheticWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-sbx-bench-'));
  for (let i = 0; i < 100; i++) {
    for (let j = 0; j < 100; j++) fs.mkdirSync(path.join(root, `pkg${i}`, `d${j}`), { recursive: true });
    fs.mkdirSync(path.join(root, `pkg${i}`, '.git', 'hooks'), { recursive: true });
  }
  return fs.realpathSync(root);
}

function timeSpawn(make: () => { file: string; args: string[] }, cwd: string): number {
  const t0 = performance.now();
  const { file, args } = make();
  const r = spawnSync(file, args, { cwd, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${file} exited ${r.status}`);
  return performance.now() - t0;
}

export async function main(runs = Number(process.argv[2] ?? 21)): Promise<void> {
  const info = await detectSandbox({ ...process.env, AGIO_SANDBOX: '' });
  if (info.kind !== 'bwrap') {
    console.log(`sandbox launch: skipped, no usable bubblewrap (${info.reason})`);
    return;
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-sbx-home-'));
  const synthetic = syntheticWorkspace();
  try {
    console.log(`sandbox launch: \`true\` through sandboxArgv beside bare \`bash -c true\`, medians of ${runs}`);
    for (const [name, root] of [
      ['this repository', REPO],
      ['10,000 folders, 100 nested .git', synthetic],
    ] as const) {
      const bare: number[] = [];
      const sandboxed: number[] = [];
      const walk: number[] = [];
      for (let i = 0; i < runs; i++) {
        bare.push(timeSpawn(() => ({ file: 'bash', args: ['-c', 'true'] }), root));
        sandboxed.push(timeSpawn(() => sandboxArgv(info, { root, home, allowNetwork: false, command: 'true' }), root));
        const t0 = performance.now();
        protectedMounts(root);
        walk.push(performance.now() - t0);
      }
      const b = median(bare);
      const s = median(sandboxed);
      console.log(
        `  ${name}: bare ${b.toFixed(1)} ms · sandboxed ${s.toFixed(1)} ms (×${(s / b).toFixed(1)}) · of which the walk ${median(walk).toFixed(1)} ms · read-only mounts ${protectedMounts(root).readOnly.length}`,
      );
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(synthetic, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
