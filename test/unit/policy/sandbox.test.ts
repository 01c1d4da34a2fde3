import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { detectSandbox, sandboxArgv } from '../../../server/src/policy/sandbox.ts';
import { type CommandLimits, commandLimits, nprocPerNamespace } from '../../../server/src/policy/sandbox-limits.ts';
import { protectedWrite } from '../../../server/src/policy/protected-paths.ts';
import { protectedMounts } from '../../../server/src/policy/sandbox-protected.ts';
import { bashTool } from '../../../server/src/tools/bash.ts';
import { call, makeCtx, tempDir } from '../tools/helpers.ts';

// The test runner's own AGIO_SANDBOX must not decide whether these run.
const info = await detectSandbox({ ...process.env, AGIO_SANDBOX: undefined });
// In CI (which installs bubblewrap) a missing sandbox fails these tests instead of skipping them.
const skip =
  info.kind === 'bwrap' || process.env.CI
    ? false
    : `bwrap sandbox not available here (${info.reason}); install bubblewrap to run these`;

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

function inSandbox(
  root: string,
  command: string,
  extra: { home?: string; allowNetwork?: boolean; limits?: CommandLimits } = {},
): Promise<Ran> {
  assert.equal(info.kind, 'bwrap', `bubblewrap must be usable for this test: ${JSON.stringify(info)}`);
  const argv = sandboxArgv(info, {
    root,
    home: extra.home ?? os.homedir(),
    allowNetwork: extra.allowNetwork ?? false,
    command,
    ...(extra.limits ? { limits: extra.limits } : {}),
  });
  return run(argv, root).finally(() => argv.afterExit?.());
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

test('the home folder is empty but for read-only package caches; credentials anywhere in it are unseen', {
  skip,
}, async (t) => {
  const root = tempDir(t);
  const home = outsideDir(t);
  const files: Record<string, string> = {
    '.ssh/id_ed25519': 'PRIVATE KEY MATERIAL',
    '.config/gcloud/application_default_credentials.json': '{"refresh_token":"gcloud-secret"}',
    '.config/some-cloud/credentials': 'cloud-secret',
    '.aws/credentials': 'aws_secret_access_key=aws-secret',
    '.netrc': 'machine example.com password hunter2',
    '.my-tool-token': 'dotfile-secret',
    'notes.txt': 'not a cache',
    '.cargo/credentials.toml': 'token = "cargo-secret"',
    '.cargo/registry/index/crate': 'cached crate',
    '.npm/_cacache/index': 'cached package',
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    fs.writeFileSync(path.join(home, rel), content);
  }
  const r = await inSandbox(
    root,
    [
      `cat ${Object.keys(files)
        .map((f) => `${home}/${f}`)
        .join(' ')} 2>/dev/null`,
      'echo',
      `(cd ${home} && find . -type f | sort)`,
      `echo poison > ${home}/.npm/_cacache/index 2>/dev/null || echo cache-read-only`,
      `echo scratch > ${home}/scratch && cat ${home}/scratch`,
    ].join('; '),
    { home },
  );
  // Only the two caches are there, read-only; the home itself is a scratch tmpfs.
  assert.equal(
    r.stdout,
    'cached cratecached package\n./.cargo/registry/index/crate\n./.npm/_cacache/index\ncache-read-only\nscratch\n',
  );
  assert.equal(fs.readFileSync(path.join(home, '.npm/_cacache/index'), 'utf8'), 'cached package');
  assert.equal(fs.existsSync(path.join(home, 'scratch')), false);
  assert.equal(fs.readFileSync(path.join(home, '.ssh/id_ed25519'), 'utf8'), 'PRIVATE KEY MATERIAL');
});

test('a workspace inside the home folder stays writable while the rest of the home is hidden', {
  skip,
}, async (t) => {
  const home = outsideDir(t);
  const root = path.join(home, 'projects/app');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(home, '.bash_history'), 'export TOKEN=history-secret');
  const r = await inSandbox(root, `echo built > out.txt; cat ${home}/.bash_history 2>&1; ls -A ${home}`, { home });
  assert.equal(fs.readFileSync(path.join(root, 'out.txt'), 'utf8'), 'built\n');
  assert.doesNotMatch(r.stdout, /history-secret/);
  assert.match(r.stdout, /No such file or directory\nprojects\n$/);
});

