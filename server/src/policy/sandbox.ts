// The OS sandbox for commands the model asks for: bubblewrap (bwrap) gives each command a view of
// the machine where everything is read-only except the workspace and a private /tmp, the home
// folder is empty but for read-only package caches (sandbox-home.ts), every protected path in the
// workspace is read-only at every depth (sandbox-protected.ts), a command's processes and memory are
// limited (sandbox-limits.ts), and (unless allowed) there is no network.
//
// What it does NOT protect, so the policy still has to:
// - Reads outside the home folder: every file the user can read elsewhere (/etc, other users'
//   world-readable files, the workspace's own .env) stays readable.
// - The rest of the workspace: a command can rewrite any unprotected file in it, including ones that
//   run later (package.json scripts, Makefiles, test files). A protected file that did not exist at
//   launch can be created (see sandbox-protected.ts). A root of / or of the home folder would make
//   all of it writable: the caller must not pass one.
// - With allowNetwork, anything readable can be sent anywhere.
// - Unix sockets outside the masked paths: a socket on a read-only mount can still be connected to,
//   and --unshare-net does not cut filesystem sockets. The session bus and container daemons are
//   masked below; other sockets (e.g. the system bus) stay reachable.
// - Kernel bugs: bwrap is namespaces, not a VM.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type HomeMounts, homeMounts, isDir, realpath } from './sandbox-home.ts';
import { type CommandLimits, commandLimits, nprocPerNamespace, pidsCgroup, ulimitPrefix } from './sandbox-limits.ts';
import { protectedMounts, removePlaceholders } from './sandbox-protected.ts';

export type SandboxInfo = { kind: 'bwrap'; path: string } | { kind: 'none'; reason: string };

export interface SandboxOptions {
  /** The workspace root, realpath-resolved: the only host folder a command may write to. */
  root: string;
  /** The home folder, hidden behind an empty one with only package caches in it. */
  home: string;
  allowNetwork: boolean;
  command: string;
  /** Defaults to commandLimits(process.env). */
  limits?: CommandLimits;
}

const PROBE_TIMEOUT_MS = 3000;
/** Sockets that run commands outside the sandbox on request: container daemons. */
const HOST_SOCKETS = [
  '/run/docker.sock',
  '/var/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/run/podman/podman.sock',
];

/** Keyed by PATH, which is nearly always one entry; tests use another PATH to see the no-bwrap case. */
const probes = new Map<string, Promise<SandboxInfo>>();

/**
 * Whether commands can run under bwrap here, proven by running one (being on PATH is not enough:
 * containers and some distributions forbid the user namespaces it needs). The probe runs once per
 * process; AGIO_SANDBOX=off is read on every call.
 */
export function detectSandbox(env: NodeJS.ProcessEnv = process.env): Promise<SandboxInfo> {
  if (env.AGIO_SANDBOX === 'off') return Promise.resolve({ kind: 'none', reason: 'disabled by AGIO_SANDBOX=off' });
  const searchPath = env.PATH ?? '';
  let p = probes.get(searchPath);
  if (!p) {
    p = probe(searchPath);
    probes.set(searchPath, p);
  }
  return p;
}

