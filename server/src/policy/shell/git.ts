// git: reading history is harmless; changing the repository runs hooks and writes files; talking to
// remotes is network; and several ways of passing configuration run arbitrary programs
// (`-c core.fsmonitor=…`, `--config-env`, a repository's config found by discovery). What a
// repository's config can run is switched off for every command (inert-git.ts, in the command
// environment) where a setting can say so; the rest (drivers whose names the repository chooses,
// `!` aliases, diff.external) is read from the config of the repository each git command targets, and
// such a command is one that runs a program.
import fs from 'node:fs';
import path from 'node:path';
import { programSettings, repositorySettings, type RepositorySetting } from '../../workspace/inert-git.ts';
import { isInside } from '../../workspace/paths.ts';
import { checkValue, checkWord, looksLikePath } from './path-args.ts';
import { type Ctx, innerScript } from './state.ts';
import { literalWord, type Word } from './words.ts';

const v = (w: Word | undefined): string => w?.value ?? '';

const READ = new Set([
  'status',
  'diff',
  'log',
  'show',
  'blame',
  'annotate',
  'shortlog',
  'rev-parse',
  'rev-list',
  'ls-files',
  'ls-tree',
  'grep',
  'describe',
  'cat-file',
  'show-ref',
  'for-each-ref',
  'merge-base',
  'name-rev',
  'count-objects',
  'version',
  'whatchanged',
  'cherry',
  'range-diff',
  'var',
  'check-ignore',
  'check-attr',
  'check-ref-format',
  'verify-commit',
  'verify-tag',
  'show-branch',
  'diff-tree',
  'diff-files',
  'diff-index',
  'fsck',
  'check-mailmap',
  'get-tar-commit-id',
  'show-index',
  'verify-pack',
]);
const WRITE = new Set([
  'add',
  'commit',
  'merge',
  'rebase',
  'checkout',
  'switch',
  'restore',
  'reset',
  'rm',
  'mv',
  'am',
  'apply',
  'cherry-pick',
  'revert',
  'clean',
  'init',
  'gc',
  'prune',
  'repack',
  'update-ref',
  'update-index',
  'symbolic-ref',
  'replace',
  'commit-tree',
  'hash-object',
  'read-tree',
  'write-tree',
  'mktag',
  'mktree',
  'pack-refs',
  'maintenance',
  'sparse-checkout',
  'format-patch',
  'bisect',
  'merge-file',
  'stage',
  'unpack-objects',
  'checkout-index',
  'fast-import',
  'archive',
  'bundle',
  'rerere',
]);
/** Subcommands that change the working tree: they may create symlinks later paths go through. */
const TREE_CHANGERS = new Set([
  'checkout',
  'switch',
  'restore',
  'reset',
  'merge',
  'rebase',
  'am',
  'apply',
  'cherry-pick',
  'revert',
  'stash',
  'pull',
  'clone',
  'submodule',
  'worktree',
  'bisect',
  'read-tree',
  'checkout-index',
]);
const NET = new Set([
  'push',
  'pull',
  'fetch',
  'clone',
  'ls-remote',
  'send-email',
  'request-pull',
  'send-pack',
  'fetch-pack',
]);
const RUNS_TOOLS = new Set([
  'difftool',
  'mergetool',
  'filter-branch',
  'instaweb',
  'web--browse',
  'gui',
  'citool',
  'daemon',
  'http-backend',
  'upload-pack',
  'receive-pack',
  'shell',
  'p4',
  'svn',
  'cvsimport',
  'quiltimport',
  'remote-ext',
  'remote-fd',
  'credential-cache--daemon',
]);
/** For subcommands that both read and write: whether this use only reads (undefined: not one of them). */
function readForm(sub: string, vals: string[]): boolean | undefined {
  const first = vals[0] ?? '';
  const positional = vals.filter((x) => !x.startsWith('-'));
  switch (sub) {
    case 'branch':
      return (
        vals.length === 0 ||
        (vals.some((x) =>
          /^(-l|--list|-a|--all|-r|--remotes|-v|-vv|--verbose|--show-current|--contains|--no-contains|--merged|--no-merged|--points-at)$/.test(
            x,
          ),
        ) &&
          !vals.some((x) =>
            /^(-[dDmMcCfut]|--(delete|move|copy|force|set-upstream-to.*|unset-upstream|edit-description|track.*|create-reflog))$/.test(
              x,
            ),
          ))
      );
    case 'tag':
      return (
        vals.length === 0 ||
        (vals.some((x) => /^(-l|--list|-n\d*|--contains|--no-contains|--merged|--no-merged|--points-at)$/.test(x)) &&
          !vals.some((x) =>
            /^(-[asudfmFe]|--(delete|annotate|sign|local-user.*|force|message.*|file.*|edit))$/.test(x),
          ))
      );
    case 'remote':
      return vals.length === 0 || /^(-v|--verbose|get-url)$/.test(first);
    case 'stash':
      return /^(list|show)$/.test(first);
    case 'worktree':
      return first === 'list';
    case 'notes':
      return vals.length === 0 || /^(list|show)$/.test(first);
    case 'reflog':
      return vals.length === 0 || /^(show|exists)$/.test(first);
    case 'submodule':
      return vals.length === 0 || /^(status|summary)$/.test(first);
    case 'config':
      return (
        !vals.some((x) =>
          /^(--(unset.*|add|replace-all|rename-section|remove-section|edit|global|system|file.*|blob.*)|-e|-f|set|unset|rename-section|remove-section|edit)$/.test(
            x,
          ),
        ) &&
        (vals.some((x) => /^(--get.*|--list|-l|get|list)$/.test(x)) || positional.length === 1)
      );
    default:
      return undefined;
  }
}

