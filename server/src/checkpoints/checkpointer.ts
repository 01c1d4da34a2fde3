// Takes a run's checkpoints. Before a write: the file's content. Around a command: every tracked
// workspace file whose stat changed since the last look (the first look is a full baseline), before
// and after, so the state before any step can be rebuilt. Content is saved once per distinct content;
// unchanged files cost a stat. Bounded: huge files are skipped, and a snapshot stops at a size and a
// time budget; what was left out is reported and cannot be restored.
import fs from 'node:fs';
import path from 'node:path';
import { AFTER, BEFORE, type CheckpointDb, type FileState } from './checkpoint-db.ts';
import { sameStat, scanWorkspace, type FileStat } from './workspace-scan.ts';

export interface CheckpointBounds {
  /** Files larger than this are not saved. */
  maxFileBytes: number;
  /** New content one snapshot may save. */
  maxSnapshotBytes: number;
  maxFiles: number;
  maxMs: number;
}

export const DEFAULT_BOUNDS: CheckpointBounds = {
  maxFileBytes: 8 << 20,
  maxSnapshotBytes: 512 << 20,
  maxFiles: 100_000,
  maxMs: 20_000,
};

export interface SnapshotFigures {
  step: number;
  kind: 'write' | 'exec';
  files: number;
  bytes: number;
  durationMs: number;
  skipped: string[];
}

export class Checkpointer {
  private readonly db: CheckpointDb;
  private readonly runId: string;
  private readonly root: string;
  private readonly bounds: CheckpointBounds;
  /** The last seen stat of each tracked file, and whether its content at that stat is saved. */
  private readonly known = new Map<string, FileStat>();
  /** Every path present at the last scan, saved or not: a path new since then was made by the command. */
  private seen: Set<string> | undefined;
  private step: number;

  constructor(
    db: CheckpointDb,
    runId: string,
    root: string,
    opts: { firstStep?: number; bounds?: CheckpointBounds } = {},
  ) {
    this.db = db;
    this.runId = runId;
    this.root = root;
    this.bounds = opts.bounds ?? DEFAULT_BOUNDS;
    this.step = (opts.firstStep ?? 1) - 1;
  }

  /** Numbers the next write or command. */
  nextStep(): number {
    return ++this.step;
  }

  /** Before a write to `abs` at `step`: its current content (or that it did not exist). */
  beforeWrite(step: number, abs: string): SnapshotFigures {
    const t0 = performance.now();
    const rel = this.rel(abs);
    const figures: SnapshotFigures = { step, kind: 'write', files: 1, bytes: 0, durationMs: 0, skipped: [] };
    let state: FileState;
    try {
      const st = fs.statSync(abs);
      if (st.size > this.bounds.maxFileBytes) {
        figures.skipped.push(`${rel} (${st.size} bytes, over ${this.bounds.maxFileBytes})`);
        figures.files = 0;
        return { ...figures, durationMs: performance.now() - t0 };
      }
      const bytes = fs.readFileSync(abs);
      const saved = this.db.blobs.put(bytes);
      figures.bytes = saved.written;
      state = { path: rel, blob: saved.hash, mode: st.mode & 0o7777, created: false };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      state = { path: rel, blob: null, mode: null, created: true };
    }
    this.db.record(this.runId, step, BEFORE, [state]);
    return { ...figures, durationMs: performance.now() - t0 };
  }

  /** After a write: the content written, so later steps have a "before" to go back to. */
  afterWrite(step: number, abs: string, content: Buffer): void {
    const saved = this.db.blobs.put(content);
    let mode: number | null = null;
    try {
      const st = fs.statSync(abs);
      mode = st.mode & 0o7777;
      this.known.set(this.rel(abs), statOf(st));
      this.seen?.add(this.rel(abs));
    } catch {
      // written and already gone: record the content anyway
    }
    this.db.record(this.runId, step, AFTER, [{ path: this.rel(abs), blob: saved.hash, mode, created: false }]);
  }

  /** Before a command: the files changed since the last look (all of them, the first time). */
  async beforeExec(step: number): Promise<SnapshotFigures> {
    const t0 = performance.now();
    const { rows, bytes, skipped } = await this.captureChanges(t0, false);
    this.db.record(this.runId, step, BEFORE, rows);
    return { step, kind: 'exec', files: rows.length, bytes, durationMs: performance.now() - t0, skipped };
  }

  /** After a command: what it changed (returns how many files). Files it made are marked created
   * (restore may delete them). */
  async afterExec(step: number): Promise<number> {
    const t0 = performance.now();
    const { rows, created } = await this.captureChanges(t0, true);
    this.db.record(this.runId, step, AFTER, rows);
    this.db.record(
      this.runId,
      step,
      BEFORE,
      created.map((p) => ({ path: p, blob: null, mode: null, created: true })),
    );
    return rows.length;
  }

  private async captureChanges(
    t0: number,
    after: boolean,
  ): Promise<{ rows: FileState[]; bytes: number; skipped: string[]; created: string[] }> {
    const { files, truncated } = await scanWorkspace(this.root, this.bounds.maxFiles);
    const previous = this.seen;
    this.seen = truncated ? undefined : new Set(files.keys());
    const rows: FileState[] = [];
    const created: string[] = [];
    const skipped: string[] = truncated ? [`files beyond the first ${this.bounds.maxFiles}`] : [];
    let bytes = 0;
    let stopped = false;
    for (const [rel, st] of files) {
      const before = this.known.get(rel);
      if (sameStat(before, st)) continue;
      if (after && previous !== undefined && !previous.has(rel)) created.push(rel);
      if (stopped) continue;
      if (st.size > this.bounds.maxFileBytes) {
        skipped.push(`${rel} (${st.size} bytes)`);
        continue;
      }
      if (bytes + st.size > this.bounds.maxSnapshotBytes || performance.now() - t0 > this.bounds.maxMs) {
        stopped = true;
        skipped.push(
          `the rest: the snapshot reached its bound (${bytes} bytes, ${Math.round(performance.now() - t0)} ms)`,
        );
        continue;
      }
      let content: Buffer;
      try {
        content = fs.readFileSync(path.join(this.root, rel));
      } catch {
        continue; // gone since the scan
      }
      const saved = this.db.blobs.put(content);
      bytes += saved.written;
      rows.push({ path: rel, blob: saved.hash, mode: st.mode, created: false });
      this.known.set(rel, st);
    }
    // Tracked files that are gone now.
    for (const rel of [...this.known.keys()]) {
      if (files.has(rel) || truncated) continue;
      rows.push({ path: rel, blob: null, mode: null, created: false });
      this.known.delete(rel);
    }
    return { rows, bytes, skipped, created };
  }

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }
}

function statOf(st: fs.Stats): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, mode: st.mode & 0o7777 };
}