async function probe(searchPath: string): Promise<SandboxInfo> {
  const bwrap = findOnPath('bwrap', searchPath);
  if (!bwrap) return { kind: 'none', reason: 'bwrap (bubblewrap) is not installed or not on PATH' };
  // The same namespaces and mounts sandboxArgv relies on, so a pass means commands will start.
  const args = [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--unshare-net',
    '--unshare-pid',
    '--cap-drop',
    'ALL',
    '--',
    'true',
  ];
  return new Promise((resolve) => {
    execFile(bwrap, args, { timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
      if (!err) return resolve({ kind: 'bwrap', path: bwrap });
      const detail = (err as { killed?: boolean }).killed
        ? `timed out after ${PROBE_TIMEOUT_MS} ms`
        : stderr.trim() || err.message;
      resolve({ kind: 'none', reason: `bwrap is installed but cannot create a sandbox here: ${detail}` });
    });
  });
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The process to spawn for `opts.command`: bash inside bwrap, or plain bash without a sandbox, and
 * what to undo on the host once it has ended (`afterExit`). */
export interface SandboxLaunch {
  file: string;
  args: string[];
  afterExit?: () => void;
}

export function sandboxArgv(info: SandboxInfo, opts: SandboxOptions): SandboxLaunch {
  if (info.kind === 'none') return { file: 'bash', args: ['-c', opts.command] };
  const { root } = opts;
  const args = [
    // The command dies with Agio, and cannot push keystrokes into our terminal (TIOCSTI).
    '--die-with-parent',
    '--new-session',
    // As root, bwrap keeps every capability unless told otherwise, and CAP_SYS_ADMIN undoes the
    // read-only mounts (`mount -o remount,rw /`). Unprivileged users have none to drop anyway.
    '--cap-drop',
    'ALL',
    // Its own process tree: it cannot signal or inspect Agio or the user's other processes, and when
    // bwrap is killed (timeout, cancel) everything the command started dies with its pid 1.
    '--unshare-pid',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
  ];
  // The workspace and the hidden home are mounted shallower first, so whichever holds the other is
  // covered by it: a workspace in the home folder stays writable, a home in the workspace stays hidden.
  // Both $HOME and the account's own home folder, when they differ (HOME pointed elsewhere must not
  // leave the real one, with its credentials, readable).
  const homes = [...new Set([opts.home, accountHome()])]
    .map((h) => (h ? homeMounts(h) : undefined))
    .filter((h) => h !== undefined);
  const homeArgs = (h: HomeMounts): string[] => ['--tmpfs', h.home, ...h.caches.flatMap((c) => ['--ro-bind', c, c])];
  // After /tmp, so a workspace under /tmp is bound on top of the fresh tmpfs.
  const prot = protectedMounts(root);
  const rootArgs = ['--bind', root, root, ...prot.readOnly.flatMap((p) => ['--ro-bind', p, p])];
  for (const h of homes) if (inside(root, h.home)) args.push(...homeArgs(h));
  args.push(...rootArgs);
  for (const h of homes) if (!inside(root, h.home)) args.push(...homeArgs(h));
  if (!opts.allowNetwork) args.push('--unshare-net');
  // The user's session bus and agents (ssh, gpg, podman) live here; `systemd-run --user` over the
  // bus would start a process outside the sandbox.
  const runtimeDir = `/run/user/${process.getuid?.() ?? ''}`;
  if (isDir(runtimeDir)) args.push('--tmpfs', runtimeDir);
  const seen = new Set<string>();
  for (const sock of HOST_SOCKETS) {
    const real = realpath(sock);
    if (real && !seen.has(real) && !isDir(real)) {
      seen.add(real);
      args.push('--ro-bind', '/dev/null', real);
    }
  }
  const limits = opts.limits ?? commandLimits(process.env);
  const asRoot = process.getuid?.() === 0;
  const prefix = ulimitPrefix(limits, { nproc: !asRoot && nprocPerNamespace() });
  const notice = prot.truncated
    ? `echo 'agio: the workspace is too large to search fully for protected paths (.git, .vscode, AGENTS.md...) before each command; deep ones may be writable.' >&2; `
    : '';
  // The limits are set by a shell of their own, then the command's shell replaces it, so the command
  // text runs exactly as without them ($0, line numbers).
  args.push('--chdir', root, '--', 'bash', '-c', `${notice}${prefix}exec bash -c "$1"`, 'bash', opts.command);
  const cgroup = asRoot && limits.processes > 0 ? pidsCgroup(limits.processes) : undefined;
  const afterExit = prot.created.length > 0 ? { afterExit: () => removePlaceholders(prot.created) } : {};
  if (!cgroup) return { file: info.path, args, ...afterExit };
  return {
    file: 'sh',
    args: ['-c', CGROUP_SUPERVISOR, cgroup, String(limits.processes), info.path, ...args],
    ...afterExit,
  };
}

/**
 * Runs bwrap in the pids cgroup ($0) and stops it once a fork failed there: at the limit, bash
 * retries a failed fork for about 15 s in every process, so mutually recursive functions would
 * otherwise spin until the command's timeout. The watcher stays outside the cgroup (so it can still
 * fork its sleep) and kills bwrap (its --die-with-parent takes everything inside with it) saying
 * why. The supervisor waits on bwrap itself, so a command's end is seen at once (not at the
 * watcher's next poll), keeps bwrap's exit status, and removes the cgroup.
 */
const CGROUP_SUPERVISOR = [
  'cg=$0; max=$1; shift',
  'sh -c \'echo $$ > "$0/cgroup.procs" && exec "$@"\' "$cg" "$@" &',
  'pid=$!',
  '( while kill -0 "$pid" 2>/dev/null; do',
  '    if grep -q "^max [1-9]" "$cg/pids.events" 2>/dev/null; then',
  // Said before the kill: once bwrap is gone the supervisor stops this watcher, message or not.
  '      echo "agio: the command reached its limit of $max processes and was stopped (a fork bomb or runaway recursion?)." >&2',
  '      kill -KILL "$pid" 2>/dev/null',
  '      exit',
  '    fi',
  // Its own fds go nowhere, so a sleep outliving the watcher does not hold the command's pipes open.
  '    sleep 0.1 </dev/null >/dev/null 2>&1',
  '  done ) </dev/null >/dev/null &',
  'watch=$!',
  'wait "$pid"; rc=$?',
  'kill "$watch" 2>/dev/null',
  'rmdir "$cg" 2>/dev/null',
  'exit $rc',
].join('\n');

function accountHome(): string | undefined {
  try {
    return os.userInfo().homedir;
  } catch {
    return undefined;
  }
}

/** Whether `p` is `dir` or below it. */
function inside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
