// Restoring the workspace to how it was before step N of a run: first a plan (what would change, so
// the user sees it before anything happens), then applying it. Byte-exact for the files Agio tracked;
// a file is deleted only when a step of the restored range created it, never a file of the user's.
import fs from 'node:fs';
import { DiskFiles } from '../workspace/disk-files.ts';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { BlobStore } from './blob-store.ts';
import { AFTER, BEFORE, type CheckpointDb, type CheckpointRow } from './checkpoint-db.ts';

export type RestoreAction = 'modify' | 'recreate' | 'delete';

export interface RestoreChange {
  path: string;
  action: RestoreAction;
  /** The content to put back (absent for a delete). */
  blob?: string;
  mode?: number | null;
}

export interface RestorePlan {
  runId: string;
  toStep: number;
  /** Steps the run has (1…lastStep). */
  lastStep: number;
  changes: RestoreChange[];
  /** Files that differ from the checkpoint but are left as they are, and why. */
  kept: { path: string; why: string }[];
}

export function planRestore(
  db: CheckpointDb,
  runId: string,
  root: string,
  toStep: number | undefined,
): RestorePlan | { error: string } {
  const rows = db.rows(runId);
  if (rows.length === 0) return { error: `run ${runId} has no checkpoints: it wrote no file and ran no command` };
  const lastStep = Math.max(...rows.map((r) => r.step));
  const step = toStep ?? 1;
  if (!Number.isInteger(step) || step < 1 || step > lastStep)
    return { error: `--to-step must be between 1 and ${lastStep} for this run; got ${toStep}` };
  const plan: RestorePlan = { runId, toStep: step, lastStep, changes: [], kept: [] };
  const byPath = new Map<string, CheckpointRow[]>();
  for (const r of rows) (byPath.get(r.path) ?? byPath.set(r.path, []).get(r.path)!).push(r);

  for (const [rel, history] of byPath) {
    const wanted = stateBefore(history, step);
    const where = resolveInWorkspace(root, rel);
    if (!where.ok) {
      plan.kept.push({ path: rel, why: where.error });
      continue;
    }
    if (wanted === 'unknown') {
      plan.kept.push({
        path: rel,
        why: 'its content before this step was not recorded (it was over the snapshot bounds)',
      });
      continue;
    }
    // Only what the restored steps changed is put back: a file they never changed keeps whatever the
    // user has done to it since.
    if (!history.some((r) => r.step >= step && (r.created || r.blob !== wanted.blob))) continue;
    const current = readCurrent(where.abs);
    if (wanted.blob === null) {
      if (current === undefined) continue;
      const madeByAgio = history.some((r) => r.created && r.step >= step);
      if (madeByAgio) plan.changes.push({ path: rel, action: 'delete' });
      else plan.kept.push({ path: rel, why: 'it did not exist before this step, but Agio did not create it' });
      continue;
    }
    if (current === undefined) {
      plan.changes.push({ path: rel, action: 'recreate', blob: wanted.blob, mode: wanted.mode });
    } else if (current.hash !== wanted.blob || (wanted.mode !== null && current.mode !== wanted.mode)) {
      plan.changes.push({ path: rel, action: 'modify', blob: wanted.blob, mode: wanted.mode });
    }
  }
  plan.changes.sort((a, b) => (a.path < b.path ? -1 : 1));
  return plan;
}

/**
 * A file's state just before `step`: its last record before that moment; failing that, the first
 * record from then on (nothing touched it in between, or it would have been recorded). A first
 * record taken after a step ran says nothing about before it: unknown.
 */
function stateBefore(
  history: readonly CheckpointRow[],
  step: number,
): { blob: string | null; mode: number | null } | 'unknown' {
  let last: CheckpointRow | undefined;
  for (const r of history) if (r.step < step || (r.step === step && r.phase === BEFORE)) last = r;
  if (last) return last;
  const first = history.find((r) => r.step >= step)!;
  return first.phase === AFTER ? 'unknown' : first;
}

function readCurrent(abs: string): { hash: string; mode: number } | undefined {
  try {
    const st = fs.lstatSync(abs);
    if (!st.isFile()) return { hash: '', mode: -1 };
    return { hash: BlobStore.hash(fs.readFileSync(abs)), mode: st.mode & 0o7777 };
  } catch {
    return undefined;
  }
}

/** Applies a plan, each file atomically (temp + rename) under its write lock. Returns what could not be done. */
export async function applyRestore(
  plan: RestorePlan,
  db: CheckpointDb,
  root: string,
): Promise<{ done: RestoreChange[]; failed: { path: string; error: string }[] }> {
  const done: RestoreChange[] = [];
  const failed: { path: string; error: string }[] = [];
  // The tools' own atomic writer, with its check that no symlink swapped in leads out of the workspace.
  const files = new DiskFiles(root);
  for (const c of plan.changes) {
    const where = resolveInWorkspace(root, c.path);
    try {
      if (!where.ok) throw new Error(where.error);
      await db.locks.with(where.abs, async () => {
        if (c.action === 'delete') fs.rmSync(where.abs, { force: true });
        else await files.writeBytes(where.abs, db.blobs.get(c.blob!), c.mode ?? undefined);
      });
      done.push(c);
    } catch (err) {
      failed.push({ path: c.path, error: (err as Error).message });
    }
  }
  return { done, failed };
}
