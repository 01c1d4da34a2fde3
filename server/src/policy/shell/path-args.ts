// Path checks on command arguments and redirection targets. A path is resolved against every
// folder the shell may be in (see Analysis.cwds), with symlinks followed (resolveInWorkspace), and
// globs are expanded against the disk as bash would. What can't be resolved (an expansion, a
// relative path after `cd "$x"`, a glob matching too much) is reported, never assumed inside.
import fs from 'node:fs';
import path from 'node:path';
import { credentialFile, protectedAbsolute } from '../protected-paths.ts';
import { hardLinkReason } from '../../workspace/hard-links.ts';
import { isInside, resolveInWorkspace } from '../../workspace/paths.ts';
import { SAFE_READ_DEVICES, SAFE_WRITE_DEVICES } from './commands.ts';
import type { Analysis, Ctx } from './state.ts';
import type { Word } from './words.ts';

/** read: the program reads the file; write: creates, changes or deletes it; exec: runs it;
 * cd: becomes the working folder. */
export type PathMode = 'read' | 'write' | 'exec' | 'cd';

export interface Resolved {
  /** Real absolute path (symlinks resolved as far as they exist). */
  abs: string;
  inside: boolean;
}

const MAX_GLOB_MATCHES = 500;
const MAX_GLOB_DIRS = 100;
/** Raw disks and kernel memory: writing them destroys data or the machine. */
const DISK_DEVICE = /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|md|loop|dm-|mapper\/|mem$|kmem$|port$)/;

/** Check one argument word; returns what it resolved to (empty when it could not be resolved). */
export function checkWord(a: Analysis, w: Word, mode: PathMode, cmd: number | undefined): Resolved[] {
  if (cmd !== undefined) a.pathChecked.add(cmd);
  // `<(cmd)` is a pipe (/dev/fd/N) whose contents come from cmd, which is classified on its own.
  if (w.node?.type === 'process_substitution') return [];
  if (w.value === undefined) {
    const loop = /^"?\$\{?([A-Za-z_]\w*)\}?"?$/.exec(w.text);
    const values = loop ? a.loopValues.get(loop[1]!) : undefined;
    if (values) return values.flatMap((x) => checkValue(a, x.value!, x.glob, mode, cmd, `${w.text} (${x.text})`));
    a.add('outside_path', `${w.text} is an expansion: where it points cannot be checked`, cmd);
    if (mode === 'write') unknownWrite(a, cmd, `${w.text} is an expansion`);
    return [];
  }
  return checkValue(a, w.value, w.glob, mode, cmd, w.text);
}

export function checkValue(
  a: Analysis,
  value: string,
  glob: boolean,
  mode: PathMode,
  cmd: number | undefined,
  shown: string,
): Resolved[] {
  if (a.overTime()) throw new Error('analysis took too long');
  if (value === '') return [];
  if (value.startsWith('~')) {
    // `"~/x"` is literal to bash but `--opt=~/x` is not: read either as the home folder, which is
    // outside the workspace, so the check can only get stricter.
    const slash = value.indexOf('/');
    if ((slash < 0 ? value : value.slice(0, slash)) !== '~') {
      a.add('outside_path', `${shown} names another user's home folder`, cmd);
      return [];
    }
    value = a.home + (slash < 0 ? '' : value.slice(slash));
  }
  if (/^\/dev\/(tcp|udp)\//.test(value)) {
    a.add('network', `${shown} opens a network connection`, cmd);
    return [];
  }
  if (mode === 'write' && SAFE_WRITE_DEVICES.has(value)) return [];
  if (mode === 'read' && SAFE_READ_DEVICES.has(value)) return [];
  const absolute = path.isAbsolute(value);
  if (!absolute && a.cwds === null) {
    a.add('outside_path', `${shown} is relative to a folder that cannot be known (after cd)`, cmd);
    if (mode === 'write') unknownWrite(a, cmd, `${shown} is relative to a folder that cannot be known`);
    return [];
  }
  const out: Resolved[] = [];
  for (const cwd of absolute ? [a.root] : a.cwds!) {
    const lexical = path.resolve(cwd, value);
    const matches = glob ? expandGlob(lexical) : [lexical];
    if (matches === undefined) {
      a.add('outside_path', `${shown} matches too many files to check`, cmd);
      if (mode === 'write') unknownWrite(a, cmd, `${shown} matches too many files to check`);
      continue;
    }
    for (const m of matches) out.push(judge(a, m, mode, cmd, shown));
  }
  return out;
}

