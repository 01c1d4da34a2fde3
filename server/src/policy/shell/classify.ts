// Classifying one simple command: record it, check its environment prefixes and name, then apply
// what is known about the program (commands.ts tables, per-program rules). Wrappers (env, sudo,
// timeout, xargs, …) are unwrapped here and their inner command classified as a command of its own.
import path from 'node:path';
import {
  DESTRUCTIVE,
  INTERPRETERS,
  NETWORK,
  NO_FILE_ARGS,
  PACKAGE_RUNNERS,
  PRIVILEGE,
  READERS,
  RUNNERS,
  SHELLS,
  SYSTEM_BIN_DIRS,
  WRAPPERS,
  WRITERS,
  dangerousEnv,
  type WrapperSpec,
} from './commands.ts';
import { git } from './git.ts';
import { ARCHIVES } from './archives.ts';
import { BUILTINS } from './builtins.ts';
import { checkValue, checkWord, pathListInside, protectedArgs, writeCheck } from './path-args.ts';
import { PROGRAMS, network, reader, writer, writesFilesFoundAtRunTime } from './programs.ts';
import { interpreter, packageRun, runner } from './runners.ts';
import { type Analysis, type Cmd, type Ctx, innerScript, type Option, type Scope, splitArgs } from './state.ts';
import { awk, sed } from './text-tools.ts';
import { pathLookupCode, runsWorkspaceCode } from './workspace-code.ts';
import { literalWord, type Word } from './words.ts';

export type { Cmd };

/** Record `cmd` as a SimpleCommand, classify it, and return its index. */
export function runCommand(a: Analysis, scope: Scope, cmd: Cmd): number {
  if (a.overTime()) throw new Error('analysis took too long');
  const idx = a.commands.length;
  const dyn = cmd.args.flatMap((w, i) => (w.value === undefined ? [i] : []));
  a.commands.push({
    name: cmd.name.value !== undefined && !cmd.name.glob ? cmd.name.value : undefined,
    args: cmd.args.map(show),
    env: cmd.env.map((e) => ({ name: e.name, value: show(e.value) })),
    via: cmd.via,
    text: cmd.text,
    ...(dyn.length > 0 ? { dynamicArgs: dyn } : {}),
  });
  for (const e of cmd.env) {
    // PYTHONPATH=src and the like only add the project's own code.
    if (PROJECT_PATH_VARS.has(e.name) && pathListInside(a, e.value.value)) continue;
    if (dangerousEnv(e.name))
      a.add('dangerous_env', `${e.name}=${e.value.text} changes what the program loads or runs`, idx);
  }
  const name = cmd.name.value;
  if (name === undefined || cmd.name.glob) {
    a.add('dynamic_command', `the command name ${cmd.name.text} is an expansion: what runs is not known`, idx);
    return idx;
  }
  const prog = programOf(a, name, idx);
  if (prog === undefined) return idx;
  // A function defined earlier at the top level runs instead of a program; its body was analysed.
  if (scope.functions.has(name) && !known(prog)) return idx;
  const ctx: Ctx = { a, scope, idx, prog, cmd, args: cmd.args, run: (inner) => runCommand(a, scope, inner) };
  dispatch(ctx);
  return idx;
}

const PROJECT_PATH_VARS = new Set(['PYTHONPATH', 'NODE_PATH', 'RUBYLIB', 'PERL5LIB', 'PERLLIB', 'CLASSPATH']);

function show(w: Word): string {
  return w.value ?? w.text;
}

/** The program a name runs: `rm`, `/usr/bin/rm` → rm. A path elsewhere is a script: checked as a
 * file to run (a workspace script is fine) and undefined is returned. */
function programOf(a: Analysis, name: string, idx: number): string | undefined {
  if (name === '') {
    a.add('unknown_command', 'a command with no name', idx);
    return undefined;
  }
  if (!name.includes('/')) {
    pathLookupCode(a, name, idx);
    return normalize(name);
  }
  if (path.isAbsolute(name) && SYSTEM_BIN_DIRS.has(path.dirname(path.normalize(name)))) {
    return normalize(path.basename(name));
  }
  checkValue(a, name, false, 'exec', idx, name);
  runsWorkspaceCode(a, idx, `${name} is a program named by its path: it runs whatever that file is`);
  return undefined;
}

function normalize(n: string): string {
  if (/^(python|pypy)[0-9.]*$/.test(n)) return 'python';
  if (/^pip[0-9.]*$/.test(n)) return 'pip';
  if (/^perl[0-9.]*$/.test(n)) return 'perl';
  if (/^ruby[0-9.]*$/.test(n)) return 'ruby';
  if (n === 'gawk' || n === 'mawk' || n === 'nawk') return 'awk';
  if (n === 'gsed') return 'sed';
  return n;
}

