// The store's schema, versioned with PRAGMA user_version. Migration i (0-based) takes a file from
// version i to i+1. Only ever append to MIGRATIONS: a shipped migration has already run on users'
// files, so editing it would leave their schema different from a fresh one.
import type { Database } from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  // v1. `events` is the truth; `runs` is a summary derived from each run's own events at append time,
  // so listing runs never scans the log. WITHOUT ROWID keeps each event clustered by (run_id, seq),
  // which is exactly the replay order. The foreign key lets a future prune delete a run in one
  // statement; events are only ever inserted after their run's row exists.
  `
  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    started_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    status        TEXT NOT NULL DEFAULT 'running',
    task          TEXT NOT NULL DEFAULT '',
    cwd           TEXT NOT NULL DEFAULT '',
    provider      TEXT NOT NULL DEFAULT '',
    model         TEXT NOT NULL DEFAULT '',
    turns         INTEGER NOT NULL DEFAULT 0,
    tool_calls    INTEGER NOT NULL DEFAULT 0,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd      REAL    NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    elapsed_ms    REAL    NOT NULL DEFAULT 0,
    last_seq      INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_start ON runs(started_at);
  CREATE INDEX runs_by_cwd ON runs(cwd, started_at);
  CREATE TABLE events (
    run_id    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    type      TEXT NOT NULL,
    parent_id TEXT,
    ts        INTEGER NOT NULL,
    json      TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  `,
  // v2. Checkpoints and file locks. Checkpoints: the state of workspace files around each write or command of a run, so a run can
  // be undone. One row per file and moment: phase 0 is just before step `step`, phase 1 just after.
  // `blob` is the content's SHA-256 in the blob folder, NULL when the file did not exist.
  // `created` marks a file that did not exist before the step and that the step made, the only kind
  // of file a restore may delete. Rows are an index beside the log (10,000 files of a baseline do not
  // belong in events); the `checkpoint` event records that a snapshot was taken and its size.
  `
  CREATE TABLE checkpoint_files (
    run_id  TEXT NOT NULL,
    step    INTEGER NOT NULL,
    phase   INTEGER NOT NULL,
    path    TEXT NOT NULL,
    blob    TEXT,
    mode    INTEGER,
    created INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, path, step, phase)
  ) WITHOUT ROWID;
  CREATE INDEX checkpoint_files_by_step ON checkpoint_files(run_id, step);
  -- Single-writer locks on workspace files, shared by every Agio process using this store. A row
  -- whose pid is dead is a stale lock and is taken over.
  CREATE TABLE file_locks (
    path        TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  // v3. Model calls without a known price, so a run's cost can be shown as unknown instead of $0.
  `
  ALTER TABLE runs ADD COLUMN unpriced_calls INTEGER NOT NULL DEFAULT 0;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `db` up to SCHEMA_VERSION. Each step runs in an IMMEDIATE transaction and re-reads the
 * version inside it, so two processes opening a fresh file at once do not both migrate it.
 * Throws when the file is newer than this build understands: an older Agio must not guess.
 */
export function migrate(db: Database): void {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const step = db.transaction((): boolean => {
    const v = version();
    if (v > SCHEMA_VERSION) {
      throw Object.assign(
        new Error(`it was written by a newer Agio (schema v${v}; this build knows up to v${SCHEMA_VERSION})`),
        { code: 'AGIO_SCHEMA_NEWER' },
      );
    }
    if (v === SCHEMA_VERSION) return false;
    db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  // Cheap check first: an up-to-date file needs no write lock at all.
  if (version() === SCHEMA_VERSION) return;
  while (step.immediate()) {
    // one migration per transaction until current
  }
}
