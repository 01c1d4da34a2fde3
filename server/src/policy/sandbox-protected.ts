// Which workspace paths the sandbox mounts read-only: every path the policy protects (protectedWrite
// in protected-paths.ts, the one list), found by walking the workspace at launch, at every depth.
// A command can therefore not rewrite .agio/policy.json, a nested repository's .git/hooks, a
// sub/.vscode/settings.json or an AGENTS.md, whatever it is called through.
//
// Paths that do not exist yet cannot be mounted over without creating them on the host. For the
// top-level folders that tools load from the workspace root (.agio, .vscode, .idea) the walk creates
// an empty folder and mounts it read-only, and the caller removes it again once the command has ended
// (`removePlaceholders`), so the user's workspace is left as it was (an empty .idea alone would make
// a JetBrains IDE treat the folder as configured). Files (AGENTS.md, .gitattributes, .envrc…) and protected names at depth are not
// created: an empty AGENTS.md or .gitmodules would be a change in the user's repository. So a command
// can still create a protected *file* that did not exist, or a new nested repository with its hooks
// in one command (the next command finds it and mounts it read-only); the policy must not honour
// what a command may have written (a workspace file only ever tightens it).
import fs from 'node:fs';
import path from 'node:path';
import { protectedWrite } from './protected-paths.ts';

/** Top-level folders made (empty) when missing so that creating them inside the sandbox fails. */
const PLACEHOLDER_DIRS = ['.agio', '.vscode', '.idea'];

/**
 * A bound on the walk, which runs before every command. Measured on this repository with its
 * node_modules (1,850 folders, 26,000 entries) it takes ~60 ms, half of it readdir; 10,000 folders
 * is a large monorepo with dependencies installed (~300 ms). node_modules is walked too: a package
 * can ship a .git or .gitattributes. Past the bound the deepest folders are not searched and
 * `truncated` says so (the command is told), rather than making every command slower still.
 */
export const MAX_WALKED_DIRS = 10_000;

export interface ProtectedMounts {
  /** Real paths inside the workspace to mount read-only, parents before children. */
  readOnly: string[];
  /** Whether the walk stopped at MAX_WALKED_DIRS before seeing every folder. */
  truncated: boolean;
  /** The placeholder folders this launch made: remove them when the command has ended. */
  created: string[];
}

/** Removes the placeholders a launch made, when they are still empty (read-only inside the sandbox,
 * they are; another run's command may have made them its own since, then they stay). */
export function removePlaceholders(created: readonly string[]): void {
  for (const dir of created) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty, or gone already: nothing of ours to remove
    }
  }
}

/** Finds the protected paths in `root` (realpath-resolved), creating the placeholder folders. */
export function protectedMounts(root: string, maxDirs = MAX_WALKED_DIRS): ProtectedMounts {
  const created: string[] = [];
  for (const name of PLACEHOLDER_DIRS) {
    // Only names the policy protects: the list in protected-paths.ts decides, not this file.
    if (!protectedWrite(`${name}/settings.json`)) continue;
    try {
      fs.mkdirSync(path.join(root, name));
      created.push(path.join(root, name));
    } catch {
      // exists already (or cannot be made: then a command cannot make it either)
    }
  }
  const found = new Set<string>();
  const queue = [''];
  let walked = 0;
  let truncated = false;
  // Breadth first, so a truncated walk has covered the shallow paths, which more tools load.
  for (let i = 0; i < queue.length; i++) {
    if (walked++ >= maxDirs) {
      truncated = true;
      break;
    }
    const rel = queue[i] as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel ? path.join(root, rel) : root, { withFileTypes: true });
    } catch {
      continue; // unreadable: a command running as the same user cannot write it either
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (protectedWrite(childRel)) {
        // Mount what it resolves to, so a symlinked .git is protected where the writes would land;
        // a target outside the workspace is read-only already.
        const real = realInside(path.join(root, childRel), root);
        if (real) found.add(real);
      } else if (e.isDirectory()) {
        queue.push(childRel);
      }
    }
  }
  // Parents first: a nested mount must come after the mount of the folder holding it.
  return { readOnly: [...found].sort((a, b) => a.length - b.length || a.localeCompare(b)), truncated, created };
}

function realInside(p: string, root: string): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    return undefined; // a dangling symlink: nothing there to write through
  }
  const rel = path.relative(root, real);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? real : undefined;
}
