// Per-program rules for readers, writers and network tools: which arguments are files, which of
// them are written, and which flags make a harmless program run something (find -exec, rg --pre).
import { FIRST_ARG_NOT_PATH, LINK_MAKERS, OUTPUT_OPTIONS } from './commands.ts';
import { checkCopyTargets } from './copy-targets.ts';
import { checkLinksUnder, checkWord, looksLikePath, type Resolved, writeCheck } from './path-args.ts';
import { type Ctx, innerScript, splitArgs } from './state.ts';
import { literalWord, type Word } from './words.ts';

const v = (w: Word | undefined): string => w?.value ?? '';

/** A read-only program: every positional argument (and path-like option value) is read-checked. */
export function reader(c: Ctx, args: Word[] = c.args): void {
  const out = OUTPUT_OPTIONS[c.prog] ?? [];
  const short = out
    .filter((o) => /^-\w$/.test(o))
    .map((o) => o[1])
    .join('');
  const { options, positional } = splitArgs(
    args,
    short,
    out.filter((o) => o.startsWith('--')),
  );
  for (const o of options) {
    if (!o.value) continue;
    if (out.includes(o.name)) writeCheck(c, o.value, `${c.prog} ${o.name} writes a file`);
    else if (o.value.value === undefined || looksLikePath(o.value.value)) checkWord(c.a, o.value, 'read', c.idx);
  }
  for (const w of positional) if (w.value !== '-') checkWord(c.a, w, 'read', c.idx);
  const follows = FOLLOWS[c.prog];
  if (follows && options.some((o) => follows.test(o.name))) {
    const starts = positional.length > 1 || c.prog === 'diff' ? positional : [...positional, literalWord('.')];
    checkLinksUnder(c.a, starts, c.idx, `${c.prog} ${options.find((o) => follows.test(o.name))!.name}`);
  }
}

/** Options that make a recursive reader follow symbolic links into wherever they lead. */
const FOLLOWS: Record<string, RegExp> = {
  grep: /^(-R|--dereference-recursive)$/,
  egrep: /^(-R|--dereference-recursive)$/,
  fgrep: /^(-R|--dereference-recursive)$/,
  rg: /^(-L|--follow)$/,
  fd: /^(-L|--follow)$/,
  fdfind: /^(-L|--follow)$/,
  diff: /^(-r|--recursive)$/,
};

function innerUntil(c: Ctx, args: Word[], from: number, label: string): number {
  let end = from;
  while (end < args.length && v(args[end]) !== ';' && v(args[end]) !== '+') end++;
  const inner = args.slice(from, end);
  c.a.add('hidden_command', `${label} runs a command for each file found`, c.idx);
  if (inner.length > 0) {
    const first = c.a.commands.length;
    c.run({
      name: inner[0]!,
      args: inner.slice(1),
      env: [],
      text: inner.map((w) => w.text).join(' '),
      via: [...c.cmd.via, c.prog],
    });
    writesFilesFoundAtRunTime(c, first, label);
  }
  return end;
}

/**
 * A command given file names at run time (find -exec, fd -x, xargs, parallel) that writes files:
 * which files it changes is decided by what the search or the input turns up, which may be a
 * protected file (`find . -name settings.json -exec cp evil.json {} \;`). Commands from `first` on
 * are the inner command and whatever it runs.
 */
export function writesFilesFoundAtRunTime(c: Ctx, first: number, label: string): void {
  const writes = c.a.concerns.some((k) => k.kind === 'writes_files' && k.command !== undefined && k.command >= first);
  if (writes) {
    c.a.add(
      'unknown_targets',
      `${label} gives the command file names at run time and the command writes files: which ones is not known`,
      c.idx,
    );
  }
}

