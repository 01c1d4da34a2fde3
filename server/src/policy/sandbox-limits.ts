// Limits on what one sandboxed command may take: processes (a fork bomb or mutually recursive shell
// functions stop at the limit) and memory (a hog fails its allocation). bwrap has no rlimit option,
// so the limits are set by the shell inside the sandbox before it runs the command.
//
// Processes: RLIMIT_NPROC (`ulimit -u`) counts the tasks (threads too) of one user. Set inside the
// sandbox's user namespace it counts only the sandbox's own tasks (Linux 5.14 and later count per
// user namespace; measured on 6.18: with 35 processes of the same user outside, 20 of 20 started
// inside), so the value does not depend on how busy the user's desktop is. Set outside, with prlimit
// on bwrap, it counted all of the user's processes and bwrap itself could not start. Before 5.14 it
// is not set, for the same reason. Root is exempt from RLIMIT_NPROC, so as root the command is put
// into a fresh cgroup with pids.max when one can be made (cgroup v1's pids hierarchy, or a v2 one
// with the pids controller delegated); otherwise root's commands have no process limit.
// 1024 tasks: a build's compiler, test workers and a headless browser use a few hundred; a bomb
// stops there without exhausting the machine's pid space.
//
// Memory: RLIMIT_DATA (`ulimit -d`), not RLIMIT_AS. RLIMIT_AS counts reserved address space, and V8
// reserves gigabytes it never touches (WebAssembly failed to start under an 8 GiB RLIMIT_AS here),
// as does the JVM. RLIMIT_DATA counts private writable mappings, i.e. what is really committed;
// node, npm and java ran under 1 GiB. It is per process, so N processes may use N times it: the
// process limit bounds the product, a cgroup memory limit would bound the sum.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CommandLimits {
  /** Tasks (processes and threads) one command may have at once; 0 for no limit. */
  processes: number;
  /** Bytes of committed private memory per process; 0 for no limit. */
  memoryBytes: number;
}

export const DEFAULT_PROCESSES = 1024;
const GIB = 1024 ** 3;

/**
 * The limits for commands: AGIO_COMMAND_MAX_PROCESSES and AGIO_COMMAND_MAX_MEMORY_MB (0 turns one
 * off), else 1024 tasks and half the machine's memory, at least 2 GiB and at most 8 GiB, per
 * process. node's own default heap limit is about 4 GiB on a large machine and it needs room beside
 * the heap; node 24 does not start at all under 512 MiB (its code range counts), node 20 and java
 * do (measured).
 */
export function commandLimits(env: NodeJS.ProcessEnv, totalMem = os.totalmem()): CommandLimits {
  const procs = wholeNumber(env.AGIO_COMMAND_MAX_PROCESSES);
  const mb = wholeNumber(env.AGIO_COMMAND_MAX_MEMORY_MB);
  return {
    processes: procs ?? DEFAULT_PROCESSES,
    memoryBytes: mb !== undefined ? mb * 1024 * 1024 : Math.min(8 * GIB, Math.max(2 * GIB, Math.floor(totalMem / 2))),
  };
}

function wholeNumber(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

/** Whether RLIMIT_NPROC set in a new user namespace counts only that namespace (Linux >= 5.14). */
export function nprocPerNamespace(release = os.release()): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 5 || (major === 5 && minor >= 14);
}

/**
 * The shell line run inside the sandbox before the command: hard limits it cannot raise (it has no
 * capabilities). `ulimit` fails only when the limit in force is lower already, which is as tight.
 */
export function ulimitPrefix(limits: CommandLimits, opts: { nproc: boolean }): string {
  const parts: string[] = [];
  if (opts.nproc && limits.processes > 0) parts.push(`ulimit -u ${limits.processes} 2>/dev/null; `);
  if (limits.memoryBytes > 0)
    parts.push(`ulimit -d ${Math.max(1, Math.floor(limits.memoryBytes / 1024))} 2>/dev/null; `);
  return parts.join('');
}

let made = 0;

/**
 * A fresh pids cgroup limited to `max` tasks, for root (whom RLIMIT_NPROC does not bind), or
 * undefined when none can be made here. Empty ones left by earlier commands of this process (or of
 * Agio processes that have exited) are removed first; rmdir refuses one that still has processes.
 */
export function pidsCgroup(max: number): string | undefined {
  const parent = ownPidsCgroup();
  if (!parent) return undefined;
  try {
    for (const name of fs.readdirSync(parent)) {
      const m = /^agio-(\d+)-\d+$/.exec(name);
      if (m && (Number(m[1]) === process.pid || !alive(Number(m[1])))) {
        try {
          fs.rmdirSync(path.join(parent, name));
        } catch {
          // still in use
        }
      }
    }
    const dir = path.join(parent, `agio-${process.pid}-${++made}`);
    fs.mkdirSync(dir);
    try {
      fs.writeFileSync(path.join(dir, 'pids.max'), String(max));
      return dir;
    } catch {
      fs.rmdirSync(dir);
      return undefined;
    }
  } catch {
    return undefined;
  }
}

let ownCgroup: string | null | undefined;

function ownPidsCgroup(): string | undefined {
  if (ownCgroup === undefined) ownCgroup = findOwnPidsCgroup() ?? null;
  return ownCgroup ?? undefined;
}

function findOwnPidsCgroup(): string | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  } catch {
    return undefined;
  }
  for (const line of lines) {
    const [, controllers, rel] = line.split(':');
    if (rel === undefined) continue;
    const candidates =
      controllers === '' ? [path.join('/sys/fs/cgroup', rel), path.join('/sys/fs/cgroup/unified', rel)] : [];
    if (controllers?.split(',').includes('pids')) candidates.push(path.join('/sys/fs/cgroup/pids', rel));
    for (const c of candidates) {
      // v1 has pids.max in every group below the root; v2 only where the controller is delegated.
      if (fs.existsSync(path.join(c, 'cgroup.procs')) && canMakeChild(c)) return c;
    }
  }
  return undefined;
}

function canMakeChild(dir: string): boolean {
  const probe = path.join(dir, `agio-${process.pid}-0`);
  try {
    fs.mkdirSync(probe);
  } catch {
    return false;
  }
  const ok = fs.existsSync(path.join(probe, 'pids.max'));
  fs.rmdirSync(probe);
  return ok;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