export function git(c: Ctx): void {
  const { a, idx, args } = c;
  let i = 0;
  let cwd: string[] | null | undefined; // -C moves git elsewhere
  for (; i < args.length; i++) {
    const w = args[i]!;
    const s = w.value;
    if (s === undefined) {
      a.add('hidden_command', `git ${w.text}: an argument that is an expansion`, idx);
      return;
    }
    if (!s.startsWith('-')) break;
    if (s === '-c' || (s.startsWith('-c') && s.length > 2) || s.startsWith('--config-env')) {
      a.add(
        'hidden_command',
        `git ${s} ${s === '-c' ? v(args[i + 1]) : ''} sets configuration, which can run programs`.replace(/ +/g, ' '),
        idx,
      );
      if (s === '-c' || s === '--config-env') i++;
    } else if (s === '-C') {
      const dir = args[++i];
      if (!dir) break;
      const saved = a.cwds;
      if (dir.value === undefined) checkWord(a, dir, 'cd', idx);
      const res = dir.value === undefined ? [] : checkValue(a, dir.value, false, 'cd', idx, dir.text);
      a.cwds = saved;
      cwd = dir.value === undefined ? null : res.map((r) => r.abs);
    } else if (/^--(git-dir|work-tree|exec-path=|namespace|super-prefix|attr-source)/.test(s)) {
      a.add('hidden_command', `git ${s} points git at other files (configuration, helpers) that can run programs`, idx);
      if (!s.includes('=') && s !== '--exec-path') i++;
    } else if (
      !/^(-p|--paginate|-P|--no-pager|--bare|--no-replace-objects|--no-lazy-fetch|--no-optional-locks|--literal-pathspecs|--glob-pathspecs|--noglob-pathspecs|--icase-pathspecs|--no-advice|--version|--help|-h|--exec-path|--html-path|--man-path|--info-path|--list-cmds=.*)$/.test(
        s,
      )
    ) {
      a.add('unknown_command', `git option ${s}`, idx);
    }
  }
  const sub = v(args[i]);
  repository(c, cwd === undefined ? a.cwds : cwd, sub);
  const rest = args.slice(i + 1);
  if (sub === '') return;
  const restVals = rest.map(v);
  if (rest.some((w) => w.value === undefined)) a.add('hidden_command', 'git arguments that are expansions', idx);
  if (
    restVals.some((s) =>
      /ext::|fd::|^--(upload-pack|receive-pack|exec)(=|$)|^-u$|^--template|^--config(=|$)|^--ext-diff$|^--open-files-in-pager|^-O/.test(
        s,
      ),
    ) ||
    (sub === 'clone' && restVals.includes('-c'))
  ) {
    a.add('hidden_command', `git ${sub} with an option that runs a program`, idx);
  }
  if (TREE_CHANGERS.has(sub)) a.linkMakers.add(idx);
  const readOnly = readForm(sub, restVals);
  if (READ.has(sub)) {
    const out = restVals.findIndex(
      (s) => s === '--output' || s.startsWith('--output=') || (sub === 'archive' && s === '-o'),
    );
    if (out >= 0) {
      const o = restVals[out]!;
      const target = o.includes('=') ? literalWord(o.slice(o.indexOf('=') + 1)) : rest[out + 1];
      if (target) checkWord(a, target, 'write', idx);
      a.add('writes_files', `git ${sub} --output writes a file`, idx);
    }
    for (const w of rest) {
      const s = v(w);
      const colon = s.indexOf(':');
      if (colon > 0 && !s.startsWith('-'))
        checkWord(a, literalWord(s.slice(colon + 1)), 'read', idx); // rev:path
      else if (!s.startsWith('-') && (looksLikePath(s) || exists(c, s))) checkWord(a, w, 'read', idx);
    }
  } else if (readOnly === true) {
    // listing branches, tags, remotes, stashes, config values: nothing changes
  } else if (sub === 'config') {
    configWrite(c, restVals);
  } else if (sub === 'remote') {
    if (/^(show|update|prune)$/.test(restVals[0] ?? ''))
      a.add('network', `git remote ${restVals[0]} contacts the remote`, idx);
    else {
      a.add('writes_files', 'git remote changes .git/config', idx);
      a.add('protected_path', 'git remote changes .git/config (remote URLs can run transports)', idx);
    }
  } else if (NET.has(sub) || sub === 'submodule') {
    a.add('network', `git ${sub} talks to a remote repository`, idx);
    if (sub !== 'ls-remote') a.add('writes_files', `git ${sub} changes the repository`, idx);
    if (sub === 'submodule' && restVals[0] === 'foreach') foreach(c, rest.slice(1));
    if (sub === 'clone')
      for (const w of rest.filter((x) => !v(x).startsWith('-')).slice(1)) checkWord(a, w, 'write', idx);
  } else if (WRITE.has(sub) || readOnly === false) {
    a.add('writes_files', `git ${sub} changes the repository or the working tree (and may run hooks)`, idx);
    if (sub === 'rebase' && restVals.some((s) => /^(-x|--exec)(=|$)/.test(s))) {
      a.add('hidden_command', 'git rebase --exec runs a command', idx);
      const x = restVals.findIndex((s) => s === '-x' || s === '--exec');
      if (x >= 0 && rest[x + 1]) innerScript(c, rest[x + 1]!, 'git rebase --exec');
    }
    if (sub === 'bisect' && restVals[0] === 'run') foreach(c, rest.slice(1));
    if ((sub === 'apply' || sub === 'am') && !restVals.some((s) => /^(--check|--stat|--numstat|--summary)$/.test(s))) {
      a.add('protected_path', `git ${sub}: the files the patch writes cannot be checked`, idx);
    }
    for (const w of rest) if (!v(w).startsWith('-') && looksLikePath(v(w))) checkWord(a, w, 'write', idx);
  } else if (sub.startsWith('credential')) {
    a.add('credential_read', `git ${sub} can print stored passwords`, idx);
  } else if (RUNS_TOOLS.has(sub)) {
    a.add('hidden_command', `git ${sub} runs external tools`, idx);
  } else {
    a.add('unknown_command', `git ${sub} (an unknown subcommand or an alias)`, idx);
  }
}