function find(c: Ctx): void {
  const { a, idx, args } = c;
  let i = 0;
  while (i < args.length && /^-(H|L|P|O\d*|D)$/.test(v(args[i]))) i += v(args[i]) === '-D' ? 2 : 1;
  const starts: Word[] = [];
  for (; i < args.length; i++) {
    const s = args[i]!.value;
    if (s !== undefined && (s.startsWith('-') || s === '(' || s === '!' || s === ',')) break;
    starts.push(args[i]!);
  }
  const followFrom = i;
  let deletes = false;
  for (; i < args.length; i++) {
    const s = v(args[i]);
    if (/^-(exec|execdir|ok|okdir)$/.test(s)) i = innerUntil(c, args, i + 1, `find ${s}`);
    else if (s === '-delete') deletes = true;
    else if (/^-(fprint|fprint0|fls|fprintf)$/.test(s) && args[i + 1]) {
      writeCheck(c, args[i + 1]!, `find ${s} writes a file`);
      i += s === '-fprintf' ? 2 : 1;
    } else if (/^-(newer|anewer|cnewer|samefile|files0-from)$/.test(s) && args[i + 1]) {
      checkWord(a, args[++i]!, 'read', idx);
    }
  }
  const roots = starts.length > 0 ? starts : [literalWord('.')];
  if (args.slice(0, followFrom).some((w) => v(w) === '-L') || args.some((w) => v(w) === '-follow')) {
    checkLinksUnder(a, roots, idx, 'find -L');
  }
  const res: Resolved[] = [];
  for (const w of roots) res.push(...checkWord(a, w, deletes ? 'write' : 'read', idx));
  if (deletes) {
    a.add('writes_files', 'find -delete deletes files', idx);
    if (res.some((r) => !r.inside)) a.add('destructive', 'find -delete outside the workspace', idx);
  }
}

function fd(c: Ctx): void {
  const i = c.args.findIndex((w) => /^(-x|--exec|-X|--exec-batch)$/.test(v(w)));
  if (i >= 0) innerUntil(c, c.args, i + 1, 'fd --exec');
  reader(c, i >= 0 ? c.args.slice(0, i) : c.args);
}

function rg(c: Ctx): void {
  c.args.forEach((w, i) => {
    const s = v(w);
    if (s.startsWith('--hostname-bin')) c.a.add('hidden_command', 'rg --hostname-bin runs a program', c.idx);
    if (s === '--pre' || s.startsWith('--pre=')) {
      c.a.add(
        'hidden_command',
        `rg ${s.startsWith('--pre=') ? s : `--pre ${c.args[i + 1]?.text ?? ''}`} runs a ` +
          'program on every file searched',
        c.idx,
      );
      // The preprocessor is a program run with each file's path: classify it as that command.
      const prog = s === '--pre' ? c.args[i + 1] : literalWord(s.slice(6));
      if (prog) c.run({ name: prog, args: [], env: [], text: prog.text, via: [...c.cmd.via, 'rg'] });
    }
  });
  reader(
    c,
    c.args.filter((w, i) => v(w) !== '--pre' && v(c.args[i - 1]) !== '--pre' && !v(w).startsWith('--pre=')),
  );
}

function jq(c: Ctx): void {
  if (c.args.some((w) => w.value === undefined || /\$ENV\b|\benv\b/.test(w.value))) {
    c.a.add('env_dump', 'the jq program reads the environment ($ENV / env)', c.idx);
  }
  reader(c);
}

function dd(c: Ctx): void {
  for (const w of c.args) {
    if (v(w).startsWith('of=')) writeCheck(c, { ...w, value: v(w).slice(3) }, 'dd writes a file');
    else if (v(w).startsWith('if=')) checkWord(c.a, { ...w, value: v(w).slice(3) }, 'read', c.idx);
    else if (w.value === undefined) checkWord(c.a, w, 'write', c.idx);
  }
}

