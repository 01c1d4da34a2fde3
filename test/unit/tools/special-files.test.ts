// Every file tool refuses what is neither a regular file nor a folder (a FIFO, a socket, a device)
// before opening it: opening a FIFO with no writer blocks for ever, reading a device may never end.
// Real special files (mkfifo, a listening Unix socket, mknod when running as root) through the real
// tools on the real disk; each call runs under a timeout so a hang fails the test instead of the run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { editTool } from '../../../server/src/tools/edit.ts';
import { findTool } from '../../../server/src/tools/find.ts';
import { grepTool } from '../../../server/src/tools/grep.ts';
import { lsTool } from '../../../server/src/tools/ls.ts';
import { readTool } from '../../../server/src/tools/read.ts';
import type { Tool, ToolOutcome } from '../../../server/src/tools/types.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
import { NOT_REGULAR } from '../../../server/src/workspace/files.ts';
import { call, makeCtx, tempDir, writeFiles } from './helpers.ts';

const unix = process.platform !== 'win32';

/** Fails instead of hanging when the call blocks. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms: it blocked on the file`)), ms);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

function run(tool: Tool, args: unknown, root: string): Promise<ToolOutcome> {
  return within(5000, call(tool, args, makeCtx(root)));
}

const refusal = (verb: string, rel: string, kind: string): ToolOutcome => ({
  ok: false,
  output:
    `Cannot ${verb} "${rel}": it is a ${kind}, not a regular file or a folder, so it was not opened ` +
    '(reading one can block forever or never end).',
});

async function listeningSocket(t: TestContext, file: string): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(file, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

test('a FIFO is refused by read, grep, find, ls and edit, also through a symlink', { skip: !unix }, async (t) => {
  const root = tempDir(t);
  execFileSync('mkfifo', [path.join(root, 'pipe')]);
  fs.symlinkSync('pipe', path.join(root, 'link'));
  const fifo = 'FIFO (named pipe)';
  assert.deepEqual(await run(readTool, { path: 'pipe' }, root), refusal('read', 'pipe', fifo));
  // The symlink resolves to the FIFO, which is what is named.
  assert.deepEqual(await run(readTool, { path: 'link' }, root), refusal('read', 'pipe', fifo));
  assert.deepEqual(await run(grepTool, { pattern: 'x', path: 'pipe' }, root), refusal('search', 'pipe', fifo));
  assert.deepEqual(await run(lsTool, { path: 'pipe' }, root), refusal('list', 'pipe', fifo));
  const edit = await run(editTool, { path: 'pipe', edits: [{ old_text: 'a', new_text: 'b' }] }, root);
  assert.deepEqual(edit, refusal('edit', 'pipe', fifo));
  assert.deepEqual(await run(findTool, { pattern: '*', path: 'pipe' }, root), refusal('search', 'pipe', fifo));
});

test('a FIFO inside a folder is listed by ls, skipped by grep and find, and blocks none of them', {
  skip: !unix,
}, async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'needle\n' });
  execFileSync('mkfifo', [path.join(root, 'pipe')]);
  assert.deepEqual(await run(grepTool, { pattern: 'needle' }, root), { ok: true, output: 'a.txt:1: needle' });
  assert.deepEqual(await run(findTool, { pattern: '*' }, root), { ok: true, output: 'a.txt' });
  assert.deepEqual(await run(lsTool, {}, root), {
    ok: true,
    output: './\n  a.txt  (7 bytes)\n  pipe  (FIFO (named pipe), 0 bytes)',
  });
});

test('a Unix socket is refused by read and grep', { skip: !unix }, async (t) => {
  const root = tempDir(t);
  await listeningSocket(t, path.join(root, 'sock'));
  assert.deepEqual(await run(readTool, { path: 'sock' }, root), refusal('read', 'sock', 'socket'));
  assert.deepEqual(await run(grepTool, { pattern: 'x', path: 'sock' }, root), refusal('search', 'sock', 'socket'));
});

test('a character device inside the workspace (an endless zero device) is refused', {
  skip: !unix || process.getuid?.() !== 0 ? 'mknod needs root' : false,
}, async (t) => {
  const root = tempDir(t);
  // The same device as /dev/zero (major 1, minor 5): read of it would never reach an end.
  execFileSync('mknod', [path.join(root, 'zero'), 'c', '1', '5']);
  const dev = 'character device';
  assert.deepEqual(await run(readTool, { path: 'zero' }, root), refusal('read', 'zero', dev));
  assert.deepEqual(await run(grepTool, { pattern: 'x', path: 'zero' }, root), refusal('search', 'zero', dev));
  const edit = await run(editTool, { path: 'zero', edits: [{ old_text: 'a', new_text: 'b' }] }, root);
  assert.deepEqual(edit, refusal('edit', 'zero', dev));
});

test('the disk seam refuses a FIFO it is handed without blocking (a FIFO swapped in after a stat)', {
  skip: !unix,
}, async (t) => {
  const root = tempDir(t);
  const pipe = path.join(root, 'pipe');
  execFileSync('mkfifo', [pipe]);
  const disk = new DiskFiles(root);
  const code = (e: unknown) => (e as { code?: string }).code;
  await assert.rejects(within(5000, disk.readBytes(pipe)), (e) => code(e) === NOT_REGULAR);
  const chunks = async () => {
    for await (const _ of disk.readChunks(pipe)) assert.fail('a FIFO yields no chunk');
  };
  await assert.rejects(within(5000, chunks()), (e) => code(e) === NOT_REGULAR);
  await assert.rejects(disk.readBytes(root), (e) => code(e) === 'EISDIR');
});
