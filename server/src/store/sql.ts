// Everything that talks SQL for the event store: connection settings, the prepared statements, and
// how a batch of events becomes rows. EventStore owns buffering, ordering and lifecycle.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { AgioEvent, Totals } from '../protocol/events.ts';
import type { RunSummary } from '../protocol/methods.ts';
import { type RunTally, tally, ZERO_TOTALS } from '../protocol/projection.ts';

/** One row of `runs`, as the CLI and the panel list them: the protocol's RunSummary. */
export type { RunSummary } from '../protocol/methods.ts';

export const BUSY_TIMEOUT_MS = 5000;

export function configure(db: Db): void {
  // Several processes (panel server, CLI runs) share one file: wait for a writer instead of failing.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL: readers never block the writer nor the writer them, and a commit is one sequential append.
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a crash of the process; a power loss or OS
  // crash may lose the last few transactions but never corrupts the file. FULL would add an fsync
  // per batch for events the panel has already shown.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
}

export type Stmt = Statement<unknown[], unknown>;

const SUMMARY = `id, started_at AS startedAt, ended_at AS endedAt, status, task, cwd, provider, model,
  turns, tool_calls AS toolCalls, input_tokens AS inputTokens, output_tokens AS outputTokens,
  cached_tokens AS cachedTokens, cost_usd AS costUsd, unpriced_calls AS unpricedCalls, errors, elapsed_ms AS elapsedMs, last_seq AS lastSeq`;
const NEWEST_FIRST = 'ORDER BY started_at DESC, id DESC LIMIT ?'; // LIMIT -1: no limit

/** A read-only connection for one replay at a time, with its statement prepared. */
export interface Reader {
  db: Db;
  replay: Stmt;
}

export function openReader(file: string): Reader {
  const db = new Database(file, { readonly: true, timeout: BUSY_TIMEOUT_MS });
  return { db, replay: db.prepare('SELECT json FROM events WHERE run_id = ? AND seq > ? ORDER BY seq').pluck() };
}

export type Statements = Record<
  | 'insertEvent'
  | 'startRun'
  | 'ensureRun'
  | 'setTotals'
  | 'endRun'
  | 'setLastSeq'
  | 'lastSeq'
  | 'listAll'
  | 'listCwd'
  | 'byId'
  | 'byPrefix',
  Stmt
>;

/** Prepared once per connection; re-preparing per call would cost more than most inserts. */
export function prepareStatements(db: Db): Statements {
  const p = (source: string): Stmt => db.prepare(source);
  return {
    insertEvent: p('INSERT INTO events (run_id, seq, type, parent_id, ts, json) VALUES (?, ?, ?, ?, ?, ?)'),
    startRun: p(`INSERT INTO runs (id, started_at, task, cwd, provider, model) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET started_at = excluded.started_at, task = excluded.task,
        cwd = excluded.cwd, provider = excluded.provider, model = excluded.model`),
    // A run whose first event is not run_start still gets a row, so its events have a parent.
    ensureRun: p('INSERT INTO runs (id, started_at) VALUES (?, ?) ON CONFLICT(id) DO NOTHING'),
    setTotals: p(`UPDATE runs SET turns = ?, tool_calls = ?, input_tokens = ?, output_tokens = ?,
      cached_tokens = ?, cost_usd = ?, unpriced_calls = ?, errors = ?, elapsed_ms = ? WHERE id = ?`),
    endRun: p('UPDATE runs SET status = ?, ended_at = ? WHERE id = ?'),
    setLastSeq: p('UPDATE runs SET last_seq = ? WHERE id = ?'),
    lastSeq: p('SELECT last_seq FROM runs WHERE id = ?').pluck(),
    listAll: p(`SELECT ${SUMMARY} FROM runs ${NEWEST_FIRST}`),
    listCwd: p(`SELECT ${SUMMARY} FROM runs WHERE cwd = ? ${NEWEST_FIRST}`),
    byId: p(`SELECT ${SUMMARY} FROM runs WHERE id = ?`),
    // A range scan on the primary key; U+10FFFF sorts after any character an id can continue with.
    byPrefix: p(`SELECT ${SUMMARY} FROM runs WHERE id >= ? AND id < ? || char(1114111) ORDER BY id LIMIT 6`),
  };
}

/**
 * Writes one batch; the caller wraps it in a transaction. `lines[i]` is `events[i]` serialized. The
 * runs row's figures are the projection's totals (protocol/projection.ts `tally`), so the runs list
 * says what the panel and resume say, between snapshots too: an interrupted run lists what it had done,
 * not "0 turns, 0 ms". Returns the runs' new tallies; the caller keeps them once the batch committed.
 */
export function writeEvents(
  s: Statements,
  events: readonly AgioEvent[],
  lines: readonly string[],
  tallies: ReadonlyMap<string, RunTally>,
): Map<string, RunTally> {
  const lastInBatch = new Map<string, number>();
  const next = new Map<string, RunTally>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    // The run's row comes first: events reference it.
    if (e.type === 'run_start') s.startRun.run(e.runId, e.ts, e.task, e.cwd, e.provider, e.model);
    else if (!lastInBatch.has(e.runId)) s.ensureRun.run(e.runId, e.ts);
    s.insertEvent.run(e.runId, e.seq, e.type, e.parentId, e.ts, lines[i]);
    if (e.type === 'run_end') s.endRun.run(e.status, e.ts, e.runId);
    if (e.type === 'run_interrupted') s.endRun.run('interrupted', e.ts, e.runId);
    if (e.type === 'run_resumed') s.endRun.run('running', null, e.runId);
    const before =
      next.get(e.runId) ?? tallies.get(e.runId) ?? (e.type === 'run_start' ? EMPTY_TALLY : rowTally(s, e.runId));
    next.set(e.runId, tally(before, e));
    lastInBatch.set(e.runId, e.seq);
  }
  // The totals and last_seq once per run per batch: the same end state as per event, fewer writes.
  for (const [runId, t] of next) s.setTotals.run(...totalsRow(t.totals), runId);
  for (const [runId, seq] of lastInBatch) s.setLastSeq.run(seq, runId);
  return next;
}

const EMPTY_TALLY: RunTally = { totals: ZERO_TOTALS, clock: { elapsedMs: 0, ts: 0 } };

/** A run this process has not written before (a resumed run, an interruption recorded for another
 * process's run): its tally goes on from its row. */
function rowTally(s: Statements, runId: string): RunTally {
  const row = s.byId.get(runId) as RunSummary | undefined;
  if (!row) return EMPTY_TALLY;
  const { turns, toolCalls, inputTokens, outputTokens, cachedTokens, costUsd, errors, elapsedMs } = row;
  const totals: Totals = {
    turns,
    toolCalls,
    inputTokens,
    outputTokens,
    cachedTokens,
    costUsd,
    unpricedCalls: row.unpricedCalls ?? 0,
    errors,
    elapsedMs,
  };
  return { totals, clock: { elapsedMs, ts: 0 } };
}

function totalsRow(t: Totals): number[] {
  return [
    t.turns,
    t.toolCalls,
    t.inputTokens,
    t.outputTokens,
    t.cachedTokens,
    t.costUsd,
    t.unpricedCalls ?? 0,
    t.errors,
    t.elapsedMs,
  ];
}