test('protected paths are read-only at every depth, also through a symlink; ordinary files beside them are not', {
  skip,
}, async (t) => {
  const root = tempDir(t);
  const protectedFiles = [
    '.agio/policy.json',
    'vendor/lib/.git/hooks/pre-commit',
    'vendor/lib/.git/config',
    'node_modules/pkg/.git/config',
    'a/b/AGENTS.md',
    'a/b/c/.gitattributes',
    'pkg/.npmrc',
    'pkg/.envrc',
  ];
  for (const rel of [...protectedFiles, 'sub/ordinary.txt']) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), 'original');
  }
  fs.symlinkSync('.agio/policy.json', path.join(root, 'innocent.json'));
  // Names protected-paths.ts protects at every depth once its list is (the sandbox follows the list):
  // whichever it protects must be read-only, whichever it does not stays an ordinary file.
  const followList = ['sub/.vscode/settings.json', 'sub/.idea/workspace.xml'];
  for (const rel of followList) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), 'original');
  }
  const listed = followList.filter((rel) => protectedWrite(rel));
  const readOnly = [...protectedFiles, ...listed, 'innocent.json'];
  const writes = [...protectedFiles, ...followList, 'innocent.json'].map(
    (rel) => `echo pwned > ${rel} 2>/dev/null || echo "ro ${rel}"`,
  );
  const r = await inSandbox(
    root,
    [...writes, 'rm -rf vendor/lib/.git 2>/dev/null', 'echo changed > sub/ordinary.txt'].join('; '),
  );
  assert.deepEqual(r.stdout.split('\n').filter(Boolean).sort(), readOnly.map((rel) => `ro ${rel}`).sort());
  for (const rel of [...protectedFiles, ...listed]) {
    assert.equal(fs.readFileSync(path.join(root, rel), 'utf8'), 'original', rel);
  }
  assert.equal(fs.readFileSync(path.join(root, 'sub/ordinary.txt'), 'utf8'), 'changed\n');
});

test('.agio, .vscode and .idea cannot be created by a command where none existed', { skip }, async (t) => {
  const root = tempDir(t);
  const r = await inSandbox(
    root,
    'for d in .agio .vscode; do mkdir -p $d && echo "{}" > $d/policy.json 2>/dev/null || echo "no $d"; done',
  );
  assert.equal(r.stdout, 'no .agio\nno .vscode\n');
  // The placeholders the launch made are gone again once the command has ended: the workspace is
  // left as it was.
  assert.deepEqual(fs.readdirSync(root), []);
  // A folder the user has keeps its place and its contents.
  fs.mkdirSync(path.join(root, '.vscode'));
  fs.writeFileSync(path.join(root, '.vscode/settings.json'), '{}');
  await inSandbox(root, 'true');
  assert.deepEqual(fs.readdirSync(root), ['.vscode']);
  assert.deepEqual(fs.readdirSync(path.join(root, '.vscode')), ['settings.json']);
});

test('the protected-path walk covers node_modules and stops at its bound, saying so', async (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'node_modules/dep/.git'), { recursive: true });
  fs.mkdirSync(path.join(root, 'x/y/z'), { recursive: true });
  fs.writeFileSync(path.join(root, 'x/y/z/AGENTS.md'), '');
  const full = protectedMounts(root);
  assert.equal(full.truncated, false);
  assert.ok(full.readOnly.includes(path.join(root, 'node_modules/dep/.git')));
  assert.ok(full.readOnly.includes(path.join(root, 'x/y/z/AGENTS.md')));
  // Two folders walked, breadth first: the root and node_modules; x/y/z is never reached.
  const cut = protectedMounts(root, 2);
  assert.equal(cut.truncated, true);
  assert.equal(cut.readOnly.includes(path.join(root, 'x/y/z/AGENTS.md')), false);
});

