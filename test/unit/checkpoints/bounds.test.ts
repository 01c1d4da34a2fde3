// Snapshot bounds: a file over the size limit is never saved and is named as skipped; a snapshot that
// reaches its byte bound says so, and a restore will not guess at what it did not save.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CheckpointDb } from '../../../server/src/checkpoints/checkpoint-db.ts';
import { Checkpointer, DEFAULT_BOUNDS } from '../../../server/src/checkpoints/checkpointer.ts';
import { planRestore } from '../../../server/src/checkpoints/restore.ts';

function setup(t: TestContext, files: Record<string, string>) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agio-ckpt-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const root = path.join(dir, 'ws');
  fs.mkdirSync(root);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
  const db = CheckpointDb.open(path.join(dir, 'store', 'agio.db'));
  t.after(() => db.close());
  return { root, db };
}

test('a file over maxFileBytes is skipped, named, and left alone by a restore', async (t) => {
  const { root, db } = setup(t, { 'small.txt': 's', 'huge.bin': 'h'.repeat(100) });
  const cp = new Checkpointer(db, 'r', root, { bounds: { ...DEFAULT_BOUNDS, maxFileBytes: 50 } });
  const step = cp.nextStep();
  const figures = await cp.beforeExec(step);
  assert.equal(figures.files, 1, 'only small.txt was saved');
  assert.deepEqual(figures.skipped, ['huge.bin (100 bytes)']);
  fs.writeFileSync(path.join(root, 'huge.bin'), 'H'.repeat(100));
  fs.writeFileSync(path.join(root, 'small.txt'), 'S');
  await cp.afterExec(step);
  const plan = planRestore(db, 'r', root, 1);
  assert.ok(!('error' in plan));
  assert.deepEqual(
    plan.changes.map((c) => [c.path, c.action]),
    [['small.txt', 'modify']],
  );
});

test('a snapshot that reaches its byte bound says so; what it did not save before is not restored', async (t) => {
  const { root, db } = setup(t, { 'a.txt': 'a'.repeat(40), 'b.txt': 'b'.repeat(40) });
  const cp = new Checkpointer(db, 'r', root, { bounds: { ...DEFAULT_BOUNDS, maxSnapshotBytes: 60 } });
  const step = cp.nextStep();
  const figures = await cp.beforeExec(step);
  assert.equal(figures.files, 1);
  assert.equal(figures.skipped.length, 1);
  assert.match(figures.skipped[0]!, /^the rest: the snapshot reached its bound \(40 bytes/);
  // The command changes both files; the after-snapshot has room for one at a time again.
  fs.writeFileSync(path.join(root, 'a.txt'), 'A');
  fs.writeFileSync(path.join(root, 'b.txt'), 'B');
  await cp.afterExec(step);
  const plan = planRestore(db, 'r', root, 1);
  assert.ok(!('error' in plan));
  assert.equal(plan.changes.length, 1, 'the saved file is restored');
  assert.deepEqual(
    plan.kept.map((k) => k.path),
    [plan.changes[0]!.path === 'a.txt' ? 'b.txt' : 'a.txt'],
  );
  assert.match(plan.kept[0]!.why, /not recorded/);
});
