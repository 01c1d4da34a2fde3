// What the shell classifier reports about a command line: facts, not verdicts. The policy engine
// turns these into allow / ask / deny per mode; the classifier never decides.

/** One simple command as bash would run it, after unwrapping wrappers (`sudo`, `env`, `xargs`, …). */
export interface SimpleCommand {
  /** The program name as written (`rm`, `./build.sh`, `/usr/bin/git`); undefined when not a literal. */
  name: string | undefined;
  /** Literal arguments (after the name); a non-literal argument (expansion) appears as its source text. */
  args: string[];
  /** `NAME=value` prefixes. */
  env: Array<{ name: string; value: string }>;
  /** Wrappers this command was found inside, outermost first (e.g. ['sudo', 'env']). */
  via: string[];
  /** The exact source text of this command, for rules and messages. */
  text: string;
  /** Indexes into `args` of the arguments that are not literal (contain expansions): rules must not
   * treat their text as the value the program will see. */
  dynamicArgs?: number[];
}

export type ConcernKind =
  /** The line could not be parsed, or parsing/analysis hit the size, depth or time bound. */
  | 'unparseable'
  /** `$(…)`, backticks (also inside double quotes), `<(…)`/`>(…)`: the line runs commands it builds. */
  | 'command_substitution'
  /** The command name is an expansion (`$cmd`, `${x}`, `"$@"`), so what runs is not known. */
  | 'dynamic_command'
  /** An environment prefix that changes what a program loads or runs (LD_PRELOAD, NODE_OPTIONS, …). */
  | 'dangerous_env'
  /** A program that is not known to be harmless (anything not on the read-only / build lists). */
  | 'unknown_command'
  /** A known program used in a way that writes files (sed -i, find -delete, cp, mv, rm, tee, touch, …). */
  | 'writes_files'
  /** A path argument or redirection target that resolves outside the workspace. */
  | 'outside_path'
  /** A path argument or redirection target that is a protected file (.git/, .vscode/, rc files, …). */
  | 'protected_path'
  /** Which files it writes (or reads) is decided when it runs, not by the line: a tree copied, moved
   * or synced into a folder (cp -r, mv dir, rsync -a), an archive unpacked (tar x, unzip, 7z x, cpio -i),
   * a write to an expansion (`> "$f"`), a file named by a program's own script (awk `print > f`,
   * awk ARGV). A protected or credential file cannot be ruled out, so it always asks. */
  | 'unknown_targets'
  /** A path argument is a regular file with more than one hard link: another name, perhaps, for a
   * file outside the workspace, which reading or writing it reaches (sandbox or not). */
  | 'hard_link'
  /** Reads a credentials file (.env, keys, ~/.ssh, ~/.aws/credentials, /proc/<pid>/environ). */
  | 'credential_read'
  /** Dumps the environment (env / printenv / set / export -p / declare -x with no command). */
  | 'env_dump'
  /** Uses the network (curl, wget, nc, ssh, scp, git clone/fetch/push, npm install, pip install, …). */
  | 'network'
  /** An interpreter fed inline code (python -c, node -e, perl -e, ruby -e, bash -c, sh -c, eval, source). */
  | 'inline_code'
  /** A wrapper or flag that runs another command the classifier cannot see (xargs, find -exec, rg --pre,
   * git -c core.*=…, sed's e command, parallel, watch, …). Reported with the inner command when known. */
  | 'hidden_command'
  /** Privilege change (sudo, su, doas, pkexec). */
  | 'privilege'
  /** Irreversible or machine-wide (rm -rf on / or ~, mkfs, dd of=/dev/…, shutdown, kill -9 -1, chmod -R 777 /). */
  | 'destructive'
  /** Background or detached processes that outlive the call (nohup, disown, setsid, `&` at top level). */
  | 'background'
  /** Runs code whose behaviour the workspace decides: a Makefile, package.json scripts, tests, build
   * scripts, `node x.mjs`, `./run.sh`, a program found through a workspace PATH entry. Facts for the
   * engine: unsandboxed, that code can do anything the user can. */
  | 'runs_workspace_code';

export interface Concern {
  kind: ConcernKind;
  /** A short human explanation naming the exact part of the line, e.g. "redirects to ~/.ssh/id_rsa". */
  detail: string;
  /** Index into `commands` when the concern belongs to one simple command. */
  command?: number;
}

export interface ShellAnalysis {
  /** False when the line could not be parsed or analysed within bounds (a concern 'unparseable' says why). */
  parsed: boolean;
  commands: SimpleCommand[];
  concerns: Concern[];
}

export interface AnalyzeOptions {
  /** Workspace root (realpath). Relative paths resolve against it (the command's cwd). */
  root: string;
  /** The user's home, for `~` expansion. */
  home: string;
}
