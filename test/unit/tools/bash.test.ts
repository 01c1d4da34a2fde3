import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { bashTool, KEEP_CHARS } from '../../../server/src/tools/bash.ts';
import { call, makeCtx, tempDir } from './helpers.ts';

/** Gone, or a zombie nobody reaped yet (PID 1 in a container may never reap): either way not running. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** SIGKILL is sent before the result comes back; the kernel may need a moment to finish the teardown. */
async function waitGone(pid: number, ms = 1000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    if (isGone(pid)) return true;
  }
  return isGone(pid);
}

test('stdout and stderr stay apart; exit code 0 is ok; cwd is the root', async (t) => {
  const root = tempDir(t);
  const chunks: string[] = [];
  const r = await call(
    bashTool,
    { command: 'echo out; echo err >&2; pwd' },
    makeCtx(root, { onOutput: (s, c) => chunks.push(`${s}:${c}`) }),
  );
  assert.deepEqual(r, {
    ok: true,
    output: `exit code: 0\nstdout:\nout\n${root}\nstderr:\nerr`,
    stdout: `out\n${root}\n`,
    stderr: 'err\n',
    exitCode: 0,
  });
  assert.equal(
    chunks
      .filter((c) => c.startsWith('stdout:'))
      .map((c) => c.slice(7))
      .join(''),
    `out\n${root}\n`,
  );
  assert.equal(
    chunks
      .filter((c) => c.startsWith('stderr:'))
      .map((c) => c.slice(7))
      .join(''),
    'err\n',
  );
});

test('a non-zero exit is not ok and keeps its code', async (t) => {
  const root = tempDir(t);
  const r = await call(bashTool, { command: 'exit 3' }, makeCtx(root));
  assert.deepEqual(r, { ok: false, output: 'exit code: 3\n(no output)', stdout: '', stderr: '', exitCode: 3 });
});

test('long output keeps head and tail with a marker', async (t) => {
  const root = tempDir(t);
  // 'A' * 30000, then 'B' * 40000, then 'C' * 30000: 100000 characters, 50000 dropped.
  const r = await call(
    bashTool,
    {
      command:
        "head -c 30000 /dev/zero | tr '\\0' A; head -c 40000 /dev/zero | tr '\\0' B; head -c 30000 /dev/zero | tr '\\0' C",
    },
    makeCtx(root),
  );
  assert.equal(r.truncated, true);
  const half = KEEP_CHARS / 2;
  assert.equal(
    r.stdout,
    `${'A'.repeat(half)}\n… [50000 characters omitted, not kept: redirect the output to a file to see all of it] …\n${'C'.repeat(half)}`,
  );
});

test('a timeout kills the whole process group, grandchildren included', async (t) => {
  const root = tempDir(t);
  const started = Date.now();
  const r = await call(bashTool, { command: 'sleep 100 & echo $!; sleep 100; wait', timeout_ms: 300 }, makeCtx(root));
  assert.ok(Date.now() - started < 2500, 'returned promptly');
  assert.equal(r.ok, false);
  assert.equal(r.exitCode, null);
  assert.match(r.output, /^timed out after 300 ms/);
  const grandchild = Number(r.stdout!.trim());
  assert.ok(grandchild > 0, `printed a pid: ${r.stdout}`);
  assert.ok(await waitGone(grandchild), `grandchild ${grandchild} still running`);
});

test('children that ignore SIGTERM get SIGKILL', async (t) => {
  const root = tempDir(t);
  const r = await call(
    bashTool,
    { command: "trap '' TERM; sleep 100 & echo $!; wait", timeout_ms: 200 },
    makeCtx(root),
  );
  assert.match(r.output, /^timed out after 200 ms/);
  const pid = Number(r.stdout!.trim());
  assert.ok(await waitGone(pid), `stubborn child ${pid} still running`);
});

test('cancelling through the signal kills the command', async (t) => {
  const root = tempDir(t);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 150);
  const r = await call(bashTool, { command: 'sleep 100' }, makeCtx(root, { signal: ac.signal }));
  assert.equal(r.exitCode, null);
  assert.match(r.output, /^cancelled/);
});

test('Stop kills a tree of children that ignore SIGTERM within a second, and the call returns', async (t) => {
  const root = tempDir(t);
  const ac = new AbortController();
  let pids: number[] = [];
  let stoppedAt = 0;
  const ctx = makeCtx(root, {
    signal: ac.signal,
    onOutput: (_s: string, chunk: string) => {
      pids = [...pids, ...chunk.trim().split(/\s+/).map(Number)];
      if (pids.length >= 3 && !stoppedAt) {
        stoppedAt = Date.now();
        ac.abort();
      }
    },
  });
  // Three generations, each ignoring SIGTERM: bash → a subshell → sleep.
  const r = await call(
    bashTool,
    { command: "trap '' TERM; ( trap '' TERM; sleep 100 & echo $!; echo $BASHPID; wait ) & echo $!; wait" },
    ctx,
  );
  const returnedAfter = Date.now() - stoppedAt;
  assert.match(r.output, /^cancelled/);
  assert.equal(pids.length, 3, `pids ${pids.join(' ')}`);
  for (const pid of pids)
    assert.ok(await waitGone(pid, 1000 - (Date.now() - stoppedAt)), `process ${pid} outlived the second after Stop`);
  assert.ok(returnedAfter < 1000, `the call returned ${returnedAfter} ms after Stop`);
});

test('a command flooding its output keeps head and tail, and memory stays bounded', async (t) => {
  const root = tempDir(t);
  const before = process.memoryUsage().rss;
  const r = await call(
    bashTool,
    { command: 'head -c 200000000 /dev/zero | tr "\\0" x; echo; echo THE-END' },
    makeCtx(root),
  );
  assert.equal(r.exitCode, 0);
  assert.equal(r.truncated, true);
  assert.ok(r.stdout!.length < 60_000, `kept ${r.stdout!.length} characters`);
  assert.match(r.stdout!, /THE-END\n?$/);
  assert.ok(process.memoryUsage().rss - before < 150_000_000, '200 MB of output did not become 200 MB of memory');
});

test('a background job holding stdout does not make the call hang', async (t) => {
  const root = tempDir(t);
  const started = Date.now();
  const r = await call(bashTool, { command: 'sleep 30 & echo $!' }, makeCtx(root));
  const pid = Number(r.stdout!.trim());
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  assert.ok(Date.now() - started < 2000);
  assert.equal(r.exitCode, 0);
  assert.match(r.output, /still holds its output open/);
});
