// The scripted task shared by the agent-loop bench's parts: a generated workspace and the model's
// answers. Answers depend only on the turn number, so Agio, the bare loop and the in-process memory
// run all see the same bytes from the fake model.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ScriptedTurn } from '../test/fake-llm/script.ts';

export const TURNS = 200;
export const FILES = 20;
export const TASK = 'Look through the sources and run a few commands, then summarize.';

/** Turn n (1-based): odd turns read a file, even turns run a cheap command, the last one answers. */
export function turnFor(n: number, turns = TURNS): ScriptedTurn {
  if (n >= turns)
    return { text: `Done: read ${Math.min(FILES, turns >> 1)} files and ran ${(turns - 1) >> 1} commands.` };
  const call =
    n % 2 === 1
      ? { name: 'read', arguments: { path: `src/f${n % FILES}.ts` } }
      : { name: 'bash', arguments: { command: `echo turn ${n}` } };
  // A short text per turn, as real models write, so text deltas go through both loops too.
  return { text: `Step ${n}.`, toolCalls: [call] };
}

/** A temp folder with FILES small TypeScript files of ~40 lines each. */
export function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-loop-bench-'));
  fs.mkdirSync(path.join(dir, 'src'));
  for (let f = 0; f < FILES; f++) {
    const lines = [`// f${f}.ts: generated for the agent-loop bench`, `export const id${f} = ${f};`];
    for (let i = 0; lines.length < 40; i++) {
      lines.push(`export function fn${f}_${i}(x: number): number {`, `  return x * ${i + 1} + id${f};`, '}');
    }
    fs.writeFileSync(path.join(dir, 'src', `f${f}.ts`), `${lines.join('\n')}\n`);
  }
  return dir;
}

export interface ChildRun {
  ms: number;
  code: number | null;
  stdoutLines: number;
  stdoutBytes: number;
  /** The last stdout line, where both loops put their summary. */
  lastLine: string;
  stderr: string;
}

/** Spawns `process.execPath ...args` and times it from spawn to exit, draining stdout as it comes. */
export function timeChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let bytes = 0;
    let tail = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      bytes += Buffer.byteLength(s);
      for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) lines++;
      // Keep only what can hold the last line; the event stream itself is not kept.
      tail = (tail + s).slice(-64 * 1024);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr = (stderr + s).slice(-8192)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const lastLine = tail.trimEnd().split('\n').at(-1) ?? '';
      resolve({ ms, code, stdoutLines: lines, stdoutBytes: bytes, lastLine, stderr });
    });
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;
export const verdict = (pass: boolean) => (pass ? 'met' : 'MISSED');
