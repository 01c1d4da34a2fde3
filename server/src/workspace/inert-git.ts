// The git configuration that runs nothing. A repository's own config (`.git/config`, what it
// includes, a nested repository's) can name programs git runs on commands that look read-only:
// `git status` runs `core.fsmonitor` and the post-index-change hook, `git log` on a terminal runs the
// pager. Settings passed in the environment (GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n)
// are "command" scope, which beats every config file, and reach every git a command line starts,
// however deeply nested. Agio sets them for every command it runs and for its own git reads.
//
// What cannot be switched off here, because its name has a part the repository chooses (textconv
// and diff drivers, filter drivers, merge drivers, `!` aliases) or because an empty value breaks git
// instead of disabling the program (`diff.external=` makes `git diff` fail on "cannot run"), is found
// in the repository's config instead (repositorySettings, programSettings): the shell classifier
// asks before such a command, and Agio's own reads empty the drivers they would run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Fixed settings, in the order they are numbered. */
export const INERT_GIT_SETTINGS: ReadonlyArray<readonly [key: string, value: string]> = [
  // The fsmonitor hook runs on every command that looks at the working tree (status, diff, add).
  ['core.fsmonitor', 'false'],
  // Hooks (post-index-change runs on a plain `git status` that refreshes the index; commit and
  // checkout hooks). This also turns off a project's own pre-commit hooks for commits Agio runs.
  ['core.hooksPath', '/dev/null'],
  // A pager only runs on a terminal, but `script` makes one. GIT_PAGER (below) also beats
  // `pager.<command>`, which this cannot name.
  ['core.pager', 'cat'],
  // `ext::` remote URLs run a command; git allows them only when config says so.
  ['protocol.ext.allow', 'never'],
];

/** The environment that applies INERT_GIT_SETTINGS (plus `extra`, e.g. a repository's filter
 * drivers emptied) to every git started with it. It replaces any GIT_CONFIG_* already there. */
export function inertGitEnv(extra: ReadonlyArray<readonly [string, string]> = []): Record<string, string> {
  const settings = [...INERT_GIT_SETTINGS, ...extra];
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(settings.length), GIT_PAGER: 'cat' };
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Config keys (as `git config --list` prints them: section and name lowercased) that make git run a
 * program the config names, and that INERT_GIT_SETTINGS does not switch off. Found in a repository's
 * own config (local or worktree scope, includes followed), they make any git command there one that
 * may run that program. */
export const REPOSITORY_PROGRAM_KEY = new RegExp(
  [
    String.raw`^diff\.external$`,
    String.raw`^diff\..+\.(textconv|command)$`,
    String.raw`^filter\..+\.(clean|smudge|process)$`,
    String.raw`^merge\..+\.driver$`,
    String.raw`^(difftool|mergetool)\..+\.cmd$`,
    String.raw`^core\.(sshcommand|gitproxy|askpass|editor|alternaterefscommand)$`,
    String.raw`^sequence\.editor$`,
    String.raw`^credential\.(.+\.)?helper$`,
    String.raw`^gpg\.(.+\.)?program$`,
    String.raw`^remote\..+\.(uploadpack|receivepack|vcs)$`,
    String.raw`^trailer\..+\.(command|cmd)$`,
    String.raw`^hook\..+\.command$`,
    String.raw`^submodule\..+\.update$`,
  ].join('|'),
  'i',
);

export interface RepositorySetting {
  key: string;
  value: string;
  /** `local` or `worktree`: the repository's own files and what they include. */
  scope: string;
}

/** Scopes that are not the repository's: the machine's, the user's, and Agio's own settings. */
const NOT_THE_REPOSITORY = new Set(['system', 'global', 'command']);

/**
 * The settings the repository git finds from `cwd` gives itself (includes followed, as git would),
 * read with the inert settings so reading runs nothing; [] outside a repository. Undefined when git
 * could not say (not installed, timed out, a config it cannot parse): then nothing can be assumed.
 * Asking git costs a process per call (tens of ms from a large process), so the answer is kept while
 * every file it came from, every file it would include, and how git finds the repository from `cwd`
 * look exactly as they did (inode, size, change time in ns).
 */
