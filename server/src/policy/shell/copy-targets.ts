// What a copy, move, link or sync creates, beyond the destination word the line shows. Copying into
// a folder creates `dest/<name of the source>`, which may be a protected file (`cp x/AGENTS.md sub/`);
// copying a folder's tree creates whatever that tree holds when the command runs (`cp -r evil/. .`
// plants evil/.git/hooks or evil/.vscode wherever it lands), which no check of the line can list.
import fs from 'node:fs';
import path from 'node:path';
import { checkWord, expandGlob } from './path-args.ts';
import type { Ctx, Option } from './state.ts';
import { literalWord, type Word } from './words.ts';

/** Options that make cp / rsync copy folders with everything in them. mv always moves the tree. */
const RECURSIVE: Record<string, RegExp> = {
  cp: /^(-r|-R|-a|--recursive|--archive)$/,
  rsync: /^(-r|-a|-d|--recursive|--archive|--dirs)$/,
};

export interface CopyLine {
  sources: Word[];
  /** The destination word (`-t DIR`, or the last positional). */
  dest: Word | undefined;
  /** The destination was given with -t / --target-directory: always a folder. */
  targetDirectory: boolean;
  options: Option[];
}

/** For cp, mv, ln, install and rsync: check the files they create under a folder destination, and
 * report a folder tree copied or moved (its files are decided when the command runs). */
export function checkCopyTargets(c: Ctx, line: CopyLine): void {
  const { a, idx, prog } = c;
  const { sources, dest, options } = line;
  if (!dest || dest.value === undefined) return; // reported by the destination's own write check
  const destValue = dest.value;
  const recursive = prog === 'mv' || prog === 'ditto' || options.some((o) => RECURSIVE[prog]?.test(o.name));
  const parents = prog === 'cp' && options.some((o) => o.name === '--parents');
  const noTarget = options.some((o) => o.name === '-T' || o.name === '--no-target-directory');
  const destIsDir =
    !noTarget &&
    (line.targetDirectory ||
      sources.length > 1 ||
      /(^|\/)\.{0,2}$/.test(destValue) ||
      folders(c, destValue).some((f) => isDir(f)));
  const tree = (shown: string): void =>
    a.add(
      'unknown_targets',
      `${prog}${recursive && prog !== 'mv' ? ' -r' : ''} ${prog === 'mv' ? 'moves' : 'copies'} the folder ${shown} ` +
        `to ${dest.text}: the files it creates are whatever that folder holds when it runs (.git/hooks, .vscode, ` +
        `AGENTS.md at any depth cannot be ruled out)`,
      idx,
    );
  for (const src of sources) {
    if (src.value === undefined) {
      if (destIsDir || recursive)
        a.add(
          'unknown_targets',
          `${prog} ${src.text} is an expansion: what it creates in ${dest.text} is decided when it runs`,
          idx,
        );
      continue;
    }
    for (const lexical of folders(c, src.value)) {
      const matches = src.glob ? expandGlob(lexical) : [lexical];
      if (matches === undefined) {
        a.add('unknown_targets', `${prog} ${src.text} matches too many files to check what it creates`, idx);
        continue;
      }
      for (const m of matches) {
        const st = statBoth(m);
        if (src.glob && m === lexical && !st.exists) continue; // an unmatched pattern copies nothing
        if (st.dir && prog !== 'ln' && prog !== 'install') {
          if (recursive) tree(src.glob ? `${path.relative(a.root, m) || '.'} (from ${src.text})` : src.text);
          continue; // without -r, cp and rsync skip folders
        }
        if (!destIsDir) continue; // the destination word itself is the file: already checked
        const name = parents ? (src.glob ? path.relative(path.dirname(lexical), m) : src.value) : path.basename(m);
        if (name === '' || name === '.' || name === '..') continue;
        checkWord(a, literalWord(path.join(destValue, name)), 'write', idx);
      }
    }
  }
}

/** The absolute paths a word may name, one per folder the shell may be in. */
function folders(c: Ctx, value: string): string[] {
  if (path.isAbsolute(value)) return [value];
  return (c.a.cwds ?? []).map((cwd) => path.resolve(cwd, value));
}

/** A folder by its link or by what it leads to (cp follows a link named on the line). */
function statBoth(p: string): { exists: boolean; dir: boolean } {
  let exists = false;
  let dir = false;
  for (const f of [fs.lstatSync, fs.statSync]) {
    try {
      const st = f(p);
      exists = true;
      if (st.isDirectory()) dir = true;
    } catch {
      // missing (or a dangling link): not a folder now
    }
  }
  return { exists, dir };
}

function isDir(p: string): boolean {
  return statBoth(p).dir;
}