function rsync(c: Ctx): void {
  c.args.forEach((w, i) => {
    const s = v(w);
    // -e/--rsh is run here to reach the other side; classify it as the command it is.
    const m = /^(?:-[a-zA-Z]*e|--rsh|--rsync-path)(=?)(.*)$/.exec(s);
    if (!m || (s.startsWith('--') && !/^--(rsh|rsync-path)(=|$)/.test(s))) return;
    c.a.add('hidden_command', `rsync ${s.split('=')[0]} runs a command`, c.idx);
    const value = m[1] === '=' || (m[2] !== '' && !s.startsWith('--')) ? literalWord(m[2]!) : c.args[i + 1];
    if (value) innerScript(c, value, 'rsync -e');
  });
  const remote = (w: Word): boolean => /^[^/-][^/]*:|^rsync:\/\//.test(v(w));
  if (!c.args.some(remote)) return writer(c);
  const { positional } = splitArgs(c.args, 'eTBfM', ['--rsh', '--rsync-path', '--filter', '--exclude', '--include']);
  const dest = positional[positional.length - 1];
  if (dest && !remote(dest) && positional.slice(0, -1).some(remote)) {
    writeCheck(c, dest, 'rsync writes files fetched from another host');
    c.a.add(
      'unknown_targets',
      `rsync fetches files from another host into ${dest.text}: which ones is decided there`,
      c.idx,
    );
  }
  network(c);
}

/** Options of network programs whose value is a local file written or read. */
const NET_FILES: Record<string, { write?: string[]; read?: string[] }> = {
  curl: {
    write: [
      '-o',
      '--output',
      '-D',
      '--dump-header',
      '-c',
      '--cookie-jar',
      '--trace',
      '--trace-ascii',
      '--stderr',
      '--etag-save',
      '--libcurl',
    ],
    read: [
      '-T',
      '--upload-file',
      '-K',
      '--config',
      '-b',
      '--cookie',
      '--netrc-file',
      '--etag-compare',
      '-E',
      '--cert',
      '--key',
    ],
  },
  wget: {
    write: [
      '-O',
      '--output-document',
      '-o',
      '--output-file',
      '-a',
      '--append-output',
      '-P',
      '--directory-prefix',
      '--save-cookies',
    ],
    read: ['-i', '--input-file', '--load-cookies', '--post-file', '--body-file', '--config'],
  },
  ssh: { read: ['-i', '-F', '-E'] },
  scp: { read: ['-i', '-F'] },
  sftp: { read: ['-i', '-F', '-b'] },
};

/** A network program; local files it reads (uploads, `@file`) and writes are checked too. */
export function network(c: Ctx): void {
  const { a, idx, args, prog } = c;
  a.add('network', `${prog} uses the network`, idx);
  const files = NET_FILES[prog] ?? {};
  const last = args[args.length - 1];
  if (prog === 'scp' && args.some((w) => /^-[a-zA-Z]*r/.test(v(w))) && last && !/^[^/]*:/.test(v(last))) {
    a.add(
      'unknown_targets',
      `scp -r copies folders from another host into ${last.text}: which files is decided there`,
      idx,
    );
  }
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const s = v(w);
    if (/ProxyCommand|LocalCommand|KnownHostsCommand|RemoteCommand|PermitLocalCommand/i.test(s)) {
      a.add('hidden_command', `${prog} ${s} runs a local command`, idx);
      // -o ProxyCommand=CMD (or "ProxyCommand CMD"): ssh runs CMD through the shell, here.
      const m = /^(?:-o\s*)?(ProxyCommand|LocalCommand|KnownHostsCommand)\s*(?:=|\s)\s*(.+)$/is.exec(s);
      if (m && !/^none$/i.test(m[2]!.trim())) innerScript(c, literalWord(m[2]!), `${prog} -o ${m[1]}`);
    }
    if (prog === 'curl' && /^(-O|--remote-name|--remote-name-all|-J)$/.test(s)) {
      a.add('writes_files', 'curl -O saves a file named by the server', idx);
    }
    const at = /^(?:[\w.-]+=)?@(.+)$/.exec(s); // curl -d @file, -F name=@file
    if (at && at[1] !== '-') checkWord(a, literalWord(at[1]!), 'read', idx);
    if (files.write?.includes(s) && args[i + 1]) {
      writeCheck(c, args[++i]!, `${prog} ${s} writes a file`);
    } else if (files.read?.includes(s) && args[i + 1]) {
      checkWord(a, args[++i]!, 'read', idx);
    } else if (w.value === undefined) {
      checkWord(a, w, 'read', idx);
    } else if (
      !s.startsWith('-') &&
      !at &&
      !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) &&
      !/^[^/]*:/.test(s) &&
      looksLikePath(s)
    ) {
      checkWord(a, w, prog === 'scp' && i === args.length - 1 ? 'write' : 'read', idx);
    }
  }
}