export function repositorySettings(cwd: string, timeoutMs = 2000): RepositorySetting[] | undefined {
  const known = settingsCache.get(cwd);
  if (known && signature(cwd, known.files).text === known.signature) return known.settings;
  const listed = listSettings(cwd, timeoutMs);
  if (!listed) return undefined;
  const sig = signature(cwd, listed.files);
  // As racy-git does: a file changed in the last seconds may have changed while git read it, so
  // an answer that leans on it is not kept.
  if (sig.newestNs < BigInt(Date.now() - 2000) * 1_000_000n) {
    if (settingsCache.size >= 256) settingsCache.clear();
    settingsCache.set(cwd, { ...listed, signature: sig.text });
  } else settingsCache.delete(cwd);
  return listed.settings;
}

/** Stands in for an origin that is not a file. */
const UNCACHEABLE = '\0';

const settingsCache = new Map<string, { settings: RepositorySetting[]; files: string[]; signature: string }>();

function listSettings(cwd: string, timeoutMs: number): { settings: RepositorySetting[]; files: string[] } | undefined {
  let out: Buffer;
  try {
    out = execFileSync('git', ['config', '--list', '--show-scope', '--show-origin', '-z'], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LC_ALL: 'C', ...inertGitEnv() },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: Math.max(1, Math.floor(timeoutMs)),
      maxBuffer: 4 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
  // -z: scope NUL origin NUL key LF value NUL (a key without a value has no LF).
  const fields = out.toString('utf8').split('\0');
  const settings: RepositorySetting[] = [];
  const files = new Set<string>();
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const scope = fields[i]!;
    const origin = fields[i + 1]!;
    const kv = fields[i + 2]!;
    const nl = kv.indexOf('\n');
    if (NOT_THE_REPOSITORY.has(scope)) continue;
    const setting = { scope, key: nl < 0 ? kv : kv.slice(0, nl), value: nl < 0 ? '' : kv.slice(nl + 1) };
    settings.push(setting);
    const from = origin.startsWith('file:') ? path.resolve(cwd, origin.slice(5)) : undefined;
    if (from) files.add(from);
    else files.add(UNCACHEABLE); // a blob or stdin origin: always ask git again
    // A file included but missing now (git skips it) counts once it appears.
    if (from && /^include(if\..*)?\.path$/i.test(setting.key)) {
      const v = setting.value;
      const home = process.env.HOME ?? '/';
      files.add(v.startsWith('~/') ? path.join(home, v.slice(2)) : path.resolve(path.dirname(from), v));
    }
  }
  return { settings, files: [...files] };
}

/** How git finds the repository from `cwd` (each folder's `.git`, `HEAD` and `config` up to the
 * first `.git`, and that repository's HEAD, config and config.worktree) and the given files. */
function signature(cwd: string, files: readonly string[]): { text: string; newestNs: bigint } {
  const never = { text: '', newestNs: BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n };
  if (files.includes(UNCACHEABLE)) return never;
  const parts: string[] = [];
  let newestNs = 0n;
  const stat = (p: string) => {
    try {
      const s = fs.lstatSync(p, { bigint: true });
      parts.push(`${p}:${s.ino}:${s.size}:${s.ctimeNs}:${s.mtimeNs}`);
      if (s.ctimeNs > newestNs) newestNs = s.ctimeNs;
      if (s.mtimeNs > newestNs) newestNs = s.mtimeNs;
      return s;
    } catch {
      parts.push(`${p}:-`);
      return undefined;
    }
  };
  for (let d = cwd; ; d = path.dirname(d)) {
    const dotGit = stat(path.join(d, '.git'));
    stat(path.join(d, 'HEAD'));
    stat(path.join(d, 'config'));
    if (dotGit) {
      // A `.git` file points elsewhere (worktrees, submodules): not followed here, so never kept.
      if (!dotGit.isDirectory()) return never;
      for (const f of ['HEAD', 'config', 'config.worktree', 'commondir']) stat(path.join(d, '.git', f));
      break;
    }
    if (d === path.dirname(d)) break;
  }
  for (const f of files) stat(f);
  return { text: parts.join('\n'), newestNs };
}

/** The repository's settings that run a program (REPOSITORY_PROGRAM_KEY, and `!` aliases). */
export function programSettings(settings: readonly RepositorySetting[]): RepositorySetting[] {
  return settings.filter(
    (s) => REPOSITORY_PROGRAM_KEY.test(s.key) || (/^alias\./i.test(s.key) && s.value.startsWith('!')),
  );
}
