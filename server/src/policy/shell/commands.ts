// What the classifier knows about programs. Knowledge only: the AST walk is in analyze.ts, the
// per-program rules in programs.ts / git.ts, the path checks in path-args.ts.
//
// BUILD AND TEST RUNNERS ARE A CATEGORY OF THEIR OWN. Running the project's tests, scripts and
// builds is what a coding agent is for, so `npm test`, `make`, `cargo build`, `python script.py`
// or `./run.sh` raise no concern by themselves, even though they run code the agent may have
// written. What they get checked for instead: installing packages or fetching from a registry
// (`npm install`, `pip install`, `npx <not installed>` → network + writes_files), and naming a
// script or file outside the workspace (→ outside_path). A sandbox or the user's mode decides how
// much project code may run; this table only reports facts about the line.
//
// Anything not named in these tables is `unknown_command`: the lists are allow-lists, so forgetting
// a program makes the engine ask, never allow.

/** Read-only programs whose non-option arguments are files they read (each is path-checked). */
export const READERS = new Set([
  'ls', 'dir', 'cat', 'head', 'tail', 'wc', 'grep', 'egrep', 'fgrep', 'rg', 'fd', 'fdfind', 'tree', 'stat',
  'file', 'du', 'df', 'realpath', 'readlink', 'sort', 'uniq', 'cut', 'diff', 'cmp', 'comm', 'jq', 'md5sum',
  'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'shasum', 'b2sum', 'cksum', 'sum', 'column',
  'nl', 'od', 'hexdump', 'xxd', 'tac', 'rev', 'paste', 'join', 'fold', 'expand', 'unexpand', 'base64',
  'base32', 'strings', 'shuf', 'iconv', 'look', 'fmt', 'pr', 'tsort', 'find', 'lsattr',
]);

/** Harmless programs and builtins whose arguments are not files (no path check). */
export const NO_FILE_ARGS = new Set([
  'echo', 'printf', 'true', 'false', ':', 'test', '[', '[[', 'which', 'type', 'basename', 'dirname', 'tr',
  'date', 'whoami', 'id', 'groups', 'uname', 'hostname', 'seq', 'sleep', 'yes', 'pwd', 'ps', 'nproc', 'free',
  'uptime', 'arch', 'expr', 'numfmt', 'locale', 'getconf', 'tty', 'cal', 'wait', 'jobs', 'exit', 'return',
  'shift', 'break', 'continue', 'unset', 'help', 'read', 'getopts', 'local', 'readonly', 'clear',
  'tput', 'lsb_release', 'logname', 'users',
]);

/** Writers: every path argument is write-checked; the command reports writes_files. */
export const WRITERS = new Set([
  'rm', 'unlink', 'mv', 'cp', 'ln', 'mkdir', 'rmdir', 'touch', 'tee', 'truncate', 'chmod', 'chown', 'chgrp',
  'install', 'patch', 'tar', 'unzip', 'zip', 'gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd',
  'unzstd', 'shred', 'split', 'csplit', 'dd', 'rsync', 'mktemp', 'mkfifo', 'chattr', 'setfacl',
]);

/** Writers whose first positional argument is not a path (a mode or an owner). */
export const FIRST_ARG_NOT_PATH = new Set(['chmod', 'chown', 'chgrp', 'chattr', 'setfacl']);

/** Writers that can create symbolic links (or move them), so later path checks in the same line
 * cannot trust what the disk looks like now. cp only with -r/-a/-P/-d/-s (see programs.ts). */
export const LINK_MAKERS = new Set(['ln', 'mv', 'tar', 'unzip', 'rsync', 'patch']);

/** Options whose value is a file the program writes, for otherwise read-only programs. */
export const OUTPUT_OPTIONS: Record<string, string[]> = {
  sort: ['-o', '--output'], shuf: ['-o', '--output'], iconv: ['-o', '--output'], tree: ['-o'],
  time: ['-o', '--output'], strace: ['-o'], ltrace: ['-o'],
};

/** Programs that talk to the network by design. */
export const NETWORK = new Set([
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ssh', 'scp', 'sftp', 'ftp', 'http', 'https',
  'httpie', 'xh', 'aria2c', 'dig', 'nslookup', 'host', 'ping', 'ping6', 'traceroute', 'tracepath', 'mtr',
  'whois', 'lftp', 'gh', 'ssh-keyscan', 'ssh-copy-id', 'mosh', 'websocat', 'grpcurl', 'nmap', 'openssl',
]);

