// Shell builtins and system commands with rules of their own: cd (moves where relative paths
// resolve), eval/source/trap/alias (run code from strings), kill, set/export (environment), …
import { dangerousEnv } from './commands.ts';
import { checkValue, checkWord } from './path-args.ts';
import { writesFilesFoundAtRunTime } from './programs.ts';
import { type Ctx, innerScript, splitArgs } from './state.ts';
import { literalWord, type Word } from './words.ts';

function show(w: Word): string {
  return w.value ?? w.text;
}

export const BUILTINS: Record<string, (c: Ctx) => void> = {
  hash: (c) => {
    if (c.args.some((w) => w.value === undefined || /^-\w*p/.test(w.value))) {
      c.a.add('hidden_command', 'hash -p makes a command name run another program', c.idx);
    }
  },
  cd,
  pushd: cd,
  popd: cd,
  eval: evalBuiltin,
  source,
  '.': source,
  alias,
  trap,
  kill,
  su: suLike,
  runuser: suLike,
  sudoedit: (c) => {
    c.a.add('privilege', 'sudoedit edits files as another user', c.idx);
    c.a.add('writes_files', 'sudoedit edits files', c.idx);
  },
  set: (c) => {
    if (c.args.length === 0) c.a.add('env_dump', 'set with no arguments prints every variable', c.idx);
  },
  printenv: (c) => c.a.add('env_dump', `printenv ${c.args.map(show).join(' ')} prints the environment`.trim(), c.idx),
  export: exportLike,
  declare: exportLike,
  typeset: exportLike,
  readonly: exportLike,
  compgen: (c) => {
    if (c.args.some((w) => w.value === undefined || /^-.*[veA]/.test(w.value))) {
      c.a.add('env_dump', 'compgen lists variable names', c.idx);
    }
  },
  disown: (c) => c.a.add('background', 'disown lets jobs outlive the command', c.idx),
  systemctl: (c) => {
    const sub = c.args.find((w) => !w.value?.startsWith('-'));
    if (
      sub?.value &&
      /^(poweroff|reboot|halt|kexec|suspend|hibernate|rescue|emergency|isolate|default)$/.test(sub.value)
    ) {
      c.a.add('destructive', `systemctl ${sub.value} stops the machine`, c.idx);
    } else c.a.add('unknown_command', 'systemctl', c.idx);
  },
  init: (c) => c.a.add('destructive', 'init changes the run level', c.idx),
  parallel,
};

function evalBuiltin(c: Ctx): void {
  c.a.add('inline_code', 'eval runs its arguments as shell code', c.idx);
  if (c.args.length === 0) return;
  const all = c.args.every((w) => w.value !== undefined);
  innerScript(c, all ? literalWord(c.args.map(show).join(' ')) : c.args.find((w) => w.value === undefined)!, 'eval');
}

function source(c: Ctx): void {
  c.a.add('inline_code', `${c.prog} runs a file's contents in this shell`, c.idx);
  if (c.args[0]) checkWord(c.a, c.args[0], 'read', c.idx);
}

function alias(c: Ctx): void {
  if (c.args.some((w) => w.value === undefined || w.value.includes('='))) {
    c.a.add('inline_code', 'alias defines a command that runs other code', c.idx);
  }
}

function trap(c: Ctx): void {
  const pos = c.args.filter((w) => !(w.value !== undefined && /^-[lp-]*$/.test(w.value) && w.value !== '-'));
  const action = pos[0];
  if (!action || pos.length < 2 || action.value === '-' || action.value === '') return;
  c.a.add('inline_code', 'trap runs a command string on a signal', c.idx);
  innerScript(c, action, 'trap');
}

