// The log's failure modes: each must say what happened and what to do, and lose nothing it can keep.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { EventStore, StoreError } from '../../../server/src/store/event-store.ts';
import { appendDrafts, deltas, runStart, tempDir } from './helpers.ts';

// Fault injection: SQLite's max_page_count makes any growth of the file fail with SQLITE_FULL,
// exactly as a full disk does. It is per connection, so it must be set on the store's own.
function capSize(store: EventStore, pages?: number): void {
  const db = (store as unknown as { db: Db }).db;
  db.pragma(`max_page_count = ${pages ?? (db.pragma('page_count', { simple: true }) as number)}`);
}

const big = (n: number) => deltas(n).map((d) => ({ ...d, text: 'x'.repeat(2000) }));

test('a full disk during a batch: clear error, append stays all-or-nothing, retry succeeds', (t) => {
  const store = EventStore.open(path.join(tempDir(t), 'agio.db'));
  t.after(() => store.close());
  const start = runStart('r');
  store.append(start, JSON.stringify(start));
  store.flush();
  capSize(store);
  appendDrafts(store, 'r', 1, big(511)); // seq 2..512, buffered
  assert.throws(
    () => appendDrafts(store, 'r', 512, big(1)), // the 512th in the buffer fills the batch and flushes
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'SQLITE_FULL');
      assert.match(err.message, /^Agio could not write its event log at .*agio\.db: disk full \(SQLITE_FULL\)\./);
      assert.match(
        err.message,
        /This event was not recorded; 511 earlier events are kept in memory and will be retried\./,
      );
      assert.match(err.message, /Free some space or point --store \/ AGIO_STORE elsewhere\.$/);
      return true;
    },
  );
  assert.equal(store.pending, 511); // the failed append was not accepted...
  capSize(store, 1_000_000);
  appendDrafts(store, 'r', 512, big(1)); // ...so the same seq is the next one
  assert.equal(store.pending, 0);
  assert.equal([...store.eventLines('r')].length, 513);
});

test('a failed end-of-turn flush is reported, kept, and retried', async (t) => {
  const errors: StoreError[] = [];
  const store = EventStore.open(path.join(tempDir(t), 'agio.db'), { onError: (e) => errors.push(e) });
  t.after(() => store.close());
  const start = runStart('r');
  store.append(start, JSON.stringify(start));
  store.flush();
  capSize(store);
  appendDrafts(store, 'r', 1, big(20));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, 'SQLITE_FULL');
  assert.equal(store.pending, 20);
  // Reads still work while writes fail (the failure is reported, not thrown).
  assert.equal([...store.eventLines('r')].length, 1);
  capSize(store, 1_000_000);
  appendDrafts(store, 'r', 21, deltas(1));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(store.pending, 0);
  assert.equal([...store.eventLines('r')].length, 22);
});

test('close() on a full disk still closes and says how much was lost', (t) => {
  const store = EventStore.open(path.join(tempDir(t), 'agio.db'), { onError: () => {} });
  const start = runStart('r');
  store.append(start, JSON.stringify(start));
  store.flush();
  capSize(store);
  appendDrafts(store, 'r', 1, big(20));
  assert.throws(() => store.close(), /disk full \(SQLITE_FULL\)\. Lost 20 unsaved event\(s\)\./);
  assert.throws(() => store.append(start, '{}'), /closed/);
  assert.throws(() => store.listRuns(), /closed/);
});

test('a file that is not a database is named as such', (t) => {
  const file = path.join(tempDir(t), 'agio.db');
  fs.writeFileSync(file, 'these are not the pages you are looking for\n'.repeat(200));
  assert.throws(
    () => EventStore.open(file),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.equal(err.code, 'SQLITE_NOTADB');
      assert.match(err.message, /could not open its event log at .*: the file is damaged or is not an Agio event log/);
      assert.match(err.message, /Move it aside/);
      return true;
    },
  );
});

test('a log from a newer Agio is refused, not rewritten', (t) => {
  const file = path.join(tempDir(t), 'agio.db');
  const raw = new Database(file);
  raw.pragma('user_version = 99');
  raw.close();
  assert.throws(() => EventStore.open(file), /newer Agio \(schema v99; this build knows up to v3\).*Upgrade Agio/);
});

test('a store path under a file (not a folder) fails with a clear message', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'plain'), '');
  assert.throws(
    () => EventStore.open(path.join(dir, 'plain', 'agio.db')),
    (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /could not open its event log at .*plain.agio\.db: .*\((ENOTDIR|EEXIST)\)/);
      return true;
    },
  );
});

test('an event without the fields the log indexes is refused before it can poison a batch', (t) => {
  const store = EventStore.open(path.join(tempDir(t), 'agio.db'));
  t.after(() => store.close());
  const start = { ...runStart('r'), ts: undefined } as unknown as ReturnType<typeof runStart>;
  assert.throws(() => store.append(start, '{"bad":1}'), /Not an event: runId, type and ts are required/);
  assert.equal(store.pending, 0);
});