const small: CommandLimits = { processes: 64, memoryBytes: 1024 * 1024 * 1024 };

// As root RLIMIT_NPROC binds nothing, so the limit is a pids cgroup, and its supervisor stops the
// whole command once a fork failed; as any other user it is RLIMIT_NPROC inside the sandbox's user
// namespace, where forks fail at the limit and the command goes on (the tool's timeout ends it).
const byCgroup = process.getuid?.() === 0;

for (const [name, bomb] of [
  ['a fork bomb', ':(){ :|:& };:'],
  ['mutually recursive shell functions', 'f(){ g & g; }; g(){ f & f; }; f'],
] as const) {
  test(`${name} stops at the process limit within seconds`, { skip, timeout: 30_000 }, async (t) => {
    const root = tempDir(t);
    const started = Date.now();
    const r = await inSandbox(
      root,
      // Without the cgroup's supervisor, `timeout` plays the part of the bash tool's timeout.
      `timeout -s KILL 4 bash -c '${bomb.replace(/'/g, "'\\''")}' 2>/dev/null & sleep 2; ls /proc | grep -cE "^[0-9]+$"; wait; echo ended`,
      { limits: small },
    );
    const elapsed = Date.now() - started;
    if (byCgroup) {
      assert.equal(r.code, 137, r.stderr);
      assert.match(r.stderr, /agio: the command reached its limit of 64 processes and was stopped/);
      assert.doesNotMatch(r.stdout, /ended/);
      assert.ok(elapsed < 3000, `stopped after ${elapsed} ms`);
    } else {
      const count = Number(r.stdout.split('\n')[0]);
      assert.ok(count > 10 && count <= 64, `saw ${count} processes`);
      assert.match(r.stdout, /ended\n$/);
      assert.ok(elapsed < 15_000);
    }
  });
}

test('a memory hog fails its allocation at the memory limit; node and java still start under it', {
  skip,
  timeout: 30_000,
}, async (t) => {
  const root = tempDir(t);
  const r = await inSandbox(
    root,
    'head -c 3000000000 /dev/zero | tail >/dev/null; echo "tail $?"; node -e "console.log(\'node ok\')"',
    { limits: small },
  );
  assert.match(r.stderr, /memory exhausted/);
  assert.match(r.stdout, /^tail 1\nnode ok\n$/);
});

test('command limits: defaults, the environment overrides them, 0 turns one off', () => {
  const GiB = 1024 ** 3;
  assert.deepEqual(commandLimits({}, 24 * GiB), { processes: 1024, memoryBytes: 8 * GiB });
  assert.deepEqual(commandLimits({}, 6 * GiB), { processes: 1024, memoryBytes: 3 * GiB });
  assert.deepEqual(commandLimits({}, 1 * GiB), { processes: 1024, memoryBytes: 2 * GiB });
  assert.deepEqual(commandLimits({ AGIO_COMMAND_MAX_PROCESSES: '300', AGIO_COMMAND_MAX_MEMORY_MB: '0' }, 24 * GiB), {
    processes: 300,
    memoryBytes: 0,
  });
  // Not a whole number: the default, never "no limit".
  assert.equal(commandLimits({ AGIO_COMMAND_MAX_PROCESSES: '-1' }, GiB).processes, 1024);
  assert.equal(nprocPerNamespace('5.13.19-generic'), false);
  assert.equal(nprocPerNamespace('5.14.0'), true);
  assert.equal(nprocPerNamespace('6.18.44-fc-v1300'), true);
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
