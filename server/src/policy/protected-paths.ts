// Files no mode lets the agent change without asking, and files whose contents are credentials.
// Both work on the workspace-relative, realpath-resolved path ('/'-separated), plus the absolute path
// for files outside the workspace (shell rc files, ~/.ssh) that a command might name.
// Folder names are matched at any depth and without regard to case: a nested repository's
// .git/hooks runs code as surely as the workspace's own, an editor opens sub/.vscode as readily as
// .vscode, and on a case-insensitive disk `.GIT` is `.git`.
import fs from 'node:fs';
import path from 'node:path';

export interface ProtectedMatch {
  /** What kind of file this is, for the reason the user and the model see. */
  what: string;
}

const SHELL_RC = new Set([
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.cshrc',
  '.tcshrc',
  '.kshrc',
  '.inputrc',
  'config.fish',
]);

/** Why writing `rel` must always be asked, or undefined when it is an ordinary file. */
export function protectedWrite(rel: string): ProtectedMatch | undefined {
  const parts = rel.split('/');
  const base = parts[parts.length - 1] ?? '';
  const folded = parts.map((p) => p.toLowerCase());
  const lowerBase = base.toLowerCase();
  if (folded.includes('.git')) return { what: 'git internals (.git/: hooks and config run code)' };
  if (folded.includes('.vscode') || folded.includes('.idea') || lowerBase.endsWith('.code-workspace')) {
    return { what: 'editor configuration (tasks and settings an editor runs)' };
  }
  if (folded.includes('.agio') || lowerBase === 'agents.md') {
    return { what: "Agio's own configuration, rules or policy" };
  }
  if (SHELL_RC.has(base)) return { what: 'a shell startup file' };
  if (base === '.gitattributes' || base === '.gitmodules') return { what: 'git configuration that can run filters' };
  if (base === '.envrc' || base === '.tool-versions') return { what: 'an environment loader that runs on cd' };
  if (base === '.npmrc' || base === '.yarnrc' || base === '.yarnrc.yml' || base === '.pypirc' || base === '.netrc') {
    return { what: 'package manager or network credentials' };
  }
  const cred = credentialFile(rel);
  if (cred) return cred;
  return undefined;
}

/** Files whose contents are secrets: reading them is never approved without asking. */
export function credentialFile(rel: string): ProtectedMatch | undefined {
  const parts = rel.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (base === '.env' || (base.startsWith('.env.') && !/\.(example|sample|template|dist)$/.test(base))) {
    return { what: 'an environment file with secrets (.env)' };
  }
  if (/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/.test(base) || /\.(pem|key|p12|pfx|jks|keystore|ppk|asc|gpg)$/i.test(base)) {
    return { what: 'a private key or certificate store' };
  }
  if (
    base === '.npmrc' ||
    base === '.netrc' ||
    base === '.pypirc' ||
    base === '.git-credentials' ||
    base === 'credentials.json'
  ) {
    return { what: 'a credentials file' };
  }
  if (parts.includes('.ssh') || parts.includes('.gnupg') || parts.includes('.aws') || parts.includes('.docker')) {
    return { what: 'a credentials folder' };
  }
  if (parts.length >= 2 && parts[parts.length - 2] === 'gh' && base === 'hosts.yml')
    return { what: 'GitHub CLI credentials' };
  return undefined;
}

/**
 * protectedWrite, plus what only the disk shows: a path inside a git directory that is not named
 * `.git` (a bare repository, or the folder a `.git` file's `gitdir:` points to), whose hooks and
 * config run code just the same. `rel` is workspace-relative ('/'-separated) under `root` (realpath).
 */
export function protectedWriteAt(root: string, rel: string): ProtectedMatch | undefined {
  const named = protectedWrite(rel);
  if (named || rel === '' || rel.startsWith('../') || path.isAbsolute(rel)) return named;
  const parts = rel.split('/');
  for (let n = parts.length; n >= 1; n--) {
    if (isGitDir(path.join(root, ...parts.slice(0, n)))) {
      return { what: `git internals (${parts.slice(0, n).join('/')} is a git directory: hooks and config run code)` };
    }
  }
  return undefined;
}

/** What git itself takes for a repository directory: HEAD, objects/ and refs/ side by side. */
function isGitDir(dir: string): boolean {
  try {
    return (
      fs.statSync(path.join(dir, 'HEAD')).isFile() &&
      fs.statSync(path.join(dir, 'objects')).isDirectory() &&
      fs.statSync(path.join(dir, 'refs')).isDirectory()
    );
  } catch {
    return false;
  }
}

/** The same checks for an absolute path anywhere (what a shell command names), relative to `root`. */
export function protectedAbsolute(abs: string, root: string): ProtectedMatch | undefined {
  const rel = path.relative(root, abs);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return inside ? protectedWriteAt(root, rel.split(path.sep).join('/')) : protectedWrite(abs.split(path.sep).join('/'));
}
