// Archives and patches: they write files named inside their input, which the line does not show.
import { checkLinksUnder, checkWord, writeCheck } from './path-args.ts';
import { checkCopyTargets } from './copy-targets.ts';
import { type Ctx, innerScript, splitArgs } from './state.ts';
import { literalWord, type Word } from './words.ts';

const v = (w: Word | undefined): string => w?.value ?? '';

/** Archive extraction and patches write files named inside their input, which is not visible here. */
function unseenTargets(c: Ctx, what: string): void {
  c.a.linkMakers.add(c.idx);
  c.a.add(
    'unknown_targets',
    `${what}: the files it writes are named inside it (.git/hooks, .vscode or AGENTS.md at any depth, or ` +
      'links leading out, cannot be ruled out)',
    c.idx,
  );
}

/** Run an option's value (a command the program runs) through the classifier as the line it is. */
function optionCommand(c: Ctx, w: Word | undefined, label: string): void {
  c.a.add('hidden_command', `${label} runs a command`, c.idx);
  if (w) innerScript(c, w, label);
  else c.a.add('unknown_command', `${label}: the command it runs is missing`, c.idx);
}

/** tar letters that take a value; in old style (`tar xIf prog a.tar`) they take the next words in order. */
const TAR_VALUED = 'fCTXIFbgKLNVH';
const TAR_LONG_VALUED = [
  '--file',
  '--directory',
  '--files-from',
  '--exclude-from',
  '--use-compress-program',
  '--to-command',
  '--rsh-command',
  '--info-script',
  '--new-volume-script',
  '--checkpoint-action',
  '--format',
];

/** tar (and bsdtar): what it reads, writes and runs. */
function tar(c: Ctx): void {
  let args = c.args;
  const first = v(args[0]);
  if (first !== '' && !first.startsWith('-')) {
    // Old style: the first word is the letters, their values follow in order.
    const valued = [...first].filter((ch) => TAR_VALUED.includes(ch));
    const values = args.slice(1, 1 + valued.length);
    args = [
      ...[...first].flatMap((ch) => {
        if (!TAR_VALUED.includes(ch)) return [literalWord(`-${ch}`)];
        const val = values[valued.indexOf(ch)];
        return val ? [literalWord(`-${ch}`), val] : [literalWord(`-${ch}`)];
      }),
      ...args.slice(1 + valued.length),
    ];
  }
  const { options, positional } = splitArgs(args, TAR_VALUED, TAR_LONG_VALUED);
  const has = (re: RegExp): boolean => options.some((o) => re.test(o.name));
  const extract = has(/^(-x|--extract|--get)$/);
  const toStdout = has(/^(-O|--to-stdout)$/);
  const creates = has(/^(-c|-r|-u|-A|--create|--append|--update|--delete|--concatenate|--catenate)$/);
  const listOnly = !extract && !creates && has(/^(-t|--list)$/);
  for (const o of options) {
    const label = `tar ${o.name}`;
    if (/^(-I|--use-compress-program|--to-command|--rsh-command|-F|--info-script|--new-volume-script)$/.test(o.name)) {
      optionCommand(c, o.value, label);
    } else if (o.name === '--checkpoint-action' && o.value?.value !== undefined && /^exec=/.test(o.value.value)) {
      optionCommand(c, literalWord(o.value.value.slice(5)), 'tar --checkpoint-action=exec');
    } else if (/^(-T|--files-from)$/.test(o.name)) {
      if (o.value) checkWord(c.a, o.value, 'read', c.idx);
      c.a.add('unknown_targets', `${label} takes the names of the files from a list, at run time`, c.idx);
    } else if (/^(-f|--file)$/.test(o.name) && o.value) {
      checkWord(c.a, o.value, 'read', c.idx);
      if (creates) writeCheck(c, o.value, 'tar writes an archive');
    } else if (/^(-C|--directory)$/.test(o.name) && o.value) {
      checkWord(c.a, o.value, extract && !toStdout ? 'write' : 'read', c.idx);
    } else if (/^(-X|--exclude-from|-g|--listed-incremental)$/.test(o.name) && o.value) {
      checkWord(c.a, o.value, 'read', c.idx);
    }
  }
  for (const w of positional) {
    checkWord(c.a, w, 'read', c.idx);
    if (extract && !toStdout) checkWord(c.a, w, 'write', c.idx);
  }
  if (!listOnly && !(extract && toStdout)) c.a.add('writes_files', 'tar writes files', c.idx);
  if (has(/^(-h|--dereference)$/)) checkLinksUnder(c.a, positional, c.idx, 'tar --dereference');
  if (extract && !toStdout) unseenTargets(c, 'tar extracts an archive');
}

