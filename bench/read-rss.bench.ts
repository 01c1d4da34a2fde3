// Peak memory of `read` on 1 GB files: each read runs in a child process of its own (the real tool on
// the real disk seam) and reports its peak RSS (process.resourceUsage().maxRSS); the baseline is the
// same child reading a 10-line file, in the same run. Two 1 GB files: 2,000 lines and then a hole
// (sparse: the 2,001st "line" is ~1 GB of NULs), and ~10.7 million real 100-byte lines. The last row
// is what read did before it streamed: the whole file read into memory (fs.readFile).
// Run: npx node --disable-warning=ExperimentalWarning bench/read-rss.bench.ts
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GB = 1024 ** 3;

interface ChildResult {
  maxRssMb: number;
  ms: number;
  /** The read's last output line (its footer), or what the whole-file read got. */
  tail: string;
}

/** In the child: one read, then its figures as JSON on stdout. */
async function child(root: string, rel: string, mode: string, offset: number, limit: number): Promise<void> {
  const t0 = performance.now();
  let tail: string;
  if (mode === 'whole') {
    const buf = await fs.promises.readFile(path.join(root, rel));
    tail = `${buf.length} bytes in memory`;
  } else {
    const { readTool } = await import('../server/src/tools/read.ts');
    const { DiskFiles } = await import('../server/src/workspace/disk-files.ts');
    const { nodeNetwork, nodeProcesses } = await import('../server/src/workspace/node-processes.ts');
    const out = await readTool.execute(
      { path: rel, offset, limit },
      {
        root,
        files: new DiskFiles(root),
        processes: nodeProcesses,
        network: nodeNetwork,
        signal: new AbortController().signal,
        env: {},
        readNeedsApproval: () => undefined,
      },
    );
    tail = out.output.split('\n').at(-1) ?? '';
  }
  const ms = performance.now() - t0;
  const result: ChildResult = { maxRssMb: process.resourceUsage().maxRSS / 1024, ms, tail };
  process.stdout.write(JSON.stringify(result));
}

function runChild(root: string, rel: string, mode: string, offset = 1, limit = 1): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--disable-warning=ExperimentalWarning',
    self,
    '--child',
    root,
    rel,
    mode,
    String(offset),
    String(limit),
  ];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${code}: ${err}`))));
  });
}

/** ~10.7 million lines of 100 bytes each (the line number and filler), written in 8 MB blocks. */
function writeRealLines(abs: string, bytes: number): number {
  const fd = fs.openSync(abs, 'w');
  let n = 0;
  let written = 0;
  while (written < bytes) {
    const lines: string[] = [];
    for (let b = 0; b < 8 * 1024 * 1024 && written + b < bytes; b += 100) {
      n++;
      lines.push(
        `${String(n).padStart(10)} ${'the quick brown fox jumps over the lazy dog '.repeat(2).slice(0, 88)}\n`,
      );
    }
    const block = lines.join('');
    fs.writeSync(fd, block);
    written += block.length;
  }
  fs.closeSync(fd);
  return n;
}

export async function main(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agio-read-rss-')));
  try {
    fs.writeFileSync(path.join(root, 'tiny.txt'), Array.from({ length: 10 }, (_, i) => `line ${i + 1}\n`).join(''));
    const sparse = path.join(root, 'sparse.log');
    fs.writeFileSync(sparse, Array.from({ length: 2000 }, (_, i) => `line ${i + 1}\n`).join(''));
    fs.truncateSync(sparse, GB);
    const lines = writeRealLines(path.join(root, 'lines.log'), GB);
    const base = await runChild(root, 'tiny.txt', 'read');
    const rows: [string, ChildResult][] = [
      ['sparse 1 GB, line 1', await runChild(root, 'sparse.log', 'read')],
      ['sparse 1 GB, first page (2,000 lines)', await runChild(root, 'sparse.log', 'read', 1, 2000)],
      [`1 GB of ${lines.toLocaleString('en-US')} lines, line 1`, await runChild(root, 'lines.log', 'read')],
      ['the same, 100 lines from line 5,000,000', await runChild(root, 'lines.log', 'read', 5_000_000, 100)],
      ['sparse 1 GB, whole file in memory (read before)', await runChild(root, 'sparse.log', 'whole')],
    ];
    console.log('read, peak RSS of a child process per read (baseline: a 10-line file):');
    console.log(`  ${'baseline: tiny.txt, line 1'.padEnd(50)} ${base.maxRssMb.toFixed(0).padStart(6)} MB`);
    for (const [name, r] of rows) {
      console.log(
        `  ${name.padEnd(50)} ${r.maxRssMb.toFixed(0).padStart(6)} MB  ×${(r.maxRssMb / base.maxRssMb).toFixed(2)}` +
          `  ${r.ms.toFixed(0).padStart(5)} ms   ${r.tail.slice(0, 90)}`,
      );
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , root, rel, mode, offset, limit] = process.argv;
  await child(root!, rel!, mode!, Number(offset), Number(limit));
} else if (import.meta.main) await main();