const SPECIAL: Record<string, (c: Ctx) => void> = { git, sed, awk, ...BUILTINS, ...PROGRAMS, ...ARCHIVES };

/** Whether the name is a program the tables know (a function of that name does not hide it). */
function known(prog: string): boolean {
  return (
    prog in SPECIAL ||
    prog in WRAPPERS ||
    SHELLS.has(prog) ||
    prog in INTERPRETERS ||
    prog in RUNNERS ||
    PACKAGE_RUNNERS.has(prog) ||
    NETWORK.has(prog) ||
    DESTRUCTIVE.has(prog) ||
    WRITERS.has(prog) ||
    READERS.has(prog) ||
    NO_FILE_ARGS.has(prog) ||
    PRIVILEGE.has(prog) ||
    /^mkfs/.test(prog)
  );
}

/** Builtins that take variable names and evaluate a name's array subscript as arithmetic:
 * `read 'a[$(id)]'` or `printf -v "$name"` (name holding `a[$(id)]`) runs id. */
function subscriptNames(prog: string, args: Word[]): Word[] {
  const after = (flag: string): Word[] => args.flatMap((w, i) => (i > 0 && args[i - 1]!.value === flag ? [w] : []));
  if (prog === 'printf' || prog === 'wait') return after(prog === 'printf' ? '-v' : '-p');
  if (prog === 'test' || prog === '[') return after('-v');
  if (/^(read|unset|mapfile|readarray|getopts|let|declare|local|export|typeset|readonly)$/.test(prog)) {
    return args.filter((w) => w.value === undefined || !w.value.startsWith('-'));
  }
  return [];
}