/** 7-Zip: `x`/`e` extract (names from the archive), `a`/`u`/`d`/`rn` change the archive. */
function sevenZip(c: Ctx): void {
  // 7-Zip switches are whole words (-oDIR, -so, -y), not GNU letter clusters.
  const options = c.args.filter((w) => v(w).startsWith('-')).map((w) => ({ name: v(w) }));
  const positional = c.args.filter((w) => !v(w).startsWith('-'));
  const sub = v(positional[0]);
  const archive = positional[1];
  if (archive) checkWord(c.a, archive, 'read', c.idx);
  const out = options.find((o) => o.name.startsWith('-o') && o.name.length > 2);
  if (/^[xe]$/.test(sub)) {
    if (options.some((o) => o.name === '-so')) return; // to standard output: no files
    if (out) writeCheck(c, literalWord(out.name.slice(2)), `${c.prog} -o extracts into a folder`);
    c.a.add('writes_files', `${c.prog} ${sub} writes files`, c.idx);
    unseenTargets(c, `${c.prog} ${sub} extracts an archive`);
  } else if (/^(a|u|d|rn)$/.test(sub)) {
    if (archive) writeCheck(c, archive, `${c.prog} ${sub} writes an archive`);
    for (const w of positional.slice(2)) checkWord(c.a, w, 'read', c.idx);
  } else if (!/^[ltbhi]$/.test(sub)) {
    c.a.add('unknown_command', `${c.prog} ${positional[0]?.text ?? ''}: not a known 7-Zip command`, c.idx);
  }
}

/** cpio: -i unpacks and -p copies a list of files read from standard input; -o archives such a list. */
function cpio(c: Ctx): void {
  const { options } = splitArgs(c.args, 'FOIEHMRD', [
    '--file',
    '--pattern-file',
    '--format',
    '--message',
    '--owner',
    '--directory',
  ]);
  const has = (re: RegExp): boolean => options.some((o) => re.test(o.name));
  if (has(/^--rsh-command/)) c.a.add('hidden_command', 'cpio --rsh-command runs a command', c.idx);
  for (const o of options)
    if (o.value && /^(-[FOIE]|--file|--pattern-file)$/.test(o.name)) {
      checkWord(c.a, o.value, o.name === '-O' ? 'write' : 'read', c.idx);
    }
  if (has(/^(-i|--extract|-p|--pass-through)$/)) {
    c.a.add('writes_files', 'cpio writes files', c.idx);
    unseenTargets(c, 'cpio unpacks or copies the files its input names');
  } else if (has(/^(-o|--create)$/)) {
    c.a.add('unknown_targets', 'cpio -o archives the files its input names, chosen at run time', c.idx);
  }
}

/** jar (the JDK's archive tool): x extracts like tar. */
function jar(c: Ctx): void {
  const first = v(c.args[0]);
  const letters = first.startsWith('--') ? '' : first.replace(/^-/, '');
  const extract = /x/.test(letters) || c.args.some((w) => /^--extract$/.test(v(w)));
  for (const w of c.args.slice(1)) if (!v(w).startsWith('-')) checkWord(c.a, w, 'read', c.idx);
  if (extract) {
    c.a.add('writes_files', 'jar x writes files', c.idx);
    unseenTargets(c, 'jar extracts an archive');
  } else if (!/t/.test(letters)) c.a.add('writes_files', 'jar writes an archive', c.idx);
}

/** ditto (macOS): copies folder trees, or with -x unpacks an archive. */
function ditto(c: Ctx): void {
  const { options, positional } = splitArgs(c.args, '', ['--arch', '--bom']);
  c.a.add('writes_files', 'ditto writes files', c.idx);
  const dest = positional[positional.length - 1];
  if (dest) checkWord(c.a, dest, 'write', c.idx);
  if (options.some((o) => o.name === '-x')) return unseenTargets(c, 'ditto -x extracts an archive');
  c.a.linkMakers.add(c.idx);
  const sources = positional.slice(0, -1);
  for (const s of sources) checkWord(c.a, s, 'read', c.idx);
  checkCopyTargets(c, { sources, dest, targetDirectory: sources.length > 1, options });
}

function unzip(c: Ctx): void {
  const { options, positional } = splitArgs(c.args, 'dx');
  const listOnly = options.some((o) => /^-[lvtZpc]$/.test(o.name));
  if (positional[0]) checkWord(c.a, positional[0], 'read', c.idx);
  if (listOnly) return;
  const dir = options.find((o) => o.name === '-d')?.value;
  if (dir) writeCheck(c, dir, 'unzip extracts into a folder');
  c.a.add('writes_files', 'unzip writes files', c.idx);
  unseenTargets(c, 'unzip extracts an archive');
}

