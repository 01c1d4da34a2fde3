import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { detectSandbox, sandboxArgv } from '../../../server/src/policy/sandbox.ts';
import { bashTool } from '../../../server/src/tools/bash.ts';
import { call, makeCtx, tempDir } from '../tools/helpers.ts';

// The test runner's own AGIO_SANDBOX must not decide whether these run.
const info = await detectSandbox({ ...process.env, AGIO_SANDBOX: undefined });
const skip =
  info.kind === 'bwrap' ? false : `bwrap sandbox not available here (${info.reason}); install bubblewrap to run these`;

/** A folder outside both the workspace and /tmp (which is a private tmpfs inside the sandbox). */
function outsideDir(t: TestContext): string {
  const dir = fs.realpathSync(
    fs.mkdtempSync(path.join(fs.existsSync('/var/tmp') ? '/var/tmp' : os.homedir(), 'agio-test-')),
  );
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async, so an HTTP server in this process can answer the sandboxed command. */
function run(argv: { file: string; args: string[] }, cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv.file, argv.args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function inSandbox(root: string, command: string, extra: { home?: string; allowNetwork?: boolean } = {}): Promise<Ran> {
  const argv = sandboxArgv(info, {
    root,
    home: extra.home ?? os.homedir(),
    allowNetwork: extra.allowNetwork ?? false,
    command,
  });
  return run(argv, root);
}

test('a command can write in the workspace', { skip }, async (t) => {
  const root = tempDir(t);
  const r = await inSandbox(root, 'echo made > made.txt && mkdir -p sub && echo deep > sub/deep.txt && pwd');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${root}\n`);
  assert.equal(fs.readFileSync(path.join(root, 'made.txt'), 'utf8'), 'made\n');
  assert.equal(fs.readFileSync(path.join(root, 'sub/deep.txt'), 'utf8'), 'deep\n');
});

test('writing outside the workspace fails: the rest of the system is read-only', { skip }, async (t) => {
  const root = tempDir(t);
  const outside = outsideDir(t);
  const r = await inSandbox(root, `echo x > ${outside}/escaped.txt`);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Read-only file system/);
  assert.equal(fs.existsSync(path.join(outside, 'escaped.txt')), false);
});

test('remounting / read-write does not help (capabilities are dropped, also as root)', { skip }, async (t) => {
  const root = tempDir(t);
  const outside = outsideDir(t);
  const r = await inSandbox(
    root,
    `mount -o remount,rw / 2>/dev/null; mount -o remount,rw,bind ${outside} 2>/dev/null; echo x > ${outside}/escaped.txt`,
  );
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Read-only file system/);
  assert.equal(fs.existsSync(path.join(outside, 'escaped.txt')), false);
});

test("/tmp is private: what a command writes there never reaches the host's /tmp", { skip }, async (t) => {
  const root = tempDir(t);
  const name = `agio-sandbox-${process.pid}-${Date.now()}`;
  const r = await inSandbox(root, `echo x > /tmp/${name} && cat /tmp/${name}`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'x\n');
  assert.equal(fs.existsSync(path.join('/tmp', name)), false);
});

test('the workspace .git folder is read-only', { skip }, async (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, '.git/hooks'), { recursive: true });
  fs.writeFileSync(path.join(root, '.git/config'), '[core]\n');
  const r = await inSandbox(root, 'echo evil > .git/hooks/pre-commit');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Read-only file system/);
  const r2 = await inSandbox(root, 'echo "[alias]" >> .git/config');
  assert.match(r2.stderr, /Read-only file system/);
  assert.equal(fs.readFileSync(path.join(root, '.git/config'), 'utf8'), '[core]\n');
  assert.equal(fs.existsSync(path.join(root, '.git/hooks/pre-commit')), false);
});

test('no network without allowNetwork, even to 127.0.0.1; with it the request goes through', { skip }, async (t) => {
  const root = tempDir(t);
  const server = http.createServer((_req, res) => res.end('hello from the host'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  // bash's /dev/tcp: no curl needed.
  const get = `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`;
  const blocked = await inSandbox(root, get);
  assert.notEqual(blocked.code, 0);
  assert.doesNotMatch(blocked.stdout, /hello from the host/);
  assert.match(blocked.stderr, /Network is unreachable|Connection refused|Cannot assign/);
  const allowed = await inSandbox(root, get, { allowNetwork: true });
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /hello from the host/);
});

test('credential folders and files in the home folder read as empty; the originals are untouched', {
  skip,
}, async (t) => {
  const root = tempDir(t);
  const home = outsideDir(t);
  fs.mkdirSync(path.join(home, '.ssh'));
  fs.writeFileSync(path.join(home, '.ssh/id_ed25519'), 'PRIVATE KEY MATERIAL');
  fs.mkdirSync(path.join(home, '.config/gh'), { recursive: true });
  fs.writeFileSync(path.join(home, '.config/gh/hosts.yml'), 'oauth_token: gho_secret');
  fs.writeFileSync(path.join(home, '.netrc'), 'machine example.com password hunter2');
  fs.writeFileSync(path.join(home, 'notes.txt'), 'not a credential');
  const r = await inSandbox(
    root,
    [
      `cat ${home}/.ssh/id_ed25519 ${home}/.config/gh/hosts.yml ${home}/.netrc 2>/dev/null`,
      `ls -A ${home}/.ssh`,
      `cat ${home}/notes.txt`,
    ].join('; '),
    { home },
  );
  assert.equal(r.stdout, 'not a credential'); // reads elsewhere are allowed (see sandbox.ts)
  assert.equal(fs.readFileSync(path.join(home, '.ssh/id_ed25519'), 'utf8'), 'PRIVATE KEY MATERIAL');
  assert.equal(fs.readFileSync(path.join(home, '.netrc'), 'utf8'), 'machine example.com password hunter2');
});

test("the command sees only its own processes, not Agio or the user's", { skip }, async (t) => {
  const root = tempDir(t);
  const r = await inSandbox(root, 'ls /proc | grep -cE "^[0-9]+$"');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Number(r.stdout) < 5, `saw ${r.stdout.trim()} processes`);
});

test('killing the sandbox (bash tool timeout) kills everything the command started', { skip }, async (t) => {
  const root = tempDir(t);
  const marker = `31.${process.pid}`;
  const launch = (command: string): { file: string; args: string[] } =>
    sandboxArgv(info, { root, home: os.homedir(), allowNetwork: false, command });
  // setsid: the grandchild leaves the process group bash.ts kills, so only the pid namespace gets it.
  const r = await call(
    bashTool,
    { command: `setsid sleep ${marker} & sleep ${marker}`, timeout_ms: 300 },
    makeCtx(root, { launch }),
  );
  assert.match(r.output, /timed out/);
  const alive = (): boolean =>
    fs.readdirSync('/proc').some((p) => {
      try {
        return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8') === `sleep\0${marker}\0`;
      } catch {
        return false;
      }
    });
  for (const end = Date.now() + 3000; alive() && Date.now() < end; ) await new Promise((res) => setTimeout(res, 50));
  assert.equal(alive(), false);
});

test('AGIO_SANDBOX=off: no sandbox, and commands run with plain bash -c', async () => {
  const off = await detectSandbox({ ...process.env, AGIO_SANDBOX: 'off' });
  assert.deepEqual(off, { kind: 'none', reason: 'disabled by AGIO_SANDBOX=off' });
  const argv = sandboxArgv(off, { root: '/w', home: '/h', allowNetwork: false, command: 'echo "a b" | wc -c' });
  assert.deepEqual(argv, { file: 'bash', args: ['-c', 'echo "a b" | wc -c'] });
});

test('without bwrap on PATH: no sandbox, and the reason says why', async (t) => {
  const emptyBin = tempDir(t);
  const none = await detectSandbox({ PATH: emptyBin });
  assert.deepEqual(none, { kind: 'none', reason: 'bwrap (bubblewrap) is not installed or not on PATH' });
});
