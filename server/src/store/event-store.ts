// The event log: every event of every run, appended in order and replayed byte for byte. The log is
// the truth; the `runs` table is a summary derived from each run's own events as they are written.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Transaction } from 'better-sqlite3';
import type { AgioEvent } from '../protocol/events.ts';
import { type StoreError, isStorageFailure, storeError } from './errors.ts';
import { migrate } from './schema.ts';
import { BUSY_TIMEOUT_MS, configure, openReader, prepareStatements, writeEvents } from './sql.ts';
import type { Reader, RunSummary, Statements } from './sql.ts';
import type { RunTally } from '../protocol/projection.ts';

export { StoreError } from './errors.ts';
export type { RunSummary } from './sql.ts';

export interface EventStoreOptions {
  /** Told when a flush nobody waits on (the end-of-turn one) fails; its events stay buffered. */
  onError?: (err: StoreError) => void;
}

// One transaction per 512 events amortises the commit while bounding what a crash can lose.
const BATCH = 512;

// Stores still open when the process exits get a last synchronous flush. One listener for all of
// them, so opening many stores never trips Node's MaxListeners warning.
const openStores = new Set<EventStore>();
let exitHooked = false;
function flushOpenStoresOnExit(): void {
  for (const store of openStores) {
    try {
      store.flush();
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
    }
  }
}