/** Irreversible or machine-wide programs. */
export const DESTRUCTIVE = new Set([
  'shutdown', 'reboot', 'halt', 'poweroff', 'fdisk', 'sfdisk', 'parted', 'wipefs', 'mkswap', 'swapoff',
  'telinit', 'killall5', 'format',
]);

/** Privilege changers (also wrappers). */
export const PRIVILEGE = new Set(['sudo', 'doas', 'su', 'pkexec', 'runuser', 'sudoedit']);

export interface WrapperSpec {
  /** Short options that take a value (letters). */
  short?: string;
  /** Long options that take a separate value (without `=`). */
  long?: string[];
  /** Positional words before the inner command (timeout's duration, taskset's mask, busybox: 0). */
  skip?: number;
  /** Accept NAME=value words before the command (env, sudo). */
  assignments?: boolean;
  /** Concerns the wrapper itself adds, whatever it runs. */
  adds?: Array<'privilege' | 'background' | 'hidden_command'>;
}

/** Programs that run another command given in their arguments: the inner command is analysed. */
export const WRAPPERS: Record<string, WrapperSpec> = {
  env: { short: 'uCSP', long: ['--unset', '--chdir', '--split-string'], assignments: true },
  sudo: { short: 'ugCDhprtTUR', long: ['--user', '--group', '--chdir', '--prompt', '--role', '--type',
    '--other-user', '--close-from', '--host', '--command-timeout', '--chroot'], assignments: true,
    adds: ['privilege'] },
  doas: { short: 'uC', adds: ['privilege'] },
  pkexec: { long: ['--user'], adds: ['privilege'] },
  nice: { short: 'n', long: ['--adjustment'] },
  ionice: { short: 'cnp', long: ['--class', '--classdata', '--pid'] },
  nohup: { adds: ['background'] },
  setsid: { adds: ['background'] },
  timeout: { short: 'sk', long: ['--signal', '--kill-after'], skip: 1 },
  time: { short: 'fo', long: ['--format', '--output'] },
  command: {},
  builtin: {},
  exec: { short: 'a' },
  stdbuf: { short: 'ioe', long: ['--input', '--output', '--error'] },
  chrt: { skip: 1 },
  taskset: { skip: 1 },
  unbuffer: {},
  flock: { short: 'wE', long: ['--timeout', '--conflict-exit-code'], skip: 1 },
  strace: { short: 'eopsuEaIPSXOb', adds: ['hidden_command'] },
  ltrace: { short: 'eopsuEanA', adds: ['hidden_command'] },
  busybox: {},
  xargs: { short: 'IndELsPa', long: ['--max-args', '--max-lines', '--max-procs', '--delimiter', '--eof',
    '--replace', '--arg-file', '--max-chars', '--process-slot-var'], adds: ['hidden_command'] },
  watch: { short: 'nq', long: ['--interval', '--chgexit'], adds: ['hidden_command'] },
  caffeinate: { short: 'tw' },
  catchsegv: {},
  coproc: { adds: ['background'] },
};

/** Shells: `-c SCRIPT` is parsed and analysed; a file runs like a workspace script. */
export const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'rbash', 'yash']);

/** Interpreters: flags that take inline code, and whether no script means "reads code from stdin". */
export const INTERPRETERS: Record<string, { inline: string[]; valueOpts?: string[] }> = {
  python: { inline: ['-c'], valueOpts: ['-W', '-X', '-m'] },
  node: { inline: ['-e', '--eval', '-p', '--print'], valueOpts: ['-r', '--require', '--import', '--loader',
    '--experimental-loader', '--env-file', '-C', '--conditions', '--input-type', '--stack-size'] },
  nodejs: { inline: ['-e', '--eval', '-p', '--print'], valueOpts: ['-r', '--require', '--import'] },
  perl: { inline: ['-e', '-E'], valueOpts: ['-I', '-M', '-m'] },
  ruby: { inline: ['-e'], valueOpts: ['-I', '-r'] },
  php: { inline: ['-r', '-a'], valueOpts: ['-c', '-d', '-z'] },
  bun: { inline: ['-e', '--eval', '-p', '--print'] },
  osascript: { inline: ['-e'] },
  lua: { inline: ['-e'], valueOpts: ['-l'] },
  luajit: { inline: ['-e'] },
  Rscript: { inline: ['-e'] },
  R: { inline: ['-e'] },
  julia: { inline: ['-e', '--eval', '-E', '--print'] },
  pwsh: { inline: ['-c', '-command', '-Command', '-encodedcommand', '-EncodedCommand'] },
  powershell: { inline: ['-c', '-command', '-Command', '-encodedcommand', '-EncodedCommand'] },
  tsx: { inline: ['-e', '--eval', '-p', '--print'] },
  'ts-node': { inline: ['-e', '--eval', '-p', '--print'] },
  groovy: { inline: ['-e'] },
  scala: { inline: ['-e'] },
  tclsh: { inline: [] },
  expect: { inline: ['-c'] },
  jshell: { inline: [] },
};

