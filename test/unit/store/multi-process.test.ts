// Several processes share one log file: each sees what the others committed, none waits forever.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EventStore } from '../../../server/src/store/event-store.ts';
import { appendDrafts, deltas, runStart, tempDir } from './helpers.ts';

const run = promisify(execFile);
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child-append.ts');

function spawnAppender(file: string, runId: string, count: number, readRunId: string, ending: 'close' | 'exit') {
  return run(process.execPath, [
    '--disable-warning=ExperimentalWarning',
    child,
    file,
    runId,
    String(count),
    readRunId,
    ending,
  ]);
}

test("processes appending to one store at once see each other's events", async (t) => {
  const file = path.join(tempDir(t), 'agio.db');
  const store = EventStore.open(file);
  t.after(() => store.close());
  const start = runStart('run-parent');
  store.append(start, JSON.stringify(start));
  appendDrafts(store, 'run-parent', 1, deltas(49));
  store.flush();

  const [a, b] = await Promise.all([
    spawnAppender(file, 'run-child-a', 3000, 'run-parent', 'close'),
    spawnAppender(file, 'run-child-b', 3000, 'run-parent', 'exit'),
  ]);
  assert.deepEqual(JSON.parse(a.stdout), { seen: 50 });
  assert.deepEqual(JSON.parse(b.stdout), { seen: 50 });

  const seqs = (runId: string) => [...store.events(runId)].map((e) => e.seq);
  assert.deepEqual(
    seqs('run-child-a'),
    Array.from({ length: 3000 }, (_, i) => i + 1),
  );
  // Child b exited with process.exit() right after its last append: the exit hook saved it.
  assert.deepEqual(
    seqs('run-child-b'),
    Array.from({ length: 3001 }, (_, i) => i + 1),
  );
  const lastSeq = Object.fromEntries(store.listRuns().map((r) => [r.id, r.lastSeq]));
  assert.deepEqual(lastSeq, { 'run-parent': 50, 'run-child-a': 3000, 'run-child-b': 3001 });

  // The parent's own run is still appendable after the children wrote around it.
  appendDrafts(store, 'run-parent', 50, deltas(1));
  store.flush();
  assert.equal([...store.eventLines('run-parent')].length, 51);
});
