// Interpreters and build/test runners. Running the project's own scripts, tests and builds is
// fine (see the note at the top of commands.ts); inline code, stdin code, package installs,
// registry fetches and files outside the workspace are not.
import fs from 'node:fs';
import path from 'node:path';
import { INTERPRETERS, PYTHON_MODULES, RUNNER_EXEC_OPTIONS, RUNNERS } from './commands.ts';
import { isInside } from '../../workspace/paths.ts';
import { checkWord, looksLikePath } from './path-args.ts';
import type { Ctx } from './state.ts';
import { literalWord, type Word } from './words.ts';
import { interpreterCode, runnerCode, runsWorkspaceCode } from './workspace-code.ts';

const v = (w: Word | undefined): string => w?.value ?? '';

/** Check path-like arguments of a runner: a script or file outside the workspace is reported. */
function checkPathArgs(c: Ctx, args: Word[]): void {
  const exec = RUNNER_EXEC_OPTIONS[c.prog];
  for (const w of args) {
    const s = w.value;
    if (s === undefined) continue; // an argument to the project's script; not a file we can know
    if (exec?.test(s)) c.a.add('hidden_command', `${c.prog} ${s} runs a command or code given in the option`, c.idx);
    if (/(^|[=,])data:/.test(s)) c.a.add('inline_code', `${s.slice(0, 40)} is code in a data: URL`, c.idx);
    // Values like --require=/tmp/x.js, -javaagent:/tmp/a.jar, --x=a,../b: check every path-like part.
    // `make PREFIX=~/x`: bash expands ~ after = in such words too.
    const parts = s.startsWith('-') ? s.split(/[=,:;]/).slice(1) : [s, ...s.split(/[=,:;]/).slice(1)];
    for (const p of parts) {
      if (looksLikePath(p) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith('//')) {
        checkWord(c.a, literalWord(p), 'exec', c.idx);
      }
    }
  }
}