function suLike(c: Ctx): void {
  const { options } = splitArgs(c.args, 'cgGsuw', [
    '--command',
    '--session-command',
    '--shell',
    '--group',
    '--supp-group',
    '--user',
    '--whitelist-environment',
  ]);
  c.a.add('privilege', `${c.prog} runs a shell as another user`, c.idx);
  c.a.add('inline_code', `${c.prog} runs a shell`, c.idx);
  const code = options.find((o) => ['-c', '--command', '--session-command'].includes(o.name))?.value;
  if (code) innerScript(c, code, c.prog);
}

function exportLike(c: Ctx): void {
  const assigns = c.args.filter((w) => w.value === undefined || !w.value.startsWith('-'));
  if (assigns.length === 0) c.a.add('env_dump', `${c.prog} without names lists variables`, c.idx);
  for (const w of assigns) {
    const name = (w.value ?? w.text).split('=')[0]!;
    if (dangerousEnv(name)) c.a.add('dangerous_env', `${c.prog} ${name} changes what programs load or run`, c.idx);
  }
}

function cd(c: Ctx): void {
  const { a, idx, prog } = c;
  const { positional } = splitArgs(c.args);
  const target = positional[0];
  const unknownTarget =
    prog === 'popd' ||
    target?.value === '-' ||
    (prog === 'pushd' && (target === undefined || /^[+-]\d+$/.test(target.value ?? '')));
  if (unknownTarget || (target?.value === undefined && target !== undefined)) {
    a.add('outside_path', `${c.cmd.text}: the folder it moves to cannot be known`, idx);
    a.cwds = null;
    return;
  }
  const w = target ?? literalWord(a.home);
  const res = checkValue(a, w.value!, w.glob, 'cd', idx, w.text);
  if (a.cwds === null) return;
  // `cd` may fail and the line go on (`cd x; rm y`): keep the folders we may still be in.
  const next = new Set([...a.cwds, ...res.map((r) => r.abs)]);
  a.cwds = next.size > 8 ? null : [...next];
}

function kill(c: Ctx): void {
  const targets: string[] = [];
  let signalSeen = false;
  for (let i = 0; i < c.args.length; i++) {
    const v = c.args[i]!.value ?? '?';
    if (v === '--') {
      targets.push(...c.args.slice(i + 1).map(show));
      break;
    }
    if (v === '-l' || v === '-L') return;
    if (v === '-s' || v === '-n') {
      i++;
      signalSeen = true;
    } else if (v.startsWith('-') && !signalSeen) signalSeen = true;
    else targets.push(v);
  }
  if (targets.includes('-1')) c.a.add('destructive', 'kill -1 signals every process the user owns', c.idx);
  else c.a.add('unknown_command', 'kill signals other processes', c.idx);
}

function parallel(c: Ctx): void {
  const { a, idx, args } = c;
  a.add('hidden_command', 'parallel builds commands from its input', idx);
  const valued = [
    '-j',
    '-P',
    '-n',
    '-N',
    '-a',
    '-S',
    '-L',
    '-l',
    '-d',
    '-E',
    '-I',
    '--jobs',
    '--arg-file',
    '--sshlogin',
    '--delimiter',
    '--results',
    '--joblog',
    '--timeout',
    '--tmpdir',
    '--workdir',
    '--colsep',
  ];
  let i = 0;
  for (; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined || !v.startsWith('-')) break;
    if (/^(-S|--sshlogin)/.test(v)) a.add('network', 'parallel -S runs commands on other hosts', idx);
    if (valued.includes(v)) i++;
  }
  const end = args.findIndex((w, j) => j >= i && /^:::+\+?$/.test(w.value ?? ''));
  const tmpl = args.slice(i, end < 0 ? args.length : end);
  if (tmpl.length === 0) return;
  const all = tmpl.every((w) => w.value !== undefined);
  const first = a.commands.length;
  innerScript(c, all ? literalWord(tmpl.map(show).join(' ')) : tmpl.find((w) => w.value === undefined)!, 'parallel');
  writesFilesFoundAtRunTime(c, first, 'parallel');
}