/** `python -m <module>` modules that run the project's tests or tools rather than arbitrary code. */
export const PYTHON_MODULES = new Set([
  'pytest', 'unittest', 'mypy', 'black', 'ruff', 'flake8', 'pylint', 'isort', 'doctest', 'compileall',
  'py_compile', 'json.tool', 'venv', 'coverage', 'pyright', 'tox', 'nox', 'timeit', 'tabnanny',
]);

/** Build/test runners: concerns per subcommand ('network' implies package installs or registry use). */
export interface RunnerSpec {
  /** Subcommands that install or fetch packages (network + writes_files). */
  install?: string[];
  /** Subcommands that write files in the workspace but need no network. */
  writes?: string[];
  /** Subcommands that run a package that may not be installed (npx-like): network unless local. */
  fetchRun?: string[];
  /** Flags anywhere in the line that make the tool rewrite files (eslint --fix, prettier --write). */
  writeFlags?: string[];
  /** Formatters that rewrite files by default (black, isort, rustfmt). */
  alwaysWrites?: boolean;
  /** With no subcommand at all: 'install' (yarn) or undefined (fine). */
  bare?: 'install';
}

export const RUNNERS: Record<string, RunnerSpec> = {
  npm: { install: ['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal',
    'isntall', 'add', 'ci', 'clean-install', 'install-clean', 'update', 'up', 'upgrade', 'uninstall', 'remove',
    'rm', 'r', 'un', 'unlink', 'link', 'ln', 'publish', 'unpublish', 'audit', 'outdated', 'view', 'v', 'info',
    'show', 'search', 'dedupe', 'ddp', 'prune', 'rebuild', 'rb', 'install-test', 'it', 'it', 'login',
    'logout', 'adduser', 'deprecate', 'dist-tag', 'owner', 'access', 'token', 'team', 'org', 'star', 'init',
    'create', 'doctor', 'ping', 'fund', 'sbom', 'pack', 'hook', 'profile', 'whoami', 'cache'],
  writes: ['version', 'pkg', 'set-script', 'config', 'c', 'set', 'shrinkwrap'], fetchRun: ['exec', 'x'] },
  pnpm: { install: ['install', 'i', 'add', 'update', 'up', 'upgrade', 'remove', 'rm', 'uninstall', 'un', 'link',
    'ln', 'unlink', 'dlx', 'create', 'publish', 'fetch', 'import', 'store', 'setup', 'self-update', 'env',
    'audit', 'outdated', 'rebuild', 'rb', 'prune', 'dedupe', 'install-test', 'it', 'init', 'patch-commit'] },
  yarn: { install: ['install', 'add', 'upgrade', 'up', 'upgrade-interactive', 'remove', 'dlx', 'global',
    'import', 'publish', 'npm', 'set', 'plugin', 'create', 'init', 'link', 'unlink', 'dedupe', 'audit',
    'outdated', 'info', 'why', 'cache', 'login', 'logout', 'policies', 'self-update'], bare: 'install' },
  bun: { install: ['install', 'i', 'add', 'a', 'remove', 'rm', 'update', 'upgrade', 'x', 'create', 'c',
    'pm', 'publish', 'link', 'unlink', 'init', 'outdated', 'audit', 'patch-commit'] },
  deno: { install: ['install', 'i', 'add', 'remove', 'upgrade', 'uninstall', 'publish', 'compile', 'cache',
    'outdated'], writes: ['fmt'] },
  pip: { install: ['install', 'download', 'wheel', 'index', 'search'], writes: ['uninstall', 'cache', 'config'] },
  pipx: { install: ['install', 'run', 'upgrade', 'upgrade-all', 'inject', 'reinstall', 'reinstall-all'],
    writes: ['uninstall', 'uninstall-all'] },
  uv: { install: ['pip', 'add', 'remove', 'sync', 'lock', 'run', 'tool', 'python', 'init', 'venv', 'publish',
    'self', 'export', 'tree'] },
  poetry: { install: ['install', 'add', 'remove', 'update', 'lock', 'publish', 'self', 'source', 'new', 'init',
    'build'] },
  cargo: { install: ['install', 'uninstall', 'add', 'remove', 'rm', 'update', 'publish', 'search', 'fetch',
    'login', 'logout', 'owner', 'yank', 'new', 'init', 'vendor', 'generate-lockfile'], writes: ['fmt', 'fix',
    'clean'], writeFlags: ['--fix'] },
  go: { install: ['install', 'get', 'mod', 'work'], writes: ['fmt', 'fix', 'clean', 'generate'] },
  gem: { install: ['install', 'update', 'uninstall', 'fetch', 'push', 'sources', 'owner', 'yank', 'search',
    'query', 'specific_install'] },
  bundle: { install: ['install', 'update', 'add', 'remove', 'lock', 'outdated', 'package', 'cache', 'binstubs',
    'init', 'gem'], bare: 'install' },
  composer: { install: ['install', 'i', 'update', 'u', 'upgrade', 'require', 'r', 'remove', 'rm',
    'create-project', 'global', 'self-update', 'selfupdate', 'outdated', 'show', 'search'], bare: 'install' },
  dotnet: { install: ['add', 'restore', 'new', 'tool', 'workload', 'nuget', 'remove', 'publish'] },
  mix: { install: ['deps.get', 'deps.update', 'archive.install', 'local.hex', 'local.rebar', 'hex.publish'] },
  brew: { install: ['install', 'reinstall', 'upgrade', 'update', 'uninstall', 'remove', 'rm', 'tap', 'untap',
    'fetch', 'search', 'info', 'outdated', 'cleanup', 'link', 'unlink', 'services', 'bundle'] },
  conda: { install: ['install', 'create', 'update', 'upgrade', 'remove', 'uninstall', 'search', 'env', 'run'] },
  make: {}, gmake: {}, cmake: {}, ninja: {}, meson: {}, tsc: {}, jest: {}, vitest: {}, mocha: {}, ava: {},
  pytest: {}, 'py.test': {}, mypy: {}, pyright: {}, flake8: {}, pylint: {}, mvn: {}, mvnw: {}, gradle: {},
  gradlew: {}, ant: {}, sbt: {}, rustc: {}, gcc: {}, 'g++': {}, cc: {}, 'c++': {}, clang: {}, 'clang++': {},
  javac: {}, java: {}, kotlinc: {}, swiftc: {}, zig: {}, rake: {}, rspec: {}, phpunit: {}, nx: {}, turbo: {},
  lerna: {}, webpack: {}, vite: {}, rollup: {}, esbuild: {}, tox: {}, nox: {}, bazel: {}, buck: {},
  eslint: { writeFlags: ['--fix'] },
  prettier: { writeFlags: ['--write', '-w'] },
  black: { alwaysWrites: true },
  ruff: { writeFlags: ['--fix', 'format'] },
  isort: { alwaysWrites: true },
  rustfmt: { alwaysWrites: true },
  gofmt: { writeFlags: ['-w'] },
};