function exists(c: Ctx, s: string): boolean {
  return (c.a.cwds ?? [c.a.root]).some((d) => fs.existsSync(path.resolve(d, s)));
}

/** `git submodule foreach` / `git bisect run`: the rest is a command. */
function foreach(c: Ctx, rest: Word[]): void {
  c.a.add('hidden_command', 'git runs a command for each step', c.idx);
  if (rest.length === 1) innerScript(c, rest[0]!, 'git');
  else if (rest.length > 1)
    c.run({
      name: rest[0]!,
      args: rest.slice(1),
      env: [],
      text: rest.map((w) => w.text).join(' '),
      via: [...c.cmd.via, 'git'],
    });
}

function configWrite(c: Ctx, vals: string[]): void {
  const { a, idx } = c;
  a.add('writes_files', 'git config changes a configuration file', idx);
  const file = vals.findIndex((s) => s === '--file' || s === '-f' || s.startsWith('--file='));
  if (file >= 0) {
    const f = vals[file]!.startsWith('--file=') ? vals[file]!.slice(7) : (vals[file + 1] ?? '');
    checkValue(a, f, false, 'write', idx, f);
  } else if (vals.some((s) => s === '--global' || s === '--system')) {
    a.add('outside_path', 'git config --global/--system changes configuration outside the workspace', idx);
    a.add('protected_path', 'git config --global/--system changes git configuration (which can run programs)', idx);
  } else {
    a.add('protected_path', 'git config changes .git/config (git internals: hooks and config run code)', idx);
  }
}