/** A write whose file the line does not show: inside the workspace or not, it may be a protected
 * file, so it asks in every mode (the sandbox keeps it in the workspace, not off .vscode/ or AGENTS.md). */
function unknownWrite(a: Analysis, cmd: number | undefined, why: string): void {
  a.add('unknown_targets', `${why}: the file it writes is decided when it runs and may be a protected file`, cmd);
}

function judge(a: Analysis, lexical: string, mode: PathMode, cmd: number | undefined, shown: string): Resolved {
  const r = resolveInWorkspace(a.root, lexical);
  const abs = r.ok ? r.abs : bestRealpath(lexical);
  const inside = r.ok && isInside(a.root, abs);
  if (!inside) {
    a.add('outside_path', `${shown} resolves outside the workspace (${abs})`, cmd);
    if (mode === 'write' && (DISK_DEVICE.test(abs) || DISK_DEVICE.test(lexical))) {
      a.add('destructive', `${shown} writes a raw disk or kernel memory device`, cmd);
    }
  }
  if (inside && (mode === 'read' || mode === 'write')) {
    // Named as the file it is (a glob or a symlink shows only what was written).
    const linked = hardLinkReason(abs, path.relative(a.root, abs) || shown);
    if (linked) a.add('hard_link', linked, cmd);
  }
  if (mode === 'read') {
    for (const p of new Set([lexical, abs])) {
      const cred = credentialOf(a, p);
      if (cred) a.add('credential_read', `${shown} is ${cred}`, cmd);
    }
  } else if (mode === 'write') {
    for (const p of new Set([lexical, abs])) {
      const prot = protectedAbsolute(p, a.root);
      if (prot) a.add('protected_path', `${shown} is ${prot.what}`, cmd);
    }
  }
  return { abs, inside };
}

function credentialOf(a: Analysis, abs: string): string | undefined {
  if (/^\/proc\/[^/]+\/(task\/[^/]+\/)?(environ|mem|auxv)$/.test(abs)) return 'a process environment or memory';
  const rel = path.relative(a.root, abs);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return credentialFile((inside ? rel : abs).split(path.sep).join('/'))?.what;
}

/** realpath of the longest existing prefix, plus the rest as written. */
function bestRealpath(p: string): string {
  let head = p;
  let tail = '';
  for (let i = 0; i < 64; i++) {
    try {
      return path.join(fs.realpathSync.native(head), tail);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      tail = path.join(path.basename(head), tail);
      head = parent;
    }
  }
  return p;
}

const GLOB_CHARS = /[*?[]/;

/** Files an absolute glob pattern matches now (dotfiles only for a segment starting with '.'),
 * plus the pattern itself (what bash passes when nothing matches); undefined when too many. */
export function expandGlob(pattern: string): string[] | undefined {
  const segs = pattern.split('/').filter((s) => s !== '');
  let current = ['/'];
  let dirs = 0;
  for (const seg of segs) {
    if (!GLOB_CHARS.test(seg)) {
      current = current.map((c) => path.join(c, seg));
      continue;
    }
    const re = globRegex(seg);
    const next: string[] = [];
    for (const dir of current) {
      if (++dirs > MAX_GLOB_DIRS) return undefined;
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.') && !seg.startsWith('.')) continue;
        if (re.test(name)) next.push(path.join(dir, name));
      }
      if (next.length > MAX_GLOB_MATCHES) return undefined;
    }
    current = next;
  }
  return [...current, pattern];
}

function globRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]!;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let cls = seg.slice(i + 1, close);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += ch.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return /^/; // a malformed class: match everything (more checks, never fewer)
  }
}

/** Looks like a path: has a slash, or starts with `.` or `~`. For option values and loose args. */
export function looksLikePath(v: string): boolean {
  return v.includes('/') || v.startsWith('.') || v.startsWith('~');
}

/** Write-check a path word and report the write. */
export function writeCheck(c: Ctx, w: Word, why: string): void {
  checkWord(c.a, w, 'write', c.idx);
  if (w.value === undefined || !SAFE_WRITE_DEVICES.has(w.value)) c.a.add('writes_files', why, c.idx);
}

const SCAN_MAX_ENTRIES = 5000;
const SCAN_MAX_MS = 40;

/** For a program that follows symbolic links while it recurses (grep -R, rg -L, zip -r, cp -rL, …):
 * report any link under the starting folders that leads outside, or that the scan hit its bound. */
export function checkLinksUnder(a: Analysis, starts: Word[], cmd: number, what: string): void {
  const deadline = Math.min(performance.now() + SCAN_MAX_MS, a.budget.deadline);
  let seen = 0;
  for (const w of starts) {
    if (w.value === undefined) continue; // already reported by the plain path check
    const base = path.isAbsolute(w.value) ? [w.value] : (a.cwds ?? []).map((c) => path.resolve(c, w.value!));
    const queue = base.filter((b) => resolveInWorkspace(a.root, b).ok);
    while (queue.length > 0) {
      const dir = queue.shift()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (++seen > SCAN_MAX_ENTRIES || performance.now() > deadline) {
          a.add(
            'outside_path',
            `${what} follows symbolic links, and ${w.text} holds too many files to check them`,
            cmd,
          );
          return;
        }
        const p = path.join(dir, e.name);
        if (e.isSymbolicLink()) {
          if (!resolveInWorkspace(a.root, p).ok) {
            a.add(
              'outside_path',
              `${what} follows symbolic links, and ${path.relative(a.root, p)} leads outside the workspace`,
              cmd,
            );
            return;
          }
        } else if (e.isDirectory()) queue.push(p);
      }
    }
  }
}

/** For a program the tables do not know: any argument (or `--opt=value`) naming a protected file.
 * What such a program does with it is not known, and writing it may be exactly what it does
 * (`sometool --out sub/.vscode/tasks.json`); the sandbox keeps nested .git, .vscode and AGENTS.md
 * writable, so only this check stands between them and an unknown program. Reports nothing else. */
export function protectedArgs(a: Analysis, args: Word[], cmd: number, prog: string): void {
  for (const w of args) {
    let value = w.value;
    if (value === undefined || value === '' || value === '-') continue;
    if (value.startsWith('-')) {
      const eq = value.indexOf('=');
      if (eq < 0) continue;
      value = value.slice(eq + 1);
    }
    if (value.startsWith('~')) continue; // outside the workspace: not this check's business
    const abs = path.isAbsolute(value);
    for (const cwd of abs ? [a.root] : (a.cwds ?? [])) {
      const lexical = path.resolve(cwd, value);
      const r = resolveInWorkspace(a.root, lexical);
      for (const p of new Set([lexical, ...(r.ok ? [r.abs] : [])])) {
        const prot = protectedAbsolute(p, a.root);
        if (prot) {
          a.add('protected_path', `${prog} is given ${w.text}, which is ${prot.what}, and may write it`, cmd);
          return;
        }
      }
    }
  }
}

/** Whether every entry of a `:`-separated path list resolves inside the workspace (no report). */
export function pathListInside(a: Analysis, value: string | undefined): boolean {
  if (value === undefined || value === '' || a.cwds === null) return false;
  return value
    .split(':')
    .every(
      (entry) =>
        entry !== '' &&
        !entry.startsWith('~') &&
        (path.isAbsolute(entry) ? [a.root] : a.cwds!).every(
          (cwd) => resolveInWorkspace(a.root, path.resolve(cwd, entry)).ok,
        ),
    );
}