export class EventStore {
  readonly file: string;
  private readonly db: Db;
  private readonly onError: (err: StoreError) => void;
  private readonly sql: Statements;
  private readonly writeBatch: Transaction<(events: AgioEvent[], lines: string[]) => Map<string, RunTally>>;
  /** The totals of the runs this process writes, as the projection counts them (the runs row). */
  private readonly tallies = new Map<string, RunTally>();
  // Replays iterate on connections of their own: better-sqlite3 refuses writes on a connection with
  // an open iterator, so a replay streamed to a slow client would stop runs being recorded. And all
  // statements of a connection share one read snapshot, so a replay still open would freeze what a
  // later replay on the same connection sees: a second concurrent replay gets a fresh connection.
  private idleReader: Reader | undefined;
  private buffer: AgioEvent[] = [];
  private lines: string[] = [];
  private readonly lastSeqOf = new Map<string, number>(); // including buffered events
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  /** Opens (creating it and its folders if needed) the log at `file` and brings its schema up to date. */
  static open(file: string, options: EventStoreOptions = {}): EventStore {
    let db: Db | undefined;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
      configure(db);
      migrate(db);
      return new EventStore(file, db, options);
    } catch (err) {
      db?.close();
      throw storeError(err, file, 'open');
    }
  }

  private constructor(file: string, db: Db, options: EventStoreOptions) {
    this.file = file;
    this.db = db;
    this.onError = options.onError ?? ((err) => process.stderr.write(`${err.message}\n`));
    this.sql = prepareStatements(db);
    this.writeBatch = db.transaction((events: AgioEvent[], lines: string[]) =>
      writeEvents(this.sql, events, lines, this.tallies),
    );
    openStores.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.on('exit', flushOpenStoresOnExit);
    }
  }

  /** Events buffered and not yet committed. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Records `event`, whose exact serialized form is `json` (stored verbatim, so a replay is
   * byte-identical). Throws, storing nothing, if `event.seq` is not the run's last seq + 1, or if this
   * append fills the batch and writing it fails.
   */
  append(event: AgioEvent, json: string): void {
    if (this.closed) throw new Error(`The event log at ${this.file} is closed; cannot append.`);
    const { runId, seq } = event;
    // What gets bound must be bindable, or the batch would fail on every retry and block the log.
    if (typeof runId !== 'string' || typeof event.type !== 'string' || typeof event.ts !== 'number') {
      throw new TypeError(`Not an event: runId, type and ts are required (got ${json.slice(0, 200)}).`);
    }
    const last = this.lastSeqOf.get(runId) ?? this.storedLastSeq(runId);
    if (seq !== last + 1) {
      throw new Error(
        `Event log order broken for run ${runId}: got seq ${seq} after ${last}, expected ${last + 1} (seq must be gap-free).`,
      );
    }
    this.buffer.push(event);
    this.lines.push(json);
    this.lastSeqOf.set(runId, seq);
    if (this.buffer.length >= BATCH) {
      const failure = this.commit();
      if (failure !== undefined) {
        // Keep append all-or-nothing: the caller sees the error, so this event was not accepted.
        this.buffer.pop();
        this.lines.pop();
        this.lastSeqOf.set(runId, last);
        const kept = `This event was not recorded; ${keptMessage(this.buffer.length, 'earlier ')}`;
        throw storeError(failure, this.file, 'write', kept);
      }
    } else {
      // Never hold an event longer than one turn of the event loop.
      this.scheduled ??= setImmediate(this.flushSoon);
    }
  }

  /** Commits every buffered event in one transaction. On failure they stay buffered for a retry. */
  /**
   * Appends one event at once, and only if the run's stored last seq is still `event.seq - 1`: another
   * process may have appended meanwhile (two processes recording the same interrupted run). Returns
   * whether it was written. For runs this process does not own; its own runs use `append`.
   */
  appendIfLast(event: AgioEvent, json: string): boolean {
    this.flush();
    try {
      const written = this.db
        .transaction(() => {
          const last = (this.sql.lastSeq.get(event.runId) as number | null | undefined) ?? 0;
          if (last !== event.seq - 1) return false;
          // Another process's run: its figures go on from its row, and nothing of it is cached here.
          writeEvents(this.sql, [event], [json], new Map());
          return true;
        })
        .immediate();
      if (written) this.lastSeqOf.set(event.runId, event.seq);
      return written;
    } catch (err) {
      throw storeError(err, this.file, 'write');
    }
  }

  flush(): void {
    const failure = this.commit();
    if (failure !== undefined) {
      throw storeError(failure, this.file, 'write', keptMessage(this.buffer.length));
    }
  }

  /** Runs newest first, optionally only those started in `cwd`. */
  listRuns(opts: { limit?: number; cwd?: string } = {}): RunSummary[] {
    this.flushForRead();
    const limit = opts.limit ?? -1;
    return this.reading(() =>
      opts.cwd === undefined ? this.sql.listAll.all(limit) : this.sql.listCwd.all(opts.cwd, limit),
    ) as RunSummary[];
  }

  /** The run whose id is `idOrPrefix`, or the only one whose id starts with it. */
  findRun(idOrPrefix: string): RunSummary | { error: string } {
    const key = idOrPrefix.trim();
    if (key === '') return { error: 'Give a run id, or enough of its start to pick one run.' };
    this.flushForRead();
    const exact = this.reading(() => this.sql.byId.get(key)) as RunSummary | undefined;
    if (exact) return exact;
    const rows = this.reading(() => this.sql.byPrefix.all(key, key)) as RunSummary[];
    if (rows.length === 1) return rows[0]!;
    if (rows.length === 0) return { error: `No run id starts with "${key}".` };
    const ids = rows
      .slice(0, 5)
      .map((r) => r.id)
      .join(', ');
    return { error: `"${key}" matches several runs (${ids}${rows.length > 5 ? ', …' : ''}); give more of the id.` };
  }

  /**
   * The stored JSON lines of a run after `afterSeq`, in seq order, streamed from disk. Finish the
   * iterator or call its return(): an abandoned one holds a connection and its snapshot.
   */
  /** The run's events of a few types, in order: a small subset, so read at once (no streaming). */
  eventsOfTypes(runId: string, types: readonly AgioEvent['type'][]): AgioEvent[] {
    this.reading(() => undefined);
    this.flushForRead();
    const marks = types.map(() => '?').join(', ');
    const rows = this.db
      .prepare(`SELECT json FROM events WHERE run_id = ? AND type IN (${marks}) ORDER BY seq`)
      .pluck()
      .all(runId, ...types) as string[];
    return rows.map((r) => JSON.parse(r) as AgioEvent);
  }

  eventLines(runId: string, afterSeq = 0): IterableIterator<string> {
    this.reading(() => undefined); // a closed store throws now, not at the first next()
    this.flushForRead();
    return this.replay(runId, afterSeq);
  }

  /** Parsed events of a run after `afterSeq`; not re-validated, the log holds only what we wrote. */
  events(runId: string, afterSeq = 0): IterableIterator<AgioEvent> {
    const lines = this.eventLines(runId, afterSeq);
    return (function* () {
      for (const line of lines) yield JSON.parse(line) as AgioEvent;
    })();
  }

  /** Flushes, then closes. If the flush fails the store still closes and the error says what was lost. */
  close(): void {
    if (this.closed) return;
    const failure = this.commit();
    const lost =
      failure === undefined
        ? undefined
        : storeError(failure, this.file, 'write', `Lost ${this.buffer.length} unsaved event(s).`);
    this.closed = true;
    openStores.delete(this);
    this.db.close();
    this.idleReader?.db.close(); // readers still replaying close when their replay ends
    this.idleReader = undefined;
    if (lost) throw lost;
  }

  /** Writes the buffer in one IMMEDIATE transaction; returns the raw error, the buffer kept, on failure. */
  private commit(): unknown {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.buffer.length === 0 || this.closed) return undefined;
    try {
      // IMMEDIATE takes the write lock up front, so a busy file waits on busy_timeout instead of
      // failing on a lock upgrade half-way through the batch.
      // Kept only once committed: a failed batch is retried with the same events.
      for (const [runId, t] of this.writeBatch.immediate(this.buffer, this.lines)) this.tallies.set(runId, t);
    } catch (err) {
      return err ?? new Error('unknown failure');
    }
    this.buffer = [];
    this.lines = [];
    return undefined;
  }

  private readonly flushSoon = (): void => {
    this.scheduled = undefined;
    try {
      this.flush();
    } catch (err) {
      this.onError(storeError(err, this.file, 'write'));
    }
  };

  // Reads see this process's own appends, so a replay followed by live events has no gap. A failing
  // write must not make the history unreadable, so the failure is reported and the read goes on.
  private flushForRead(): void {
    try {
      this.flush();
    } catch (err) {
      this.onError(storeError(err, this.file, 'write'));
    }
  }

  private storedLastSeq(runId: string): number {
    return (this.reading(() => this.sql.lastSeq.get(runId)) as number | undefined) ?? 0;
  }

  private *replay(runId: string, afterSeq: number): Generator<string, void, undefined> {
    const reader = this.idleReader ?? this.reading(() => openReader(this.file));
    this.idleReader = undefined;
    try {
      yield* this.reading(() => reader.replay.iterate(runId, afterSeq) as IterableIterator<string>);
    } catch (err) {
      throw isStorageFailure(err) ? storeError(err, this.file, 'read') : err;
    } finally {
      if (this.closed || this.idleReader) reader.db.close();
      else this.idleReader = reader;
    }
  }

  private reading<T>(fn: () => T): T {
    if (this.closed) throw new Error(`The event log at ${this.file} is closed; cannot read.`);
    try {
      return fn();
    } catch (err) {
      // Only failures of the file become StoreErrors; a misuse of the driver is a bug to see as is.
      throw isStorageFailure(err) ? storeError(err, this.file, 'read') : err;
    }
  }
}

function keptMessage(n: number, which = ''): string {
  return `${n} ${which}${n === 1 ? 'event is' : 'events are'} kept in memory and will be retried.`;
}
