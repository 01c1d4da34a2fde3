// The checkpoint rows of the store (schema v2): which content each workspace file had around each
// step of a run. Its own connection to the store file (WAL lets several coexist, in one process or
// many); rows are written synchronously, before the step's side effect happens.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { migrate } from '../store/schema.ts';
import { BUSY_TIMEOUT_MS, configure } from '../store/sql.ts';
import { BlobStore } from './blob-store.ts';
import { FileLocks } from '../store/file-locks.ts';

export const BEFORE = 0;
export const AFTER = 1;

export interface FileState {
  /** Workspace-relative, with forward slashes. */
  path: string;
  /** Content hash, or null: the file did not exist. */
  blob: string | null;
  mode: number | null;
  /** The step made this file (it did not exist before): only such files may be deleted by a restore. */
  created: boolean;
}

export interface CheckpointRow extends FileState {
  step: number;
  phase: number;
}

export class CheckpointDb {
  readonly blobs: BlobStore;
  /** Single-writer locks on workspace files, shared with every process on this store. */
  readonly locks: FileLocks;
  private readonly db: Db;
  private readonly insert: Statement;
  private readonly byRun: Statement;
  private readonly insertMany: (runId: string, step: number, phase: number, rows: readonly FileState[]) => void;

  static open(storeFile: string): CheckpointDb {
    fs.mkdirSync(path.dirname(storeFile), { recursive: true });
    const db = new Database(storeFile, { timeout: BUSY_TIMEOUT_MS });
    try {
      configure(db);
      migrate(db);
      return new CheckpointDb(db, new BlobStore(path.join(path.dirname(storeFile), 'checkpoints')));
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(db: Db, blobs: BlobStore) {
    this.db = db;
    this.blobs = blobs;
    this.locks = new FileLocks(db);
    // A file's first record at a moment wins: "before" is what it was before anything touched it.
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO checkpoint_files (run_id, step, phase, path, blob, mode, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.byRun = db.prepare(
      'SELECT step, phase, path, blob, mode, created FROM checkpoint_files WHERE run_id = ? ORDER BY path, step, phase',
    );
    this.insertMany = db.transaction((runId: string, step: number, phase: number, rows: readonly FileState[]) => {
      for (const r of rows) this.insert.run(runId, step, phase, r.path, r.blob, r.mode, r.created ? 1 : 0);
    });
  }

  record(runId: string, step: number, phase: number, rows: readonly FileState[]): void {
    if (rows.length > 0) this.insertMany(runId, step, phase, rows);
  }

  rows(runId: string): CheckpointRow[] {
    return (
      this.byRun.all(runId) as {
        step: number;
        phase: number;
        path: string;
        blob: string | null;
        mode: number | null;
        created: number;
      }[]
    ).map((r) => ({ ...r, created: r.created === 1 }));
  }

  close(): void {
    this.db.close();
  }
}
