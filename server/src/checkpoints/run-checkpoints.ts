// Checkpoints wired into a run: a write goes through a WorkspaceFiles wrapper that saves the file
// before and after; a command is wrapped by a snapshot before and after. Either way the snapshot is
// stored before the side effect starts, and a snapshot that cannot be taken stops the side effect.
import type { WorkspaceFiles } from '../tools/types.ts';
import type { Checkpointer, SnapshotFigures } from './checkpointer.ts';
import type { FileLocks } from '../store/file-locks.ts';

export class CheckpointFailed extends Error {}

export class RunCheckpoints {
  private readonly checkpointer: Checkpointer;
  private readonly announce: (figures: SnapshotFigures, parentId: string) => void;
  private readonly finished: (step: number, changed: number, parentId: string) => void;
  private readonly locks: FileLocks;

  /** `announce` records the `checkpoint` event under the tool call, `finished` the `checkpoint_end`
   * event (how many files the step changed) once the write or command is over. */
  constructor(
    checkpointer: Checkpointer,
    locks: FileLocks,
    announce: (figures: SnapshotFigures, parentId: string) => void,
    finished: (step: number, changed: number, parentId: string) => void = () => {},
  ) {
    this.checkpointer = checkpointer;
    this.locks = locks;
    this.announce = announce;
    this.finished = finished;
  }

  /** The files a write tool of call `parentId` sees: its first write makes the call a step. */
  files(inner: WorkspaceFiles, parentId: string): WorkspaceFiles {
    let step: number | undefined;
    return {
      readBytes: (abs) => inner.readBytes(abs),
      readChunks: (abs) => inner.readChunks(abs),
      stat: (abs) => inner.stat(abs),
      lstat: (abs) => inner.lstat(abs),
      readDir: (abs) => inner.readDir(abs),
      readLink: (abs) => inner.readLink(abs),
      search: (q) => inner.search(q),
      // Under the file's lock: no other run or process writes it between the snapshot and the write.
      writeText: (abs, content) =>
        this.locks.with(abs, async () => {
          step ??= this.checkpointer.nextStep();
          try {
            this.announce(this.checkpointer.beforeWrite(step, abs), parentId);
          } catch (err) {
            throw new CheckpointFailed(
              `could not save a checkpoint of the file first (${(err as Error).message}); nothing was written`,
            );
          }
          await inner.writeText(abs, content);
          this.checkpointer.afterWrite(step, abs, Buffer.from(content, 'utf8'));
          this.finished(step, 1, parentId);
        }),
    };
  }

  /** Runs a command between two snapshots of the workspace. */
  async aroundExec<T>(parentId: string, run: () => Promise<T>): Promise<T> {
    const step = this.checkpointer.nextStep();
    try {
      this.announce(await this.checkpointer.beforeExec(step), parentId);
    } catch (err) {
      throw new CheckpointFailed(
        `could not take a checkpoint of the workspace first (${(err as Error).message}); the command was not run`,
      );
    }
    try {
      return await run();
    } finally {
      // What the command changed; if this fails the step can still be undone from what came before.
      const changed = await this.checkpointer.afterExec(step).catch(() => undefined);
      if (changed !== undefined) this.finished(step, changed, parentId);
    }
  }
}
