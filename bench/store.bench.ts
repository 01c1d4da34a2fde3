// The event log's own cost: appending and replaying 100,000 events of one run, against bare
// better-sqlite3 doing the same inserts and the same SELECT on the same machine in the same process,
// so the ratio shows what buffering, seq checks and the runs summary add.
// Run: npx node --disable-warning=ExperimentalWarning bench/store.bench.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { AgioEvent, EventDraft, Totals } from '../server/src/protocol/events.ts';
import { EventStore } from '../server/src/store/event-store.ts';
import { MIGRATIONS } from '../server/src/store/schema.ts';
import { configure } from '../server/src/store/sql.ts';

const N = 100_000;
const ROUNDS = 5;
const RUN = 'run-bench-0001';
const GOAL_APPEND_PER_S = 100_000;
const GOAL_REPLAY_MS = 1000;

export interface StoreBenchResult {
  events: number;
  bytes: number;
  appendMs: number;
  bareAppendMs: number;
  replayMs: number;
  bareReplayMs: number;
}

/** One run's events as a real one looks: mostly streamed text, a tool call per turn, usage, metrics. */
function syntheticRun(): string[] {
  const events: AgioEvent[] = [];
  let seq = 0;
  const push = (draft: EventDraft): void => {
    seq++;
    events.push({ ...draft, id: `${RUN}.${seq}`, runId: RUN, seq, ts: 1_760_000_000_000 + seq * 3 } as AgioEvent);
  };
  const totals: Totals = {
    turns: 0,
    toolCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    errors: 0,
    elapsedMs: 0,
  };
  const words = 'the parser reads each token and keeps a stack of open scopes so that errors point at'.split(' ');
  push({
    type: 'run_start',
    parentId: null,
    task: 'Make the parser report the line of an unclosed brace',
    cwd: '/home/ada/proj',
    provider: 'openai',
    model: 'gpt-5-mini',
    agioVersion: '0.1.0',
    approval: 'auto-edit',
    limits: { maxSteps: 5000 },
  });
  for (let turn = 1; seq < N - 1; turn++) {
    const turnId = `${RUN}.${seq + 1}`;
    push({ type: 'turn_start', parentId: `${RUN}.1`, turn });
    let text = '';
    for (let i = 0; i < 40; i++) {
      const delta = ` ${words[(turn + i) % words.length]}${i % 7 === 0 ? '.\n' : ''}`.repeat(1 + (i % 3));
      text += delta;
      push({ type: 'text_delta', parentId: turnId, text: delta });
    }
    push({ type: 'message_end', parentId: turnId, text, stopReason: 'tool_use' });
    const callId = `call_${turn}`;
    const callEventId = `${RUN}.${seq + 1}`;
    push({
      type: 'tool_call',
      parentId: turnId,
      tool: 'edit_file',
      callId,
      args: {
        path: `src/parser/scope-${turn % 17}.ts`,
        old: 'if (depth < 0) throw new Error(msg);',
        new: 'if (depth < 0) throw new ParseError(msg, line);',
      },
    });
    push({
      type: 'approval_decision',
      parentId: callEventId,
      decision: 'allow',
      by: 'policy',
      reason: 'auto-edit allows writes in the workspace',
    });
    const output = turn % 5 === 0 ? 'x'.repeat(3000) : `Edited src/parser/scope-${turn % 17}.ts: 1 replacement.`;
    push({
      type: 'tool_result',
      parentId: callEventId,
      tool: 'edit_file',
      callId,
      result: { ok: true, output, durationMs: 2.4 },
    });
    push({
      type: 'usage',
      parentId: turnId,
      model: 'gpt-5-mini',
      inputTokens: 1800 + turn * 40,
      outputTokens: 160,
      cachedTokens: 1500 + turn * 38,
      costUsd: 0.00041,
      reported: true,
    });
    Object.assign(totals, {
      turns: turn,
      toolCalls: turn,
      inputTokens: totals.inputTokens + 1800 + turn * 40,
      outputTokens: totals.outputTokens + 160,
      costUsd: totals.costUsd + 0.00041,
      elapsedMs: turn * 900,
    });
    push({ type: 'metrics_snapshot', parentId: `${RUN}.1`, totals: { ...totals } });
    push({ type: 'turn_end', parentId: `${RUN}.1`, turn });
  }
  events.length = N - 1; // cut the last turn short, then end the run on exactly event N
  seq = N - 1;
  push({ type: 'run_end', parentId: `${RUN}.1`, status: 'completed', totals });
  return events.map((e) => JSON.stringify(e));
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A sink that discards what it is given and counts its UTF-8 bytes, newline included. */
function discard(lines: Iterable<string>): number {
  let bytes = 0;
  for (const line of lines) bytes += Buffer.byteLength(line) + 1;
  return bytes;
}

function round(events: AgioEvent[], lines: string[], dir: string): StoreBenchResult {
  // Agio: through the public API, batches of 512 and a final flush.
  const store = EventStore.open(path.join(dir, 'agio.db'));
  const appendMs = time(() => {
    for (let i = 0; i < lines.length; i++) store.append(events[i]!, lines[i]!);
    store.flush();
  });
  let bytes = 0;
  const replayMs = time(() => {
    bytes = discard(store.eventLines(RUN));
  });
  store.close();

  // Bare: the same table and pragmas, one transaction, no checks and no summary.
  const db = new Database(path.join(dir, 'bare.db'));
  configure(db);
  db.exec(MIGRATIONS[0]!);
  db.prepare('INSERT INTO runs (id, started_at) VALUES (?, ?)').run(RUN, events[0]!.ts);
  const insert = db.prepare('INSERT INTO events (run_id, seq, type, parent_id, ts, json) VALUES (?, ?, ?, ?, ?, ?)');
  const bareAppendMs = time(() => {
    db.transaction(() => {
      for (let i = 0; i < lines.length; i++) {
        const e = events[i]!;
        insert.run(e.runId, e.seq, e.type, e.parentId, e.ts, lines[i]);
      }
    })();
  });
  const select = db.prepare('SELECT json FROM events WHERE run_id = ? AND seq > ? ORDER BY seq').pluck();
  let bareBytes = 0;
  const bareReplayMs = time(() => {
    bareBytes = discard(select.iterate(RUN, 0) as IterableIterator<string>);
  });
  db.close();
  if (bytes !== bareBytes) throw new Error(`replays differ: Agio ${bytes} bytes, bare ${bareBytes} bytes`);
  return { events: lines.length, bytes, appendMs, bareAppendMs, replayMs, bareReplayMs };
}

export async function main(): Promise<StoreBenchResult> {
  const lines = syntheticRun();
  const events = lines.map((l) => JSON.parse(l) as AgioEvent);
  const results: StoreBenchResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-store-bench-'));
    try {
      results.push(round(events, lines, dir));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const m = (k: keyof StoreBenchResult): number => median(results.map((x) => x[k]));
  const result: StoreBenchResult = {
    events: N,
    bytes: results[0]!.bytes,
    appendMs: m('appendMs'),
    bareAppendMs: m('bareAppendMs'),
    replayMs: m('replayMs'),
    bareReplayMs: m('bareReplayMs'),
  };
  const perS = (ms: number) => Math.round((N / ms) * 1000).toLocaleString('en-US');
  const ok = (pass: boolean) => (pass ? 'met' : 'MISSED');
  const appendPerS = (N / result.appendMs) * 1000;
  console.log(
    `store: ${N.toLocaleString('en-US')} events of one run, ${(result.bytes / 1e6).toFixed(1)} MB of JSON, median of ${ROUNDS} rounds`,
  );
  console.log(
    `  append  Agio ${result.appendMs.toFixed(1)} ms (${perS(result.appendMs)} events/s)` +
      `  bare ${result.bareAppendMs.toFixed(1)} ms (${perS(result.bareAppendMs)} events/s)` +
      `  Agio/bare ${(result.appendMs / result.bareAppendMs).toFixed(2)}x` +
      `  goal >= ${GOAL_APPEND_PER_S.toLocaleString('en-US')} events/s: ${ok(appendPerS >= GOAL_APPEND_PER_S)}`,
  );
  console.log(
    `  replay  Agio ${result.replayMs.toFixed(1)} ms (${perS(result.replayMs)} events/s)` +
      `  bare ${result.bareReplayMs.toFixed(1)} ms (${perS(result.bareReplayMs)} events/s)` +
      `  Agio/bare ${(result.replayMs / result.bareReplayMs).toFixed(2)}x` +
      `  goal < ${GOAL_REPLAY_MS} ms: ${ok(result.replayMs < GOAL_REPLAY_MS)}`,
  );
  return result;
}

if (import.meta.main) await main();
