// File contents saved by checkpoints, stored once per distinct content (named by SHA-256), in a folder
// beside the event log and never inside the workspace. Shared by every Agio process: a blob is written
// to a temp file and renamed into place, so two processes saving the same content cannot tear it.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class BlobStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  static hash(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  private pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  /** Saves `bytes`; returns its hash and how many bytes were newly written (0 when already stored). */
  put(bytes: Buffer, hash = BlobStore.hash(bytes)): { hash: string; written: number } {
    const file = this.pathOf(hash);
    if (fs.existsSync(file)) return { hash, written: 0 };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(tmp, bytes, { flag: 'wx' });
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    return { hash, written: bytes.length };
  }

  get(hash: string): Buffer {
    return fs.readFileSync(this.pathOf(hash));
  }
}
