// Which commands run code the workspace controls: a Makefile's recipes, package.json scripts (and
// the lifecycle scripts `npm install` runs), test files, build scripts (build.rs, setup.py,
// build.gradle, CMakeLists.txt), config files that are programs (eslint.config.js, conftest.py),
// a script named by path (`./run.sh`, `node evil.mjs`) and a program found through a PATH entry
// inside the workspace. Such a command can do anything the user can, whatever its own name
// suggests, so it is a fact the engine needs: outside a sandbox, full-auto asks before running it
// unless the user opted in to unsandboxed full-auto (policy/engine.ts).
//
// The lists below are of what does NOT run workspace code: anything else a runner does is reported,
// so a subcommand forgotten here makes the engine ask, never allow.
import fs from 'node:fs';
import path from 'node:path';
import { isInside } from '../../workspace/paths.ts';
import type { Analysis, Ctx } from './state.ts';
import type { Word } from './words.ts';

const v = (w: Word | undefined): string => w?.value ?? '';

/** Report that command `idx` runs code from the workspace, saying whose. */
export function runsWorkspaceCode(a: Analysis, idx: number, why: string): void {
  a.add('runs_workspace_code', why, idx);
}

/** Runners that compile or format without running anything the project wrote. */
const NO_PROJECT_CODE = new Set([
  'tsc',
  'pyright',
  'black',
  'isort',
  'ruff',
  'rustfmt',
  'gofmt',
  'esbuild',
  'gcc',
  'g++',
  'cc',
  'c++',
  'clang',
  'clang++',
  'rustc',
  'swiftc',
  'brew',
]);

/** Per runner: subcommands that read or report and run none of the project's code. */
const READ_ONLY_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  npm: new Set([
    'ls',
    'list',
    'll',
    'la',
    'view',
    'v',
    'info',
    'show',
    'search',
    'help',
    'config',
    'c',
    'get',
    'whoami',
    'ping',
    'outdated',
    'audit',
    'root',
    'prefix',
    'explain',
    'why',
    'query',
    'docs',
    'bugs',
    'repo',
    'home',
    'fund',
    'sbom',
    'cache',
    'login',
    'logout',
    'adduser',
    'owner',
    'dist-tag',
    'deprecate',
    'access',
    'token',
    'team',
    'org',
    'star',
    'stars',
  ]),
  pnpm: new Set(['list', 'ls', 'll', 'why', 'outdated', 'audit', 'view', 'info', 'help', 'config', 'root', 'bin']),
  yarn: new Set(['list', 'info', 'why', 'outdated', 'audit', 'help', 'config', 'cache', 'bin', 'licenses']),
  bun: new Set(['outdated', 'audit', 'help', 'pm']),
  deno: new Set(['fmt', 'info', 'help', 'doc', 'completions']),
  pip: new Set(['list', 'show', 'freeze', 'help', 'check', 'config', 'cache', 'index', 'search', 'inspect', 'hash']),
  pipx: new Set(['list', 'help', 'environment']),
  uv: new Set(['tree', 'help', 'cache', 'version']),
  poetry: new Set(['show', 'search', 'check', 'help', 'about', 'config']),
  cargo: new Set([
    'fmt',
    'search',
    'help',
    'metadata',
    'tree',
    'locate-project',
    'pkgid',
    'verify-project',
    'login',
    'logout',
    'owner',
    'yank',
    'update',
    'fetch',
    'generate-lockfile',
    'clean',
    'version',
  ]),
  // Every other go command honours go.mod's `toolchain` line, which can fetch and run another Go.
  go: new Set(['help']),
  gem: new Set(['list', 'search', 'query', 'help', 'env', 'contents', 'owner', 'sources', 'specification']),
  composer: new Set(['show', 'search', 'outdated', 'help', 'licenses', 'depends', 'why', 'prohibits', 'why-not']),
  conda: new Set(['list', 'search', 'info', 'help', 'config']),
  dotnet: new Set(['help', 'list', 'nuget', '--info', '--list-sdks', '--list-runtimes']),
};

const ASKS_ONLY_ABOUT_ITSELF = /^(--version|-v|-V|--help|-h|version|help)$/;

/**
 * A build or test runner (commands.ts RUNNERS): whether it runs project code, from its subcommand.
 * `make`, `cmake`, `jest`, `gradle`, `eslint` (its config is a program) … always do; `npm test`,
 * `npm install` (lifecycle scripts), `cargo build` (build.rs) do; `npm ls`, `cargo fmt` do not.
 */
export function runnerCode(c: Ctx, subName: string | undefined): void {
  const { prog, args } = c;
  if (NO_PROJECT_CODE.has(prog)) return;
  if (args.length > 0 && args.every((w) => ASKS_ONLY_ABOUT_ITSELF.test(v(w)))) return;
  const readOnly = READ_ONLY_SUBCOMMANDS[prog];
  if (readOnly && subName !== undefined && readOnly.has(subName)) return;
  const what = subName ? `${prog} ${subName}` : prog;
  runsWorkspaceCode(c.a, c.idx, `${what} runs code the workspace controls (its scripts, build files or tests)`);
}

/** An interpreter running a script file or a module (`python -m` looks in the workspace first). */
export function interpreterCode(c: Ctx, what: string): void {
  runsWorkspaceCode(c.a, c.idx, `${c.prog} runs ${what}, code the workspace controls`);
}

/**
 * A bare program name found through PATH: when the first match is in a folder inside the workspace
 * (a relative entry like `.` or `node_modules/.bin` counts, commands run from the workspace root),
 * the workspace decides what `ls` or `jest` is.
 */
export function pathLookupCode(a: Analysis, name: string, idx: number, searchPath = process.env.PATH ?? ''): void {
  if (name.includes('/')) return;
  for (const entry of searchPath.split(':')) {
    const dir = path.resolve(a.root, entry === '' ? '.' : entry);
    const file = path.join(dir, name);
    let found = false;
    try {
      found = fs.statSync(file).isFile();
    } catch {
      continue;
    }
    if (!found) continue;
    let real = file;
    try {
      real = fs.realpathSync.native(file);
    } catch {
      // keep the unresolved name
    }
    if (isInside(a.root, dir) || isInside(a.root, real)) {
      runsWorkspaceCode(a, idx, `${name} is found through PATH in ${dir}, inside the workspace`);
    }
    return; // the first match is what runs
  }
}
