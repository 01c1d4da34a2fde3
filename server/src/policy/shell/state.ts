// The mutable state of one analysis: the commands and concerns found so far, where relative paths
// resolve (the working folders `cd` may have moved to), and what the script itself defines.
import fs from 'node:fs';
import type { AnalyzeOptions, Concern, ConcernKind, SimpleCommand } from './types.ts';
import type { Budget } from './parse.ts';
import type { Word } from './words.ts';

/** Where a nested script was found: the wrappers around it and how many shells deep it is. */
export interface Scope {
  via: string[];
  /** Nesting of `bash -c` / eval / find -exec scripts (bounded). */
  shellDepth: number;
  /** Functions defined at the top level of this script before the current point. */
  functions: Set<string>;
  /** Name of the function whose body is being walked, for self-call (fork bomb) detection. */
  inFunction?: string;
}

export const MAX_SHELL_DEPTH = 4;

export class Analysis {
  readonly commands: SimpleCommand[] = [];
  readonly concerns: Concern[] = [];
  readonly root: string;
  readonly home: string;
  readonly budget: Budget;
  /** Every folder the shell may be in when a command runs; null when unknown (`cd "$x"`, `cd -`). */
  cwds: string[] | null;
  /** Variable names the script sets (assignments, for, read, …): reading them is not an env dump. */
  readonly assigned = new Set<string>();
  /** Assigned from something other than a number: arithmetic on them can run code (`a[$(id)]`). */
  readonly tainted = new Set<string>();
  /** Loop variables set only by `for x in <literal words>`: the values `$x` can take. */
  readonly loopValues = new Map<string, Word[]>();
  /** Commands that may create or move symlinks, and commands whose path arguments were checked. */
  readonly linkMakers = new Set<number>();
  readonly pathChecked = new Set<number>();
  /** git commands run from a folder other than the workspace root. */
  readonly gitElsewhere = new Set<number>();
  unparseable = false;
  /** Parses a nested script (bash -c, eval, find -exec sh -c …) into this analysis. */
  inner: (src: string, scope: Scope, from: number) => void = () => {};

  constructor(opts: AnalyzeOptions, budget: Budget) {
    let root = opts.root;
    try {
      root = fs.realpathSync.native(opts.root);
    } catch {
      // keep as given; every path check will then fail closed
    }
    this.root = root;
    this.home = opts.home;
    this.budget = budget;
    this.cwds = [root];
  }

  add(kind: ConcernKind, detail: string, command?: number): void {
    if (kind === 'unparseable') this.unparseable = true;
    const dup = this.concerns.some((c) => c.kind === kind && c.detail === detail && c.command === command);
    if (!dup) this.concerns.push(command === undefined ? { kind, detail } : { kind, detail, command });
  }

  has(command: number, kind: ConcernKind): boolean {
    return this.concerns.some((c) => c.command === command && c.kind === kind);
  }

  overTime(): boolean {
    return performance.now() > this.budget.deadline;
  }

  /** Checks that need the whole line. */
  finish(): void {
    // A link made (or moved) earlier in the line can redirect a later path: the disk we checked
    // against is not the disk the later command will see.
    if (this.linkMakers.size > 0) {
      const first = Math.min(...this.linkMakers);
      for (const c of this.pathChecked) {
        if (c > first && !this.linkMakers.has(c)) {
          this.add(
            'outside_path',
            `paths are checked against the disk as it is now, but an earlier command ` +
              `(${this.commands[first]?.name}) may create or move symbolic links`,
            c,
          );
        }
      }
    }
    // git in a subfolder may pick up a repository (and its config) another command just wrote.
    if (this.gitElsewhere.size > 0 && this.concerns.some((c) => c.kind === 'writes_files')) {
      for (const c of this.gitElsewhere) {
        this.add(
          'hidden_command',
          'git runs in a subfolder after a command that writes files: a repository ' +
            'written there would run its configuration',
          c,
        );
      }
    }
  }
}

/** A simple command before classification: words as parsed (or as unwrapped from a wrapper). */
export interface Cmd {
  name: Word;
  args: Word[];
  env: Array<{ name: string; value: Word }>;
  text: string;
  via: string[];
  /** Literal stdin from a here-document or here-string (a shell reading it runs it). */
  stdin?: Word;
}

/** What a per-program rule gets: the analysis, the command's index and words, and a way to
 * classify an inner command (find -exec, xargs, wrappers) as a command of its own. */
export interface Ctx {
  a: Analysis;
  scope: Scope;
  idx: number;
  /** Normalised program name (basename, python3.12 → python). */
  prog: string;
  cmd: Cmd;
  args: Word[];
  run: (inner: Cmd) => number;
}

export interface Option {
  /** `-x` or `--long`. */
  name: string;
  value?: Word;
}

/** GNU-style argument split: options (anywhere until `--`) and positional words. `short` lists
 * the letters that take a value, `long` the long options that take a separate value. */
export function splitArgs(args: Word[], short = '', long: string[] = []): { options: Option[]; positional: Word[] } {
  const options: Option[] = [];
  const positional: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const v = w.value;
    if (v === undefined || v === '-' || !v.startsWith('-')) {
      positional.push(w);
    } else if (v === '--') {
      positional.push(...args.slice(i + 1));
      break;
    } else if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      if (eq >= 0) options.push({ name: v.slice(0, eq), value: optionValue(v.slice(eq + 1), w) });
      else if (long.includes(v)) options.push({ name: v, value: args[++i] });
      else options.push({ name: v });
    } else {
      for (let j = 1; j < v.length; j++) {
        const letter = v[j]!;
        if (short.includes(letter)) {
          const rest = v.slice(j + 1);
          options.push({ name: `-${letter}`, value: rest !== '' ? optionValue(rest, w) : args[++i] });
          break;
        }
        options.push({ name: `-${letter}` });
      }
    }
  }
  return { options, positional };
}

/** An option's attached value as a word (bash expands `~` after `=` in such words too). */
function optionValue(s: string, from: Word): Word {
  return { text: s, value: s, glob: from.glob };
}

/** Parse and analyse a script string found in a command (bash -c, eval, trap, su -c, …). */
export function innerScript(c: Ctx, w: Word, label: string): void {
  if (w.value === undefined) {
    c.a.add('hidden_command', `${label} runs ${w.text}, an expansion: its commands cannot be known`, c.idx);
    return;
  }
  const scope: Scope = {
    via: [...c.cmd.via, label.split(' ')[0]!],
    shellDepth: c.scope.shellDepth + 1,
    functions: new Set(),
  };
  // An inner script's `cd` only moves the inner shell; keep the outer folders for what follows.
  const saved = c.a.cwds;
  c.a.inner(w.value, scope, c.idx);
  c.a.cwds = saved === null || c.a.cwds === null ? null : [...new Set([...saved, ...c.a.cwds])];
}
