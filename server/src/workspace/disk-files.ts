// Headless file access: straight to the disk. Writes are atomic so a crash or a concurrent reader
// never sees half a file: temp file in the same folder (same filesystem, so rename is atomic),
// fsync, then rename over the target.
import { randomBytes } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  NOT_REGULAR,
  type DirEntry,
  type FileFacts,
  type FileKind,
  type SearchQuery,
  type SearchResult,
  type SpecialKind,
  type WorkspaceFiles,
} from './files.ts';
import { isInside } from './paths.ts';
import { runRg } from './ripgrep.ts';

function kindOf(s: Stats | Dirent): FileKind {
  return s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
}

function specialOf(s: Stats): SpecialKind {
  if (s.isFIFO()) return 'FIFO (named pipe)';
  if (s.isSocket()) return 'socket';
  if (s.isCharacterDevice()) return 'character device';
  if (s.isBlockDevice()) return 'block device';
  return 'special file';
}

function facts(s: Stats): FileFacts {
  const kind = kindOf(s);
  return kind === 'other' ? { kind, size: s.size, special: specialOf(s) } : { kind, size: s.size };
}

/** Bytes per chunk of readChunks: large enough that counting lines of a big file is fast. */
const CHUNK_BYTES = 256 * 1024;

/** Opens `absPath` for reading only if it is a regular file. O_NONBLOCK makes opening a FIFO return
 * at once instead of waiting for a writer (it changes nothing for a regular file); the check is on
 * the opened descriptor, so a FIFO swapped in after a caller's stat is caught too. */
async function openRegular(absPath: string): Promise<FileHandle> {
  const fh = await fs.open(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (st.isFile()) return fh;
    const err = st.isDirectory()
      ? Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${absPath}'`), { code: 'EISDIR' })
      : Object.assign(new Error(`${absPath} is a ${specialOf(st)}, not a regular file`), {
          code: NOT_REGULAR,
          special: specialOf(st),
        });
    throw err;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

export class DiskFiles implements WorkspaceFiles {
  /** When set, every write re-checks at open and rename time that its real folder is inside this
   * root: a symlink swapped in after the policy checked the path is caught, not followed. */
  private readonly root: string | undefined;

  constructor(root?: string) {
    this.root = root;
  }

  private async assertInside(dir: string, target: string): Promise<void> {
    if (this.root === undefined) return;
    const real = await fs.realpath(dir);
    if (!isInside(this.root, real)) {
      const msg = `refusing to write ${target}: its folder now resolves to ${real}, outside the workspace ${this.root} (was a symlink swapped in?)`;
      throw Object.assign(new Error(msg), { code: 'EXDEV_OUTSIDE' });
    }
  }

  async readBytes(absPath: string): Promise<Buffer> {
    const fh = await openRegular(absPath);
    try {
      return await fh.readFile();
    } finally {
      await fh.close();
    }
  }

  async *readChunks(absPath: string): AsyncIterable<Buffer> {
    const fh = await openRegular(absPath);
    try {
      let position = 0;
      for (;;) {
        // A fresh buffer each time: a reader may keep part of one chunk while it asks for the next.
        const buf = Buffer.allocUnsafe(CHUNK_BYTES);
        const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  }

  async stat(absPath: string): Promise<FileFacts> {
    return facts(await fs.stat(absPath));
  }

  async lstat(absPath: string): Promise<FileFacts> {
    return facts(await fs.lstat(absPath));
  }

  async readDir(absPath: string): Promise<DirEntry[]> {
    return (await fs.readdir(absPath, { withFileTypes: true })).map((d) => ({ name: d.name, kind: kindOf(d) }));
  }

  async readLink(absPath: string): Promise<string> {
    return fs.readlink(absPath);
  }

  async search(q: SearchQuery): Promise<SearchResult> {
    return runRg(rgArgs(q), {
      cwd: q.cwd,
      onLine: q.onLine,
      ...(q.signal ? { signal: q.signal } : {}),
      ...(q.env ? { env: q.env } : {}),
    });
  }

  async writeText(absPath: string, content: string): Promise<void> {
    return this.writeBytes(absPath, Buffer.from(content, 'utf8'));
  }

  /** Like writeText, for exact bytes. `setMode` replaces the mode the file has (a restore puts its
   * recorded mode back); without it an existing file keeps its own. */
  async writeBytes(absPath: string, content: Buffer, setMode?: number): Promise<void> {
    const dir = path.dirname(absPath);
    await fs.mkdir(dir, { recursive: true });
    let mode: number | undefined;
    try {
      const st = await fs.stat(absPath);
      // Fail before writing a temp file; rename over a directory would fail (or differ by OS) anyway.
      if (st.isDirectory()) {
        const msg = `EISDIR: illegal operation on a directory, open '${absPath}'`;
        throw Object.assign(new Error(msg), { code: 'EISDIR' });
      }
      mode = st.mode & 0o7777;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const tmp = path.join(dir, `.${path.basename(absPath)}.agio-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    await this.assertInside(dir, absPath);
    try {
      if (setMode !== undefined) mode = setMode;
      const fh = await fs.open(tmp, 'wx', mode ?? 0o666);
      try {
        await fh.writeFile(content);
        // open() applies the umask; an existing file keeps exactly the mode it had.
        if (mode !== undefined) await fh.chmod(mode);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.assertInside(dir, absPath);
      await fs.rename(tmp, absPath);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw e;
    }
  }
}

/** The whole rg command line of a query. */
export function rgArgs(q: Pick<SearchQuery, 'paths' | 'fileFlags' | 'matchFlags'>): string[] {
  return [...(q.matchFlags ?? ['--files']), ...q.fileFlags, '--', ...q.paths];
}