/** Runner options that run a command or code given in the option (not a project file). */
export const RUNNER_EXEC_OPTIONS: Record<string, RegExp> = {
  make: /^(--eval|-E)/, gmake: /^(--eval|-E)/, cargo: /^--config/, go: /^-(toolexec|exec|overlay)/,
  npm: /^--(node-options|script-shell)/, pnpm: /^--(node-options|script-shell)/, yarn: /^--(node-options)/,
  gcc: /^-(wrapper|fplugin)/, 'g++': /^-(wrapper|fplugin)/, cc: /^-(wrapper|fplugin)/, clang: /^-(Xclang|fplugin)/,
};

/** Package runners that execute a package by name: fine when it is installed in the workspace. */
export const PACKAGE_RUNNERS = new Set(['npx', 'bunx', 'pnpx', 'uvx']);

/** Environment variable names that change what a program loads or runs. */
const DANGEROUS_ENV_EXACT = new Set([
  'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'LD_DEBUG_OUTPUT', 'NODE_OPTIONS', 'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE', 'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'BASH_ENV',
  'ENV', 'PROMPT_COMMAND', 'PAGER', 'MANPAGER', 'SYSTEMD_PAGER', 'LESSOPEN', 'LESSCLOSE', 'EDITOR', 'VISUAL',
  'SUDO_ASKPASS', 'SSH_ASKPASS', 'IFS', 'PATH', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'CDPATH', 'GLOBIGNORE', 'HOME',
  'XDG_CONFIG_HOME', 'ZDOTDIR', 'INPUTRC', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS',
  'RUSTC_WRAPPER', 'RUSTC', 'RUSTDOCFLAGS', 'RUSTFLAGS', 'CC', 'CXX', 'LUA_INIT', 'LUA_PATH', 'LUA_CPATH',
  'PHPRC', 'PHP_INI_SCAN_DIR', 'GCONV_PATH', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCPATH', 'NLSPATH', 'SHELL',
  'TMPDIR', 'OLDPWD', 'PWD', 'BROWSER', 'TERMINAL', 'DOCKER_HOST', 'KUBECONFIG', 'http_proxy', 'https_proxy',
  'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'all_proxy', 'RIPGREP_CONFIG_PATH', 'TAR_OPTIONS', 'AWKLIBPATH',
  'AWKPATH', 'BASH_LOADABLES_PATH', 'CLASSPATH', 'GOFLAGS', 'GOENV', 'GOTOOLCHAIN', 'CFLAGS', 'CXXFLAGS',
  'CPPFLAGS', 'LDFLAGS', 'PYTEST_ADDOPTS', 'PYTEST_PLUGINS', 'DOTNET_STARTUP_HOOKS', 'MAVEN_OPTS', 'GRADLE_OPTS',
  'SBT_OPTS', 'ANT_OPTS', 'R_PROFILE', 'R_PROFILE_USER', 'GTK_MODULES', 'CURL_HOME', 'WGETRC', 'RSYNC_RSH',
  'RSYNC_CONNECT_PROG', 'GZIP', 'XZ_OPT', 'UNZIP', 'ZIPOPT', 'VIMINIT', 'EXINIT',
]);
const SAFE_PREFIXED = new Set([
  'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE', 'GIT_TERMINAL_PROMPT', 'GIT_OPTIONAL_LOCKS', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE',
  'PYTHONIOENCODING', 'PYTHONHASHSEED', 'PYTHONUTF8', 'PYTHONFAULTHANDLER',
]);