export function interpreter(c: Ctx): void {
  const { a, idx, prog, args } = c;
  const spec = INTERPRETERS[prog]!;
  const cluster = prog === 'perl' || prog === 'ruby'; // -pe, -lne, -pi.bak -e …
  let noStdin = false;
  let i = 0;
  for (; i < args.length; i++) {
    const s = args[i]!.value;
    if (s === undefined || s === '-' || !s.startsWith('-')) break;
    if (s === '--') {
      i++;
      break;
    }
    const name = s.includes('=') ? s.slice(0, s.indexOf('=')) : s;
    // Single-letter flags may be bundled: `node -pe`, `perl -lne`, `python -Ic`.
    const bundled = /^-[A-Za-z]{2,}$/.test(s) && [...s.slice(1)].some((ch) => spec.inline.includes(`-${ch}`));
    // …or carry their code attached: `perl -e'…'`, `python -c'…'`.
    const attached = s.length > 2 && s[1] !== '-' && spec.inline.includes(s.slice(0, 2));
    const inlineFlag = spec.inline.includes(name) || bundled || attached;
    if (inlineFlag) {
      a.add('inline_code', `${prog} ${name} runs code given on the command line`, idx);
      checkPathArgs(c, args.slice(i + 2));
      if (cluster) inPlace(c, s, args.slice(i + 2));
      return;
    }
    if (cluster) inPlace(c, s, args.slice(i + 1));
    if (prog === 'perl' && /^-[Mm]/.test(s) && !/^[\w:=,.-]*$/.test(s.length > 2 ? s.slice(2) : v(args[i + 1]))) {
      a.add('inline_code', 'perl -M with code in the module name', idx);
    }
    if (prog === 'php' && s.startsWith('-d'))
      a.add('hidden_command', 'php -d changes settings that can load code', idx);
    if (/^--inspect/.test(s)) a.add('network', `${prog} ${s} opens a debugger port`, idx);
    if (prog === 'python' && s.startsWith('-m')) {
      const mod = s === '-m' ? v(args[i + 1]) : s.slice(2);
      const after = args.slice(s === '-m' ? i + 2 : i + 1);
      if (mod === 'pip') return runner({ ...c, prog: 'pip', args: after });
      if (!PYTHON_MODULES.has(mod)) a.add('unknown_command', `python -m ${mod || '(module)'}`, idx);
      if (mod === 'timeit') a.add('inline_code', 'python -m timeit runs the code given as its arguments', idx);
      // The working folder comes first on sys.path: a workspace `unittest.py` or `json/` wins.
      interpreterCode(c, `the module ${mod || '(module)'} (found in the workspace first)`);
      checkPathArgs(c, after);
      return;
    }
    // These run without a script (tests, package.json scripts, version): no code from stdin.
    if (/^(-V|--version|-h|--help)$/.test(s) || (prog === 'node' && /^(-v|--test|--run|--check|-c)$/.test(s))) {
      noStdin = true;
    }
    if (prog === 'node' && /^--(test|run)$/.test(s)) interpreterCode(c, `${s} (the project's tests or scripts)`);
    const val =
      spec.valueOpts?.includes(name) && !s.includes('=')
        ? v(args[++i])
        : spec.valueOpts?.includes(s.slice(0, 2)) && s[1] !== '-'
          ? s.slice(2)
          : // -I/tmp/lib
            s.includes('=')
            ? s.slice(s.indexOf('=') + 1)
            : '';
    if (val.startsWith('data:')) a.add('inline_code', `${prog} ${name} loads code from a data: URL`, idx);
    else if (/^https?:/.test(val)) a.add('network', `${prog} ${name} loads code from the network`, idx);
    else if (looksLikePath(val)) {
      checkWord(a, literalWord(val), 'exec', idx);
      if (/^(-r|--require|--import|--loader|--experimental-loader|-M|-m)$/.test(name)) interpreterCode(c, val);
    }
  }
  const script = args[i];
  if (!script && noStdin) return;
  if (!script || script.value === '-') {
    a.add('inline_code', `${prog} with no script reads code from standard input`, idx);
    return;
  }
  checkWord(a, script, 'exec', idx); // the project's own script: fine when inside the workspace
  interpreterCode(c, `the script ${script.text}`);
  checkPathArgs(c, args.slice(i + 1));
}

/** perl/ruby -i: edit the named files in place. */
function inPlace(c: Ctx, flag: string, rest: Word[]): void {
  if (!/^-[lnpaswWTtcuU0-9]*i/.test(flag)) return;
  c.a.add('writes_files', `${c.prog} -i edits files in place`, c.idx);
  for (const w of rest) if (!v(w).startsWith('-')) checkWord(c.a, w, 'write', c.idx);
}

const NETWORK_RUN = /^(https?|git|git\+\w+|github|npm|jsr):/;

