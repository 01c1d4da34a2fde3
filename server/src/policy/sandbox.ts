// The OS sandbox for commands the model asks for: bubblewrap (bwrap) gives each command a view of
// the machine where everything is read-only except the workspace and a private /tmp, credential
// folders in the home directory are empty, and (unless allowed) there is no network.
//
// What it does NOT protect, so the policy still has to:
// - Reads. Every file the user can read stays readable except the credential folders and files
//   masked below (browser profiles, shell history, other tools' tokens, other projects' .env files).
//   The policy's path checks cover what the model asks `read` for; a command can read more.
// - The workspace itself: a command can rewrite any file in it, including ones that run later
//   (package.json scripts, Makefiles, test files, .vscode/tasks.json). Only the top-level .git is
//   read-only; nested repositories (vendor/x/.git) are not. A root of / or of the home folder
//   would make all of it writable: the caller must not pass one.
// - With allowNetwork, anything readable can be sent anywhere.
// - Unix sockets outside the masked paths: a socket on a read-only mount can still be connected to,
//   and --unshare-net does not cut filesystem sockets. The session bus and container daemons are
//   masked below; other sockets (e.g. the system bus) stay reachable.
// - Writes to $HOME fail, so tools that write caches there (npm, pip, cargo) need them pointed into
//   the workspace or /tmp, or the sandbox turned off.
// - Kernel bugs: bwrap is namespaces, not a VM.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type SandboxInfo = { kind: 'bwrap'; path: string } | { kind: 'none'; reason: string };

export interface SandboxOptions {
  /** The workspace root, realpath-resolved: the only host folder a command may write to. */
  root: string;
  /** The home folder whose credential folders and files are hidden. */
  home: string;
  allowNetwork: boolean;
  command: string;
}

const PROBE_TIMEOUT_MS = 3000;
/** Hidden behind an empty tmpfs when present in the home folder. */
const CREDENTIAL_DIRS = ['.ssh', '.aws', '.gnupg', '.config/gh', '.docker', '.kube'];
/** Hidden behind /dev/null (read as empty, not writable) when present in the home folder. */
const CREDENTIAL_FILES = ['.netrc', '.npmrc', '.git-credentials', '.pypirc'];
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

/** The process to spawn for `opts.command`: bash inside bwrap, or plain bash without a sandbox. */
export function sandboxArgv(info: SandboxInfo, opts: SandboxOptions): { file: string; args: string[] } {
  if (info.kind === 'none') return { file: 'bash', args: ['-c', opts.command] };
  const { root, home } = opts;
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
    // After /tmp, so a workspace under /tmp is bound on top of the fresh tmpfs.
    '--bind',
    root,
    root,
  ];
  const git = realpath(path.join(root, '.git'));
  if (git) args.push('--ro-bind', git, git);
  if (!opts.allowNetwork) args.push('--unshare-net');
  // Masks come last so they win even when the workspace is the home folder itself. A symlinked
  // ~/.ssh is masked where it points, which hides it under both names.
  for (const rel of CREDENTIAL_DIRS) {
    const p = realpath(path.join(home, rel));
    if (p && isDir(p)) args.push('--tmpfs', p);
  }
  for (const rel of CREDENTIAL_FILES) {
    const p = realpath(path.join(home, rel));
    if (p && !isDir(p)) args.push('--ro-bind', '/dev/null', p);
  }
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
  args.push('--chdir', root, '--', 'bash', '-c', opts.command);
  return { file: info.path, args };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function realpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