const WRITER_OPTS: Record<string, [string, string[]]> = {
  cp: ['tS', ['--target-directory', '--suffix']],
  mv: ['tS', ['--target-directory', '--suffix']],
  ln: ['tS', ['--target-directory', '--suffix']],
  install: ['tSmogC', ['--target-directory', '--mode', '--owner', '--group', '--suffix']],
  mkdir: ['m', ['--mode']],
  touch: ['rdt', ['--reference', '--date']],
  truncate: ['sr', ['--size', '--reference']],
  shred: ['ns', ['--iterations', '--size']],
  split: ['lbCnat', ['--lines', '--bytes', '--number', '--filter']],
  csplit: ['fbn', ['--prefix']],
  mktemp: ['p', ['--tmpdir']],
  rsync: ['e', ['--rsh', '--exclude', '--include', '--filter']],
  chmod: ['', []],
  setfacl: ['mMxX', []],
};

/** A program that creates, changes or deletes files: every target is write-checked. */
export function writer(c: Ctx): void {
  const { a, idx, prog } = c;
  const [short, long] = WRITER_OPTS[prog] ?? ['', []];
  const { options, positional } = splitArgs(c.args, short, long);
  if (
    LINK_MAKERS.has(prog) ||
    (prog === 'cp' &&
      options.some((o) => /^(-[rRaPds]|--recursive|--archive|--no-dereference|--symbolic-link)$/.test(o.name)))
  ) {
    a.linkMakers.add(idx);
  }
  a.add('writes_files', `${prog} writes files`, idx);
  const ref = options.some((o) => o.name === '--reference');
  let targets = FIRST_ARG_NOT_PATH.has(prog) && !ref ? positional.slice(1) : positional;
  const dest = options.find((o) => o.name === '-t' || o.name === '--target-directory')?.value;
  let sources: Word[] = [];
  if (/^(cp|mv|ln|install|rsync)$/.test(prog) && !(prog === 'install' && options.some((o) => o.name === '-d'))) {
    sources = dest ? targets : targets.slice(0, -1);
    targets = dest ? [dest] : targets.slice(-1);
    checkCopyTargets(c, { sources, dest: targets[0], targetDirectory: dest !== undefined, options });
    if (prog === 'mv') targets = [...targets, ...sources]; // moved away: removed from where they were
    for (const s of sources) checkWord(a, s, 'read', idx);
    if (prog === 'ln' && targets[0]?.value?.includes('/')) {
      // A relative symlink target is relative to the link's folder, not to the working folder.
      const dir = targets[0].value.slice(0, targets[0].value.lastIndexOf('/') + 1);
      for (const s of sources)
        if (s.value && !s.value.startsWith('/')) checkWord(a, literalWord(dir + s.value), 'read', idx);
    }
  }
  if (
    prog === 'mktemp' &&
    !options.some((o) => /^(-p|--tmpdir)$/.test(o.name)) &&
    !targets.some((t) => v(t).includes('/'))
  ) {
    a.add('outside_path', 'mktemp creates a file in the temporary folder, outside the workspace', idx);
  }
  for (const o of options) {
    if (
      o.value &&
      o.name !== '-t' &&
      o.name !== '--target-directory' &&
      (o.value.value === undefined || looksLikePath(o.value.value))
    ) {
      checkWord(a, o.value, /^(-p|--tmpdir)$/.test(o.name) ? 'write' : 'read', idx);
    }
  }
  // split/csplit name their pieces PREFIX + a suffix counted at run time (`split -a1 f AGENTS.m`
  // reaches AGENTS.md on the fourth piece): with a prefix of the model's choosing, the names are open.
  const pieces = /^c?split$/.test(prog);
  const prefix = prog === 'split' ? positional[1] : options.find((o) => /^(-f|--prefix)$/.test(o.name))?.value;
  // split --filter=COMMAND hands each piece to COMMAND through the shell: classify it as that line.
  const filter = prog === 'split' ? options.find((o) => o.name === '--filter')?.value : undefined;
  if (filter) {
    a.add('hidden_command', `split --filter runs ${filter.text} for every piece`, idx);
    innerScript(c, filter, 'split --filter');
  }
  if (pieces) {
    targets = positional.slice(0, 1); // the input: read, not written
    if (prefix) {
      checkWord(a, prefix, 'write', idx);
      a.add('unknown_targets', `${prog} names its pieces ${prefix.text}… with suffixes counted at run time`, idx);
    } else checkWord(a, literalWord(prog === 'split' ? 'xaa' : 'xx00'), 'write', idx);
  }
  const res = targets.flatMap((t) => checkWord(a, t, pieces ? 'read' : 'write', idx));
  const deref = options.some((o) =>
    /^(-L|--dereference|--copy-links|-k|--copy-dirlinks|--copy-unsafe-links)$/.test(o.name),
  );
  if (deref && /^(cp|rsync)$/.test(prog)) checkLinksUnder(a, sources, idx, `${prog} --dereference`);
  if (deref && /^(chmod|chown|chgrp)$/.test(prog)) checkLinksUnder(a, targets, idx, `${prog} -L`);
  const recursive = options.some((o) => /^(-r|-R|--recursive)$/.test(o.name));
  if (options.some((o) => o.name === '--no-preserve-root')) a.add('destructive', `${prog} --no-preserve-root`, idx);
  if (recursive && /^(rm|chmod|chown|chgrp|setfacl|chattr)$/.test(prog)) {
    for (const r of res) {
      if (!r.inside || r.abs === a.root)
        a.add('destructive', `${prog} -r on ${r.abs === a.root ? 'the whole workspace' : r.abs}`, idx);
    }
  }
}