export function dangerousEnv(name: string): boolean {
  if (DANGEROUS_ENV_EXACT.has(name)) return true;
  if (SAFE_PREFIXED.has(name)) return false;
  return /^(LD_|DYLD_|GIT_|PYTHON|BASH_FUNC_|NPM_CONFIG_|YARN_|PNPM_|BUN_CONFIG|CARGO_|MAKE|CGO_|GEM_|BUNDLE_|CORECLR_|COMPLUS_|PS[0-9]$)/i.test(name);
}

/** Variables whose value is not a secret: reading them is not an environment dump. */
export const SAFE_VARS = new Set([
  'HOME', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'PATH', 'TERM', 'LANG', 'LANGUAGE', 'TMPDIR', 'HOSTNAME',
  'UID', 'EUID', 'PPID', 'RANDOM', 'SRANDOM', 'LINENO', 'SECONDS', 'BASHPID', 'BASH_VERSION', 'BASH', 'OSTYPE',
  'HOSTTYPE', 'MACHTYPE', 'IFS', 'PIPESTATUS', 'EPOCHSECONDS', 'EPOCHREALTIME', 'COLUMNS', 'LINES', 'SHLVL',
  'CI', 'NODE_ENV', 'EDITOR', 'VISUAL', 'PAGER', 'FUNCNAME', 'BASH_SOURCE', 'BASH_LINENO', 'OPTARG', 'OPTIND',
  'REPLY', 'GROUPS', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'DISPLAY', 'TZ',
]);

/** Standard program folders: `/usr/bin/rm` is `rm`; anything else with a slash is a file to check. */
export const SYSTEM_BIN_DIRS = new Set([
  '/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin',
]);

/** Devices that are fine to read from / write to. */
export const SAFE_WRITE_DEVICES = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/fd/1', '/dev/fd/2']);
export const SAFE_READ_DEVICES = new Set(['/dev/null', '/dev/stdin', '/dev/zero', '/dev/urandom', '/dev/random',
  '/dev/fd/0']);