function dispatch(c: Ctx): void {
  const { a, prog, idx } = c;
  if (subscriptNames(prog, c.args).some((w) => w.value === undefined || /\[[^\]]*(\$\(|`|\$\{)/.test(w.value))) {
    a.add('hidden_command', `${prog} evaluates a variable name's array subscript, which can run commands`, idx);
  }
  const special = SPECIAL[prog];
  if (special) return special(c);
  const wrap = WRAPPERS[prog];
  if (wrap) return wrapper(c, wrap);
  if (SHELLS.has(prog)) return shell(c);
  if (prog in INTERPRETERS) return interpreter(c);
  if (prog in RUNNERS) return runner(c);
  if (PACKAGE_RUNNERS.has(prog)) return packageRun(c, c.args);
  if (NETWORK.has(prog)) return network(c);
  if (DESTRUCTIVE.has(prog) || /^mkfs/.test(prog))
    return a.add('destructive', `${prog} is irreversible or machine-wide`, idx);
  if (WRITERS.has(prog)) return writer(c);
  if (READERS.has(prog)) return reader(c);
  if (NO_FILE_ARGS.has(prog)) return;
  a.add('unknown_command', `${prog} is not known to be harmless`, idx);
  protectedArgs(a, c.args, idx, prog);
}

const WRAPPER_REASON = {
  privilege: 'runs a command as another user',
  background: 'keeps running after the command returns',
  hidden_command: 'runs a command whose arguments or code are not visible here',
};

function wrapper(c: Ctx, spec: WrapperSpec): void {
  const { a, idx, prog, args } = c;
  for (const k of spec.adds ?? []) a.add(k, `${prog} ${WRAPPER_REASON[k]}`, idx);
  const env: Cmd['env'] = [];
  const opts: Option[] = [];
  let i = 0;
  for (; i < args.length && prog !== 'busybox'; i++) {
    const v = args[i]!.value;
    if (v === undefined) break;
    if (v === '--') {
      i++;
      break;
    }
    if (v === '-' && prog === 'env') {
      clearsEnvironment(c, 'env -');
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      if (eq >= 0) opts.push({ name: v.slice(0, eq), value: literalWord(v.slice(eq + 1)) });
      else opts.push({ name: v, value: spec.long?.includes(v) ? args[++i] : undefined });
    } else if (v.startsWith('-') && v.length > 1) {
      const { options } = splitArgs([args[i]!, ...(args[i + 1] ? [args[i + 1]!] : [])], spec.short ?? '');
      opts.push(...options);
      if (options.some((o) => o.value === args[i + 1] && o.value !== undefined)) i++;
    } else if (spec.assignments && /^[A-Za-z_]\w*=/.test(v)) {
      const eq = v.indexOf('=');
      env.push({ name: v.slice(0, eq), value: literalWord(v.slice(eq + 1)) });
    } else break;
  }
  const has = (...names: string[]): Option | undefined => opts.find((o) => names.includes(o.name));
  const skipped = args.slice(i, i + (spec.skip ?? 0));
  i += skipped.length;
  if (prog === 'flock') for (const w of skipped) writeCheck(c, w, 'flock creates its lock file');
  for (const o of opts) {
    if (prog === 'env' && (o.name === '-C' || o.name === '--chdir') && o.value) checkWord(a, o.value, 'cd', idx);
    if (prog === 'env' && (o.name === '-u' || o.name === '--unset') && o.value) unsetsVariable(c, o.value, 'env -u');
    if ((prog === 'env' && ['-i', '--ignore-environment'].includes(o.name)) || (prog === 'exec' && o.name === '-c'))
      clearsEnvironment(c, `${prog} ${o.name}`);
    if (['-o', '--output'].includes(o.name) && o.value && ['time', 'strace', 'ltrace'].includes(prog)) {
      writeCheck(c, o.value, `${prog} writes its output to a file`);
    }
    if (prog === 'xargs' && (o.name === '-a' || o.name === '--arg-file') && o.value) checkWord(a, o.value, 'read', idx);
    if (prog === 'sudo' && o.name === '-b') a.add('background', 'sudo -b runs the command in the background', idx);
    if (prog === 'sudo' && o.name === '-e') a.add('writes_files', 'sudo -e edits files as root', idx);
  }
  if (prog === 'command' && has('-v', '-V')) return; // looks a name up, runs nothing
  const split = has('-S', '--split-string');
  if (prog === 'env' && split?.value) {
    a.add('hidden_command', 'env -S splits a string into a command', idx);
    innerScript(c, split.value, 'env -S');
    return;
  }
  const via = [...c.cmd.via, prog];
  if (prog === 'flock' && (args[i]?.value === '-c' || args[i]?.value === '--command')) {
    a.add('inline_code', 'flock -c runs a shell command string', idx);
    if (args[i + 1]) innerScript(c, args[i + 1]!, 'flock -c');
    return;
  }
  if (i >= args.length) {
    if (prog === 'env') a.add('env_dump', 'env with no command prints the environment', idx);
    if ((prog === 'sudo' || prog === 'doas') && has('-s', '-i', '--shell', '--login')) {
      a.add('inline_code', `${prog} opens an interactive shell`, idx);
    }
    return;
  }
  const rest = args.slice(i);
  if (prog === 'watch' && !has('-x', '--exec')) {
    // watch runs its arguments joined as a `sh -c` string.
    const joined = rest.every((w) => w.value !== undefined) ? literalWord(rest.map(show).join(' ')) : rest[0]!;
    innerScript(c, joined, 'watch');
    return;
  }
  const first = a.commands.length;
  c.run({ name: rest[0]!, args: rest.slice(1), env, text: rest.map((w) => w.text).join(' '), via, stdin: c.cmd.stdin });
  if (prog === 'xargs') writesFilesFoundAtRunTime(c, first, 'xargs');
}

/** Removing a variable the command environment sets on purpose (the git settings that run nothing,
 * inert-git.ts) undoes it for everything the command starts: as dangerous as setting it. */
function unsetsVariable(c: Ctx, name: Word, how: string): void {
  if (name.value === undefined || dangerousEnv(name.value))
    c.a.add('dangerous_env', `${how} ${name.text} removes a variable that changes what programs run`, c.idx);
}

function clearsEnvironment(c: Ctx, how: string): void {
  c.a.add(
    'dangerous_env',
    `${how} clears the environment, which removes the git settings that keep a repository's configured programs from running`,
    c.idx,
  );
}

function shell(c: Ctx): void {
  const { a, idx, args, prog } = c;
  let i = 0;
  let inline = false;
  let stdin = false;
  for (; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined) break;
    if (v === '--' || v === '-') {
      i++;
      break;
    }
    if (v === '--rcfile' || v === '--init-file') {
      if (args[i + 1]) checkWord(a, args[++i]!, 'read', idx);
      continue;
    }
    if (v.startsWith('--')) continue;
    if (!/^[-+][A-Za-z]+$/.test(v)) break;
    if (v.startsWith('-') && v.includes('c')) inline = true;
    if (v.includes('s') || v.includes('i')) stdin = true;
    if (/[oO]/.test(v)) i++; // -o option / -O shopt take a name
  }
  const first = args[i];
  if (inline) {
    a.add('inline_code', `${prog} -c runs a command string`, idx);
    if (first) innerScript(c, first, `${prog} -c`);
  } else if (first && !stdin) {
    checkWord(a, first, 'exec', idx); // a script file: fine when it is in the workspace
    runsWorkspaceCode(a, idx, `${prog} runs the script ${first.text}, code the workspace controls`);
  } else {
    a.add('inline_code', `${prog} reads commands from standard input`, idx);
    if (c.cmd.stdin) innerScript(c, c.cmd.stdin, `${prog} <<`);
  }
}
