// The real processes and network behind ToolContext's seams: what every run uses, headless or in the
// editor (a command runs on the server's machine either way).
import { spawn } from 'node:child_process';
import type { Network, Processes } from './processes-and-network.ts';

export const nodeProcesses: Processes = {
  spawn: (file, args, opts) => spawn(file, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] }),
  signalGroup(pid, signal) {
    try {
      process.kill(-pid, signal); // negative pid: the whole process group
      return true;
    } catch {
      return false; // ESRCH: nothing left in the group
    }
  },
};

export const nodeNetwork: Network = {
  fetch: (url, init) => fetch(url, init),
};
