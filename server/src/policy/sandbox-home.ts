// What a sandboxed command sees of the home folder: an empty, writable tmpfs (gone when the command
// ends) with only the toolchains and package caches a build needs mounted in from the real home,
// read-only. Hiding everything by default, rather than listing credential folders to hide, is what
// keeps unknown credential files (a cloud SDK's under ~/.config, a token under ~/.local/share) away.
//
// Read-only, not writable: a cache outlives the command and is used by the user's later builds
// outside the sandbox, mostly without checking it again (cargo's registry/src, ~/.m2 jars, pip
// wheels, the go module and build caches, toolchains under ~/.rustup). A writable cache would let a
// sandboxed command plant code that runs unsandboxed. Builds that only read the cache work (and
// toolchains on PATH from the home folder run); a build that must add to one gets a read-only error
// and needs its cache pointed into the workspace or /tmp (npm_config_cache, CARGO_HOME, GOMODCACHE,
// PIP_CACHE_DIR, GRADLE_USER_HOME), or to be run outside the sandbox with approval. Caches that only
// speed things up (~/.cache/go-build) are left out, so the tool makes a fresh one in the tmpfs home.
//
// Never here: ~/.config, ~/.ssh, ~/.aws, ~/.docker, ~/.kube, ~/.gnupg, ~/.local/share (keyrings),
// dotfiles (.npmrc, .netrc, .git-credentials…), and the credential files inside the folders that
// hold caches (~/.cargo/credentials.toml, ~/.m2/settings.xml, ~/.gradle/gradle.properties), which is
// why those are mounted by subfolder.
import fs from 'node:fs';
import path from 'node:path';

/** Relative to the home folder. Each holds downloaded packages or installed toolchains only. */
export const HOME_CACHES = [
  '.npm/_cacache',
  '.cache/yarn',
  '.yarn/berry/cache',
  '.local/share/pnpm/store',
  '.cache/pip',
  '.cache/pypoetry/cache',
  '.cache/uv',
  '.cargo/bin',
  '.cargo/registry',
  '.cargo/git',
  '.rustup/toolchains',
  '.rustup/update-hashes',
  '.rustup/settings.toml',
  'go/pkg/mod',
  '.m2/repository',
  '.gradle/caches',
  '.gradle/wrapper',
  '.cache/ms-playwright',
  '.cache/node-gyp',
  '.nvm/versions',
  '.pyenv/versions',
  '.pyenv/shims',
  '.pyenv/bin',
  '.pyenv/libexec',
  '.deno/bin',
  '.bun/bin',
  '.volta/tools',
  '.volta/bin',
];

export interface HomeMounts {
  /** The home folder as mounted (realpath-resolved), to cover with an empty tmpfs. */
  home: string;
  /** Real paths to mount read-only on top, in order. */
  caches: string[];
}

/** What to mount for `home`, or undefined when there is no home folder to hide (unset, or /). */
export function homeMounts(home: string): HomeMounts | undefined {
  if (!path.isAbsolute(home)) return undefined;
  const real = realpath(home);
  if (!real || real === '/' || !isDir(real)) return undefined;
  const caches: string[] = [];
  for (const rel of HOME_CACHES) {
    const p = path.join(real, rel);
    // A cache symlinked elsewhere in the home folder would expose its target: only mount real
    // folders and files that are where they claim to be.
    if (realpath(p) === p) caches.push(p);
  }
  return { home: real, caches };
}

/** Whether `p` is a folder (following links); false when it cannot be seen. Also used by sandbox.ts. */
export function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `p` with every link resolved, or undefined when it does not exist. Also used by sandbox.ts. */
export function realpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