/** git discovers a repository from its folder: a folder without `.git` may be read as a bare
 * repository whose `config` (written by an earlier command) runs programs. */
function repository(c: Ctx, cwds: string[] | null, sub: string): void {
  const { a, idx } = c;
  if (cwds === null) {
    a.add('hidden_command', 'git runs in a folder that cannot be known', idx);
    return;
  }
  for (const cwd of cwds) {
    if (!isInside(a.root, cwd)) continue; // already reported as outside_path
    if (cwd !== a.root) a.gitElsewhere.add(idx);
    configuredPrograms(c, cwd, sub);
    for (let d = cwd; ; d = path.dirname(d)) {
      // A `.git` found first is fine: everything under any `.git/` is protected from writes.
      if (fs.existsSync(path.join(d, '.git'))) break;
      // A bare repository needs a HEAD; no `.git` component protects its config.
      if (fs.existsSync(path.join(d, 'HEAD'))) {
        a.add('hidden_command', `git may read ${d} as a bare repository with its own configuration`, idx);
        break;
      }
      if (d === a.root || d === path.dirname(d)) {
        a.add(
          'hidden_command',
          'the workspace has no .git: git may find a repository configuration written in it',
          idx,
        );
        break;
      }
    }
  }
}

/** Per analysis and folder: the repository's settings (git is asked once per folder and line). */
const settingsSeen = new WeakMap<object, Map<string, RepositorySetting[] | undefined>>();

/** The repository git finds from `cwd` configures a program git may run for this command. */
function configuredPrograms(c: Ctx, cwd: string, sub: string): void {
  const { a, idx } = c;
  const seen = settingsSeen.get(a) ?? new Map<string, RepositorySetting[] | undefined>();
  settingsSeen.set(a, seen);
  if (!seen.has(cwd)) seen.set(cwd, repositorySettings(cwd, a.budget.deadline - performance.now()));
  const settings = seen.get(cwd);
  const where = cwd === a.root ? 'the repository' : `the repository at ${path.relative(a.root, cwd)}`;
  if (settings === undefined) {
    a.add('hidden_command', `git could not list ${where}'s configuration, which can name programs git runs`, idx);
    return;
  }
  // An alias runs only when it is the subcommand (git never lets one replace a built-in command).
  const programs = programSettings(settings).filter((s) => !/^alias\./i.test(s.key) || s.key.slice(6) === sub);
  if (programs.length === 0) return;
  const named = programs.slice(0, 3).map((s) => `${s.key}=${s.value.slice(0, 60)}`);
  if (programs.length > 3) named.push(`and ${programs.length - 3} more`);
  a.add('hidden_command', `${where}'s configuration sets programs git may run: ${named.join(', ')}`, idx);
}
