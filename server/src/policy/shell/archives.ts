// Archives and patches: they write files named inside their input, which the line does not show.
import { checkLinksUnder, checkWord, writeCheck } from './path-args.ts';
import { type Ctx, splitArgs } from './state.ts';
import { literalWord, type Word } from './words.ts';

const v = (w: Word | undefined): string => w?.value ?? '';

/** Archive extraction and patches write files named inside their input, which is not visible here. */
function unseenTargets(c: Ctx, what: string): void {
  c.a.linkMakers.add(c.idx);
  c.a.add(
    'protected_path',
    `${what}: the files it writes (possibly .git/ or links leading out) cannot be checked`,
    c.idx,
  );
}

function tar(c: Ctx): void {
  const vals = c.args.map(v);
  const oldStyle = vals[0] !== undefined && vals[0] !== '' && !vals[0].startsWith('-') ? vals[0] : '';
  const flags =
    oldStyle +
    vals
      .filter((s) => /^-[^-]/.test(s))
      .map((s) => s.slice(1))
      .join('');
  const longs = vals.filter((s) => s.startsWith('--'));
  if (
    longs.some((s) =>
      /^--(to-command|use-compress-program|checkpoint-action|rsh-command|info-script|new-volume-script)/.test(s),
    ) ||
    /[IF]/.test(flags)
  ) {
    c.a.add('hidden_command', 'tar runs a helper program', c.idx);
  }
  const extract = /x/.test(flags) || longs.some((s) => /^--(extract|get)$/.test(s));
  const listOnly =
    !extract &&
    (/t/.test(flags) || longs.includes('--list')) &&
    !/[cru]/.test(flags) &&
    !longs.some((s) => /^--(create|append|update|delete|concatenate)$/.test(s));
  const words = c.args.slice(oldStyle ? 1 : 0).flatMap((w) => {
    const s = v(w);
    const eq = s.indexOf('=');
    if (/^--(file|directory)=/.test(s)) return [literalWord(s.slice(eq + 1))];
    return s.startsWith('-') ? [] : [w];
  });
  for (const w of words) {
    checkWord(c.a, w, 'read', c.idx);
    if (!listOnly) checkWord(c.a, w, 'write', c.idx);
  }
  if (!listOnly) c.a.add('writes_files', 'tar writes files', c.idx);
  if (/h/.test(flags) || longs.includes('--dereference')) checkLinksUnder(c.a, words, c.idx, 'tar --dereference');
  if (extract) unseenTargets(c, 'tar extracts an archive');
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
  if (c.args.some((w) => /^(-TT|--unzip-command)/.test(v(w))))
    c.a.add('hidden_command', 'zip -TT runs a command', c.idx);
  const { positional } = splitArgs(c.args, 'bintx');
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

function compress(c: Ctx): void {
  const { options, positional } = splitArgs(c.args, 'S');
  const stdout =
    /^(zcat|bzcat|xzcat|zstdcat)$/.test(c.prog) ||
    options.some((o) => /^(-c|--stdout|-l|--list|-t|--test)$/.test(o.name));
  for (const w of positional) {
    if (stdout) checkWord(c.a, w, 'read', c.idx);
    else writeCheck(c, w, `${c.prog} replaces files`);
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
