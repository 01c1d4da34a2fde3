import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { EventDraft, Totals } from '../../../server/src/protocol/events.ts';
import { EventStore } from '../../../server/src/store/event-store.ts';
import type { RunSummary } from '../../../server/src/store/event-store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../server/src/store/schema.ts';
import { ZERO, appendDrafts, deltas, makeEvent, runStart, tempDir } from './helpers.ts';

function pickTotals(r: RunSummary): Totals {
  const { turns, toolCalls, inputTokens, outputTokens, cachedTokens, costUsd, errors, elapsedMs } = r;
  return { turns, toolCalls, inputTokens, outputTokens, cachedTokens, costUsd, errors, elapsedMs };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function openTemp(t: import('node:test').TestContext, name = 'agio.db'): { store: EventStore; file: string } {
  const file = path.join(tempDir(t), 'nested', 'dir', name); // open must create the folders
  const store = EventStore.open(file);
  t.after(() => store.close());
  return { store, file };
}

test('appended lines come back verbatim and in seq order', (t) => {
  const { store } = openTemp(t);
  const start = runStart('r1');
  // Not what JSON.stringify would produce, so any re-serialization would show.
  const lines = [JSON.stringify(start, null, 2)];
  store.append(start, lines[0]!);
  lines.push(...appendDrafts(store, 'r1', 1, deltas(9)));
  store.flush();
  assert.deepEqual([...store.eventLines('r1')], lines);
  assert.deepEqual([...store.eventLines('r1', 7)], lines.slice(7));
  assert.deepEqual(
    [...store.events('r1')].map((e) => e.seq),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual([...store.eventLines('no-such-run')], []);
});

test("the runs summary is derived from the run's own events", (t) => {
  const { store } = openTemp(t);
  const start = runStart('run-a', { ts: 1000, task: 'add tests', cwd: '/p' });
  store.append(start, JSON.stringify(start));
  const t1: Totals = {
    turns: 1,
    toolCalls: 1,
    inputTokens: 120,
    outputTokens: 30,
    cachedTokens: 100,
    costUsd: 0.0021,
    errors: 0,
    elapsedMs: 850,
  };
  const t2: Totals = {
    turns: 2,
    toolCalls: 1,
    inputTokens: 300,
    outputTokens: 55,
    cachedTokens: 220,
    costUsd: 0.0049,
    errors: 1,
    elapsedMs: 1900,
  };
  const drafts: EventDraft[] = [
    { type: 'turn_start', parentId: 'run-a.1', turn: 1 },
    { type: 'text_delta', parentId: 'run-a.2', text: 'Looking.' },
    { type: 'tool_call', parentId: 'run-a.2', tool: 'read_file', callId: 'c1', args: { path: 'a.ts' } },
    {
      type: 'tool_result',
      parentId: 'run-a.4',
      tool: 'read_file',
      callId: 'c1',
      result: { ok: true, output: 'x', durationMs: 3 },
    },
    {
      type: 'usage',
      parentId: 'run-a.2',
      model: 'gpt-test',
      inputTokens: 120,
      outputTokens: 30,
      cachedTokens: 100,
      costUsd: 0.0021,
      reported: true,
    },
    { type: 'metrics_snapshot', parentId: 'run-a.1', totals: t1 },
    { type: 'turn_end', parentId: 'run-a.1', turn: 1 },
    { type: 'turn_start', parentId: 'run-a.1', turn: 2 },
    { type: 'error', parentId: 'run-a.9', message: 'boom', kind: 'tool', fatal: false },
  ];
  appendDrafts(store, 'run-a', 1, drafts); // seq 2..10
  const midRun: RunSummary = {
    id: 'run-a',
    startedAt: 1000,
    endedAt: null,
    status: 'running',
    task: 'add tests',
    cwd: '/p',
    provider: 'openai',
    model: 'gpt-test',
    ...t1,
    unpricedCalls: 0,
    lastSeq: 10,
  };
  // After the snapshot the row follows the events, as the projection counts them: turn 2 has
  // started, and the wall time goes on from the snapshot's by the time the later events took.
  const stored = [...store.events('run-a')];
  const snapshotTs = stored.find((e) => e.type === 'metrics_snapshot')!.ts;
  const lastTs = stored.at(-1)!.ts;
  assert.deepEqual(store.listRuns(), [{ ...midRun, turns: 2, elapsedMs: t1.elapsedMs + (lastTs - snapshotTs) }]);

  appendDrafts(store, 'run-a', 10, [{ type: 'metrics_snapshot', parentId: 'run-a.1', totals: t2 }]); // seq 11
  const end = makeEvent('run-a', 12, { type: 'run_end', parentId: 'run-a.1', status: 'completed', totals: t2 }, 2900);
  store.append(end, JSON.stringify(end));
  assert.deepEqual(store.listRuns(), [{ ...midRun, ...t2, status: 'completed', endedAt: 2900, lastSeq: 12 }]);
});

test('a run that dies before its first snapshot lists what it had done, and an unpriced call', (t) => {
  const { store } = openTemp(t);
  const start = runStart('run-i', { ts: 1000 });
  store.append(start, JSON.stringify(start));
  const at = (seq: number, draft: EventDraft, ts: number) => {
    const e = makeEvent('run-i', seq, draft, ts);
    store.append(e, JSON.stringify(e));
  };
  at(2, { type: 'turn_start', parentId: 'run-i.1', turn: 1 }, 1010);
  at(
    3,
    {
      type: 'usage',
      parentId: 'run-i.2',
      model: 'local',
      inputTokens: 500,
      outputTokens: 40,
      cachedTokens: 0,
      costUsd: 0,
      reported: true,
      priced: false,
    },
    1400,
  );
  at(4, { type: 'tool_call', parentId: 'run-i.2', tool: 'write', callId: 'c1', args: {} }, 1450);
  at(
    5,
    {
      type: 'approval_request',
      parentId: 'run-i.4',
      tool: 'write',
      tier: 'write',
      summary: 'a.txt',
      reason: 'ask mode',
    },
    1500,
  );
  // Recorded much later by another process: not part of the run's wall time.
  at(6, { type: 'run_interrupted', parentId: 'run-i.1', reason: 'gone', lastStep: 'approval' }, 90_000);
  store.flush();
  const [row] = store.listRuns();
  assert.equal(row!.status, 'interrupted');
  assert.deepEqual(
    {
      turns: row!.turns,
      toolCalls: row!.toolCalls,
      inputTokens: row!.inputTokens,
      outputTokens: row!.outputTokens,
      unpricedCalls: row!.unpricedCalls,
      elapsedMs: row!.elapsedMs,
    },
    { turns: 1, toolCalls: 1, inputTokens: 500, outputTokens: 40, unpricedCalls: 1, elapsedMs: 500 },
  );
});

test('listRuns is newest first, filters by cwd and limits', (t) => {
  const { store } = openTemp(t);
  for (const [id, ts, cwd] of [
    ['old', 1, '/a'],
    ['mid', 2, '/b'],
    ['new', 3, '/a'],
  ] as const) {
    const e = runStart(id, { ts, cwd });
    store.append(e, JSON.stringify(e));
  }
  assert.deepEqual(
    store.listRuns().map((r) => r.id),
    ['new', 'mid', 'old'],
  );
  assert.deepEqual(
    store.listRuns({ cwd: '/a' }).map((r) => r.id),
    ['new', 'old'],
  );
  assert.deepEqual(
    store.listRuns({ limit: 2 }).map((r) => r.id),
    ['new', 'mid'],
  );
  assert.deepEqual(store.listRuns({ cwd: '/nowhere' }), []);
  assert.deepEqual(pickTotals(store.listRuns()[0]!), ZERO); // no metrics yet: all zero
});

test('findRun takes an exact id or a unique prefix', (t) => {
  const { store } = openTemp(t);
  for (const id of ['abc123', 'abd456', 'abc1234']) {
    const e = runStart(id);
    store.append(e, JSON.stringify(e));
  }
  assert.equal((store.findRun('abd') as RunSummary).id, 'abd456');
  assert.equal((store.findRun('abc123') as RunSummary).id, 'abc123'); // exact beats being a prefix
  assert.equal((store.findRun(' abc1234 ') as RunSummary).id, 'abc1234');
  assert.match((store.findRun('abc') as { error: string }).error, /matches several runs \(abc123, abc1234\)/);
  assert.match((store.findRun('zz') as { error: string }).error, /No run id starts with "zz"/);
  assert.match((store.findRun('') as { error: string }).error, /Give a run id/);
  assert.match((store.findRun('a%') as { error: string }).error, /No run/); // no LIKE wildcards
});

test('a seq that is not last_seq + 1 is rejected and not stored', (t) => {
  const { store, file } = openTemp(t);
  const start = runStart('r');
  store.append(start, JSON.stringify(start));
  const gap = makeEvent('r', 3, deltas(1)[0]!);
  assert.throws(
    () => store.append(gap, JSON.stringify(gap)),
    /run r: got seq 3 after 1, expected 2 \(seq must be gap-free\)/,
  );
  assert.throws(() => store.append(start, JSON.stringify(start)), /got seq 1 after 1/);
  assert.throws(() => store.append(makeEvent('fresh', 2, deltas(1)[0]!), '{}'), /expected 1/);
  appendDrafts(store, 'r', 1, deltas(1));
  store.close();
  // A new store learns last_seq from the file.
  const again = EventStore.open(file);
  t.after(() => again.close());
  const gap2 = makeEvent('r', 4, deltas(1)[0]!);
  assert.throws(() => again.append(gap2, JSON.stringify(gap2)), /got seq 4 after 2/);
  assert.deepEqual(
    [...again.events('r')].map((e) => e.seq),
    [1, 2],
  );
});

test('buffered events reach the file on flush, at 512 events, or after one event-loop turn', async (t) => {
  const { store, file } = openTemp(t);
  const other = EventStore.open(file); // another connection, as another process would have
  t.after(() => other.close());
  const start = runStart('r');
  store.append(start, JSON.stringify(start));
  appendDrafts(store, 'r', 1, deltas(2));
  assert.equal(store.pending, 3);
  assert.deepEqual(other.listRuns(), []);
  store.flush();
  assert.equal(store.pending, 0);
  assert.equal([...other.eventLines('r')].length, 3);

  appendDrafts(store, 'r', 3, deltas(2));
  assert.equal([...other.eventLines('r')].length, 3);
  await nextTurn();
  assert.equal(store.pending, 0);
  assert.equal([...other.eventLines('r')].length, 5);

  appendDrafts(store, 'r', 5, deltas(515));
  assert.equal(store.pending, 3); // 512 flushed synchronously, 3 left for the end of the turn
  assert.equal((other.findRun('r') as RunSummary).lastSeq, 517);
});

test('replays can be open while the store keeps writing, and side by side', (t) => {
  const { store } = openTemp(t);
  const start = runStart('r');
  store.append(start, JSON.stringify(start));
  appendDrafts(store, 'r', 1, deltas(99));
  const a = store.eventLines('r');
  const b = store.eventLines('r', 50);
  assert.equal(JSON.parse(a.next().value as string).seq, 1);
  appendDrafts(store, 'r', 100, deltas(1));
  store.flush(); // would throw "connection busy" if replays shared the writer's connection
  assert.equal(JSON.parse(b.next().value as string).seq, 51);
  assert.equal([...a].length, 99); // the snapshot taken when the replay began
  // b is still open; a replay begun now must not share its snapshot.
  assert.equal([...store.eventLines('r')].length, 101);
  b.return?.();
  assert.equal([...store.eventLines('r', 100)].length, 1);
});

test('reopening a file keeps its data and schema version', (t) => {
  const { store, file } = openTemp(t);
  const start = runStart('keep');
  store.append(start, JSON.stringify(start));
  store.close();
  store.close(); // idempotent
  const reopened = EventStore.open(file);
  t.after(() => reopened.close());
  assert.equal(reopened.listRuns().length, 1);
  assert.deepEqual([...reopened.eventLines('keep')], [JSON.stringify(start)]);
  const raw = new Database(file, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
});

test('a v1 file (before checkpoints) is upgraded in place, its events kept', (t) => {
  const file = path.join(tempDir(t), 'agio.db');
  const v1 = new Database(file);
  v1.exec(MIGRATIONS[0]!);
  v1.pragma('user_version = 1');
  v1.prepare("INSERT INTO runs (id, started_at) VALUES ('old', 1)").run();
  v1.prepare("INSERT INTO events (run_id, seq, type, ts, json) VALUES ('old', 1, 'run_start', 1, '{}')").run();
  v1.close();
  const store = EventStore.open(file);
  t.after(() => store.close());
  assert.deepEqual([...store.eventLines('old')], ['{}']);
  const raw = new Database(file, { readonly: true });
  t.after(() => raw.close());
  assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.deepEqual(raw.prepare('SELECT count(*) AS n FROM checkpoint_files').get(), { n: 0 });
});

test('one process exit listener however many stores are open', (t) => {
  const dir = tempDir(t);
  const first = EventStore.open(path.join(dir, 'a.db'));
  const before = process.listenerCount('exit');
  const more = [EventStore.open(path.join(dir, 'b.db')), EventStore.open(path.join(dir, 'c.db'))];
  assert.equal(process.listenerCount('exit'), before);
  for (const s of [first, ...more]) s.close();
});
