// Shared by the hostile-model tests: whether bubblewrap works here, and the skip that goes with it.
import { execFileSync } from 'node:child_process';

/** bwrap runs a command with the mounts the sandbox uses (as root or in a user namespace). */
export function hasBwrap(): boolean {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-net', '--', 'true'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/** The `skip` for a test that needs bubblewrap: skipped on a machine without it, but in CI (which
 * installs it, .ci/run) it runs and fails, so a sandbox that stopped working cannot pass unseen. */
export function skipWithoutBwrap(needsBwrap = true): string | false {
  return needsBwrap && !process.env.CI && !hasBwrap() ? 'bubblewrap is not installed (.ci/run installs it)' : false;
}