export const PROGRAMS: Record<string, (c: Ctx) => void> = {
  find,
  fd,
  fdfind: fd,
  rg,
  jq,
  dd,
  rsync,
  ps: (c) => {
    if (
      c.args.some(
        (w) => w.value === undefined || (!w.value.startsWith('-') && w.value.includes('e')) || w.value.includes('E'),
      )
    ) {
      c.a.add('env_dump', "ps with BSD 'e' shows other processes' environments", c.idx);
    }
  },
  date: (c) => {
    if (c.args.some((w) => /^(-s|--set)/.test(v(w)))) c.a.add('unknown_command', 'date --set changes the clock', c.idx);
    const { options } = splitArgs(c.args, 'fr', ['--file', '--reference']);
    for (const o of options)
      if (o.value && /^(-f|-r|--file|--reference)$/.test(o.name)) checkWord(c.a, o.value, 'read', c.idx);
  },
  sort: (c) => {
    c.args.forEach((w, i) => {
      const s = v(w);
      if (!s.startsWith('--compress-program')) return;
      c.a.add('hidden_command', 'sort --compress-program runs a program', c.idx);
      const prog = s.includes('=') ? literalWord(s.slice(s.indexOf('=') + 1)) : c.args[i + 1];
      if (prog) innerScript(c, prog, 'sort --compress-program');
    });
    reader(
      c,
      c.args.filter((w, i) => !(v(c.args[i - 1]) === '--compress-program') && !v(w).startsWith('--compress-program')),
    );
  },
  hostname: (c) => {
    if (
      c.args.some((w) => !/^-[afidsAIvh]+$|^--(fqdn|short|domain|ip-address|all-fqdns|all-ip-addresses)$/.test(v(w)))
    ) {
      c.a.add('unknown_command', 'hostname with an argument sets the host name', c.idx);
    }
  },
  xxd: (c) => {
    const { positional } = splitArgs(c.args, 'cglosn', ['-cols', '-len', '-seek']);
    if (positional[0]) checkWord(c.a, positional[0], 'read', c.idx);
    if (positional[1]) writeCheck(c, positional[1], 'xxd writes its output file');
  },
  uniq: (c) => {
    const { positional } = splitArgs(c.args, 'fsw');
    if (positional[0]) checkWord(c.a, positional[0], 'read', c.idx);
    if (positional[1]) writeCheck(c, positional[1], 'uniq writes its output file');
  },
};