function zip(c: Ctx): void {
  c.args.forEach((w, i) => {
    const s = v(w);
    if (s === '-TT' || s === '--unzip-command') optionCommand(c, c.args[i + 1], `zip ${s}`);
    else if (/^(-TT|--unzip-command)=/.test(s)) optionCommand(c, literalWord(s.slice(s.indexOf('=') + 1)), 'zip -TT');
  });
  if (c.args.some((w) => v(w) === '-@' || v(w) === '--names-stdin')) {
    c.a.add('unknown_targets', 'zip -@ archives the files its input names, chosen at run time', c.idx);
  }
  const { positional } = splitArgs(
    c.args.filter((w, i) => !/^(-TT|--unzip-command)$/.test(v(c.args[i - 1])) && v(w) !== '-@'),
    'bintx',
  );
  if (positional[0]) writeCheck(c, positional[0], 'zip writes an archive');
  for (const w of positional.slice(1)) checkWord(c.a, w, 'read', c.idx);
  const vals = c.args.map(v);
  if (
    vals.some((s) => /^(-[a-zA-Z]*[rR][a-zA-Z]*|--recurse-paths|--recurse-patterns)$/.test(s)) &&
    !vals.some((s) => /^(-[a-zA-Z]*y[a-zA-Z]*|--symlinks)$/.test(s))
  ) {
    checkLinksUnder(c.a, positional.slice(1), c.idx, 'zip -r');
  }
}

/** Suffixes a decompressor strips to name what it writes (gzip -d a.tgz writes a.tar). */
const COMPRESSED = /\.(gz|z|Z|bz2|xz|lzma|zst|tgz|tbz2?|txz)$/;

function compress(c: Ctx): void {
  const { options, positional } = splitArgs(c.args, 'S', ['--suffix']);
  const has = (re: RegExp): boolean => options.some((o) => re.test(o.name));
  const stdout = /^(zcat|bzcat|xzcat|zstdcat)$/.test(c.prog) || has(/^(-c|--stdout|-l|--list|-t|--test)$/);
  const decompress = /^(gunzip|bunzip2|unxz|unzstd)$/.test(c.prog) || has(/^(-d|--decompress|--uncompress)$/);
  const suffix = options.find((o) => o.name === '-S' || o.name === '--suffix')?.value?.value;
  for (const w of positional) {
    if (stdout) checkWord(c.a, w, 'read', c.idx);
    else {
      writeCheck(c, w, `${c.prog} replaces files`);
      const name = w.value;
      if (!decompress || name === undefined) continue;
      // What it writes is the name without the suffix; -N takes the name stored in the file instead.
      const plain =
        suffix && name.endsWith(suffix)
          ? name.slice(0, -suffix.length)
          : name.replace(COMPRESSED, (m) => (m.startsWith('.t') ? '.tar' : ''));
      if (plain !== name) checkWord(c.a, literalWord(plain), 'write', c.idx);
    }
  }
  if (decompress && !stdout && has(/^(-N|--name)$/)) {
    c.a.add('unknown_targets', `${c.prog} -N names what it writes by the name stored inside the file`, c.idx);
  }
  if (decompress && !stdout && has(/^(-r|--recursive)$/)) {
    c.a.add('unknown_targets', `${c.prog} -r decompresses every file in the folders, whatever they hold`, c.idx);
  }
}

function patch(c: Ctx): void {
  const { options, positional } = splitArgs(c.args, 'iopdDBzVYrgF', [
    '--input',
    '--output',
    '--directory',
    '--reject-file',
    '--prefix',
    '--suffix',
    '--basename-prefix',
    '--backup-if-mismatch',
  ]);
  c.a.add('writes_files', 'patch changes files', c.idx);
  c.a.linkMakers.add(c.idx);
  for (const o of options) {
    if (!o.value) continue;
    if (o.name === '-i' || o.name === '--input') checkWord(c.a, o.value, 'read', c.idx);
    if (/^(-o|--output|-d|--directory|-r|--reject-file)$/.test(o.name)) checkWord(c.a, o.value, 'write', c.idx);
  }
  if (positional[0]) checkWord(c.a, positional[0], 'write', c.idx);
  else unseenTargets(c, 'patch applies a diff');
  if (positional[1]) checkWord(c.a, positional[1], 'read', c.idx);
}

export const ARCHIVES: Record<string, (c: Ctx) => void> = {
  tar,
  bsdtar: tar,
  gtar: tar,
  '7z': sevenZip,
  '7za': sevenZip,
  '7zr': sevenZip,
  '7zz': sevenZip,
  cpio,
  jar,
  ditto,
  unzip,
  zip,
  patch,
  gzip: compress,
  gunzip: compress,
  bzip2: compress,
  bunzip2: compress,
  xz: compress,
  unxz: compress,
  zstd: compress,
  unzstd: compress,
  zcat: compress,
  bzcat: compress,
  xzcat: compress,
  zstdcat: compress,
};