export function runner(c: Ctx): void {
  const { a, idx, prog, args } = c;
  const spec = RUNNERS[prog]!;
  const subIndex = args.findIndex((w) => !v(w).startsWith('-') && !v(w).startsWith('+'));
  const sub = subIndex >= 0 ? args[subIndex]! : undefined;
  const subName = sub?.value;
  const rest = subIndex >= 0 ? args.slice(subIndex + 1) : [];
  if (
    (prog === 'bun' || prog === 'deno') &&
    args.some((w) => /^(-e|--eval|-p|--print)$/.test(v(w)) || (prog === 'deno' && subName === 'eval'))
  ) {
    a.add('inline_code', `${prog} runs code given on the command line`, idx);
    return;
  }
  if (sub && subName === undefined) {
    a.add('unknown_command', `${prog} ${sub.text}: the subcommand is an expansion`, idx);
    return;
  }
  const install = (why: string): void => {
    a.add('network', why, idx);
    a.add('writes_files', why, idx);
  };
  // Any word before `--` may be the subcommand (`npm --prefix . install x`): over-report, never miss.
  const dashes = args.findIndex((w) => v(w) === '--');
  const head = dashes < 0 ? args : args.slice(0, dashes);
  const hit = (list: string[] | undefined): string | undefined =>
    head.find((w) => w.value !== undefined && list?.includes(w.value))?.value;
  if (subName && spec.fetchRun?.includes(subName)) return packageRun(c, rest);
  const installs = hit(spec.install);
  if (installs) install(`${prog} ${installs} installs or fetches packages`);
  else if (!subName && spec.bare === 'install') install(`${prog} with no command installs dependencies`);
  const writes = hit(spec.writes);
  if (writes) a.add('writes_files', `${prog} ${writes} changes files`, idx);
  if (prog === 'go' && rest.some((w) => /@/.test(v(w)))) install('go fetches a module version from the network');
  if (/^(make|gmake)$/.test(prog) && args.some((w) => /^(-p|--print-data-base)$/.test(v(w)))) {
    a.add('env_dump', 'make -p prints every variable, the environment included', idx);
  }
  if (/^(npm|pnpm|yarn)$/.test(prog) && /^(run|run-script)$/.test(subName ?? '') && /^(env)$/.test(v(rest[0]))) {
    a.add('env_dump', `${prog} run env prints the environment`, idx);
  }
  if (/^(npm|pnpm|yarn)$/.test(prog) && subName === 'config' && /^(get|list|ls)$/.test(v(rest[0]))) {
    a.add('credential_read', `${prog} config ${v(rest[0])} can print registry tokens`, idx);
  }
  if (prog === 'go' && subName === 'env' && rest.some((w) => v(w) === '-w' || v(w) === '-u')) {
    a.add('writes_files', 'go env -w changes the go configuration', idx);
  }
  if ((prog === 'deno' || prog === 'bun') && rest.some((w) => NETWORK_RUN.test(v(w)))) {
    a.add('network', `${prog} runs code from the network`, idx);
  }
  if (
    spec.alwaysWrites ||
    (spec.writeFlags ?? []).some((f) => args.some((w) => v(w) === f || v(w).startsWith(`${f}=`)))
  ) {
    a.add('writes_files', `${prog} rewrites files`, idx);
  }
  runnerCode(c, subName);
  checkPathArgs(c, args);
}

/** npx/bunx/npm exec: fine for a package installed in the workspace, otherwise it downloads it. */
export function packageRun(c: Ctx, args: Word[]): void {
  const { a, idx, prog } = c;
  let i = 0;
  for (; i < args.length; i++) {
    const s = args[i]!.value;
    if (s === undefined || !s.startsWith('-')) break;
    if (s === '--') {
      i++;
      break;
    }
    if (/^(-p|--package)(=|$)/.test(s) || s === '-y' || s === '--yes') {
      a.add('network', `${prog} ${s} may download a package`, idx);
      if ((!s.includes('=') && s.startsWith('-p')) || s === '--package') i++;
    } else if (s === '-c' || s === '--call') {
      a.add('inline_code', `${prog} ${s} runs a command string`, idx);
      i++;
    }
  }
  const pkg = args[i];
  if (!pkg) return;
  const name = pkg.value;
  const local =
    name !== undefined &&
    prog !== 'uvx' &&
    /^[@\w][\w./-]*$/.test(name) &&
    !/.@/.test(name) &&
    localBin(c, name.split('/').pop()!);
  if (!local) a.add('network', `${prog} ${pkg.text} is not installed in the workspace: it would be downloaded`, idx);
  else runsWorkspaceCode(a, idx, `${prog} ${name} runs a program installed in the workspace (node_modules/.bin)`);
  checkPathArgs(c, args.slice(i + 1));
}

/** npx looks in node_modules/.bin from the working folder up; only folders inside the workspace count. */
function localBin(c: Ctx, bin: string): boolean {
  const root = c.a.root;
  const starts = c.a.cwds ?? [root];
  return starts.every((start) => {
    for (let d = start; isInside(root, d); d = path.dirname(d)) {
      try {
        if (fs.statSync(path.join(d, 'node_modules', '.bin', bin)).isFile()) return true;
      } catch {
        // not here; try the parent
      }
      if (d === root) break;
    }
    return false;
  });
}
