// Files no mode lets the agent change without asking, and files whose contents are credentials.
// Both work on the workspace-relative, realpath-resolved path ('/'-separated), plus the absolute path
// for files outside the workspace (shell rc files, ~/.ssh) that a command might name.
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
  if (parts.includes('.git')) return { what: 'git internals (.git/: hooks and config run code)' };
  if (parts[0] === '.vscode' || base.endsWith('.code-workspace')) return { what: 'editor configuration' };
  if (parts.includes('.agio') || base === 'AGENTS.md') return { what: "Agio's own configuration, rules or policy" };
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

/** The same checks for an absolute path anywhere (what a shell command names), relative to `root`. */
export function protectedAbsolute(abs: string, root: string): ProtectedMatch | undefined {
  const rel = path.relative(root, abs);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return protectedWrite(inside ? rel.split(path.sep).join('/') : abs.split(path.sep).join('/'));
}
