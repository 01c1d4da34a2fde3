// One writer at a time per workspace file, across every Agio process (two VS Code windows on one
// workspace, a CLI run beside the panel). The lock table lives in the shared store, so taking a lock
// and recovering a stale one (its process died) is one SQLite transaction: no two processes can both
// decide a lock is stale and both take it, which lock files cannot promise.
import { randomBytes } from 'node:crypto';
import type { Database as Db, Statement } from 'better-sqlite3';
import { pidAlive } from './pid-alive.ts';

export class FileLockTimeout extends Error {}

export class FileLocks {
  /** This holder: a process can run several runs, and each must exclude the others. */
  private readonly owner = `${process.pid}:${randomBytes(6).toString('hex')}`;
  private readonly tryTake: (path: string) => number | undefined;
  private readonly release: Statement;
  private readonly isAlive: (pid: number) => boolean;

  constructor(db: Db, isAlive: (pid: number) => boolean = pidAlive) {
    this.isAlive = isAlive;
    const get = db.prepare('SELECT owner, pid FROM file_locks WHERE path = ?');
    const put = db.prepare('INSERT OR REPLACE INTO file_locks (path, owner, pid, acquired_at) VALUES (?, ?, ?, ?)');
    this.release = db.prepare('DELETE FROM file_locks WHERE path = ? AND owner = ?');
    const take = db.transaction((path: string): number | undefined => {
      const held = get.get(path) as { owner: string; pid: number } | undefined;
      if (held && held.owner !== this.owner && this.isAlive(held.pid)) return held.pid;
      put.run(path, this.owner, process.pid, Date.now());
      return undefined;
    });
    // IMMEDIATE: the read and the write happen under the store's write lock.
    this.tryTake = (path) => take.immediate(path);
  }

  /** Runs `fn` holding the lock on `path`; waits up to `timeoutMs` for another holder to finish. */
  async with<T>(path: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let holder = this.tryTake(path); holder !== undefined; holder = this.tryTake(path)) {
      if (Date.now() > deadline) {
        throw new FileLockTimeout(
          `another Agio process (pid ${holder}) has been writing ${path} for over ${Math.round(timeoutMs / 1000)} s; try again when it is done`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    try {
      return await fn();
    } finally {
      this.release.run(path, this.owner);
    }
  }
}
