// The files a command could have changed: every file ripgrep would search (so .gitignore'd build
// output and dependencies are skipped, and no .git folder — the user's or a nested repository's — is
// ever read), with the stat figures that tell whether a file changed since the last look.
import fs from 'node:fs';
import path from 'node:path';
import { runRg } from '../workspace/ripgrep.ts';

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
  mode: number;
}

/** Workspace-relative paths (forward slashes) of the files to track, with their stat. */
export async function scanWorkspace(
  root: string,
  maxFiles: number,
): Promise<{ files: Map<string, FileStat>; truncated: boolean }> {
  const files = new Map<string, FileStat>();
  let truncated = false;
  // --no-require-git: .gitignore counts even outside a git repository; --hidden: dotfiles are
  // workspace files too, but never .git itself.
  await runRg(['--files', '--hidden', '--no-require-git', '--glob', '!.git', '--glob', '!**/.*.agio-*.tmp'], {
    cwd: root,
    maxBytes: Number.MAX_SAFE_INTEGER,
    onLine: (rel) => {
      if (files.size >= maxFiles) {
        truncated = true;
        return true;
      }
      try {
        const st = fs.lstatSync(path.join(root, rel));
        if (st.isFile())
          files.set(rel.split(path.sep).join('/'), {
            size: st.size,
            mtimeMs: st.mtimeMs,
            ino: st.ino,
            mode: st.mode & 0o7777,
          });
      } catch {
        // gone between listing and stat: not there
      }
      return false;
    },
  });
  return { files, truncated };
}

export function sameStat(a: FileStat | undefined, b: FileStat | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ino === b.ino &&
    a.mode === b.mode
  );
}
