// File locks shared through the store: another holder is waited for, a dead process's lock is taken
// over, and the lock holds across real processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { FileLocks, FileLockTimeout } from '../../../server/src/store/file-locks.ts';
import { migrate } from '../../../server/src/store/schema.ts';
import { configure } from '../../../server/src/store/sql.ts';

function openDb(t: TestContext, file: string) {
  const db = new Database(file);
  configure(db);
  migrate(db);
  t.after(() => db.close());
  return db;
}
function tempFile(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-locks-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'agio.db');
}

test('two holders on one store take turns: the second waits until the first is done', async (t) => {
  const file = tempFile(t);
  const a = new FileLocks(openDb(t, file));
  const b = new FileLocks(openDb(t, file));
  const order: string[] = [];
  let release!: () => void;
  const first = a.with('/w/x.ts', async () => {
    order.push('a in');
    await new Promise<void>((r) => (release = r));
    order.push('a out');
  });
  await new Promise((r) => setTimeout(r, 30));
  const second = b.with('/w/x.ts', async () => void order.push('b in'));
  const other = b.with('/w/y.ts', async () => void order.push('b other file'));
  await other;
  await new Promise((r) => setTimeout(r, 60));
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ['a in', 'b other file', 'a out', 'b in']);
});

test('a holder that never lets go makes the other time out with a clear message', async (t) => {
  const file = tempFile(t);
  const a = new FileLocks(openDb(t, file));
  const b = new FileLocks(openDb(t, file));
  let release!: () => void;
  const held = a.with('/w/x.ts', () => new Promise<void>((r) => (release = r)));
  await assert.rejects(
    b.with('/w/x.ts', async () => {}, 100),
    (e) =>
      e instanceof FileLockTimeout && /another Agio process \(pid \d+\) has been writing \/w\/x\.ts/.test(e.message),
  );
  release();
  await held;
});

test('the lock of a process killed -9 while holding it is taken over', async (t) => {
  const file = tempFile(t);
  openDb(t, file); // create the schema first
  const script = `
    import Database from 'better-sqlite3';
    const db = new Database(${JSON.stringify(file)});
    db.prepare("INSERT INTO file_locks (path, owner, pid, acquired_at) VALUES ('/w/x.ts', 'child', ?, 0)").run(process.pid);
    console.log('held');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((r) => child.stdout.once('data', () => r()));
  const locks = new FileLocks(openDb(t, file));
  await assert.rejects(
    locks.with('/w/x.ts', async () => {}, 100),
    FileLockTimeout,
    'a live holder is respected',
  );
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  let ran = false;
  await locks.with(
    '/w/x.ts',
    async () => {
      ran = true;
    },
    1000,
  );
  assert.ok(ran, 'the stale lock was recovered');
});
