// Where a path the model sent really points, and whether that is inside the workspace. Lexical
// normalisation is not enough: `link/../x` and a symlink (even a dangling one, which a write would
// follow) can lead out, so every existing component is resolved with realpath, in order.
import fs from 'node:fs';
import path from 'node:path';

export type ResolvedPath = { ok: true; abs: string; rel: string } | { ok: false; error: string };

/** True when `abs` is `root` itself or below it. Both must already be absolute and normalised. */
export function isInside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  if (rel === '') return true;
  // `..foo` is a legitimate name inside root; only a whole `..` component means "above".
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

const MAX_LINKS = 40; // like the kernel's ELOOP limit

/** Resolve `p` (relative to `root`, or absolute) and accept it only if it stays inside `root`. */
export function resolveInWorkspace(root: string, p: string): ResolvedPath {
  if (p.includes('\0')) return { ok: false, error: `Path ${JSON.stringify(p)} contains a NUL byte.` };
  let realRoot: string;
  try {
    realRoot = fs.realpathSync.native(root);
  } catch (e) {
    return { ok: false, error: `Workspace root "${root}" cannot be resolved: ${(e as Error).message}` };
  }
  const asked = p === '' ? '.' : p;
  const start = path.isAbsolute(asked) ? path.parse(asked).root : realRoot;
  const rest = path.isAbsolute(asked) ? asked.slice(start.length) : asked;
  let abs: string;
  try {
    abs = walk(start, rest, { links: 0 });
  } catch (e) {
    return { ok: false, error: `Path "${p}" cannot be resolved: ${(e as Error).message}` };
  }
  if (!isInside(realRoot, abs)) {
    const lexical = path.resolve(realRoot, asked);
    const via = isInside(realRoot, lexical) ? ' through a symbolic link' : '';
    return {
      ok: false,
      error:
        `Path "${p}" resolves${via} to "${abs}", which is outside the workspace "${realRoot}"; ` +
        'only files inside the workspace can be used.',
    };
  }
  const rel = path.relative(realRoot, abs);
  return { ok: true, abs, rel: rel === '' ? '.' : rel.split(path.sep).join('/') };
}

/** Follow `rest` from the real directory `cur`, realpath-ing each component that exists. Missing
 * components (a file about to be created) are appended as they are. */
function walk(cur: string, rest: string, state: { links: number }): string {
  for (const part of rest.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      cur = path.dirname(cur); // `cur` is already real, so its parent is the real parent
      continue;
    }
    const next = path.join(cur, part);
    try {
      cur = fs.realpathSync.native(next);
      continue;
    } catch {
      // Missing, or a dangling symlink, or under a non-directory: decided below.
    }
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(next);
    } catch {
      st = undefined;
    }
    if (st?.isSymbolicLink()) {
      // A dangling link: writing through it would create its target, so judge the target.
      if (++state.links > MAX_LINKS) throw new Error('too many levels of symbolic links');
      const target = fs.readlinkSync(next);
      cur = path.isAbsolute(target)
        ? walk(path.parse(target).root, target.slice(path.parse(target).root.length), state)
        : walk(cur, target, state);
    } else {
      cur = next;
    }
  }
  return cur;
}
