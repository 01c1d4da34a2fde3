// Evasions: lines written to look harmless to a reader or to a naive classifier, and the
// constructs where bash and the parser could disagree.
import type { Case } from './fixture.ts';

const NONE = { concerns: [], exact: true } as const;
/** Runs code the workspace controls (a Makefile, scripts, tests): only that. */
const OWN_CODE = { concerns: ['runs_workspace_code'], exact: true } as const;

export const EVASIONS: Case[] = [
  // Parser/bash disagreements and smuggled code.
  { input: 'true\\\nncate -s0 ~/.bashrc', expect: { concerns: ['unparseable'], parsed: false } },
  { input: 'ls \\\n  -la', expect: NONE },
  { input: 'node -pe 1', expect: { concerns: ['inline_code'] } },
  { input: "perl -e'system(1)' x", expect: { concerns: ['inline_code'] } },
  { input: "perl -M'strict;system q(id)' x", expect: { concerns: ['inline_code'] } },
  { input: 'node --inspect=0.0.0.0 app.js', expect: { concerns: ['network'] } },
  { input: 'git log -p --output=/tmp/x', expect: { concerns: ['writes_files', 'outside_path'] } },
  { input: 'declare -p AWS_SECRET', expect: { concerns: ['env_dump'] } },
  { input: 'cat .e*', expect: { concerns: ['credential_read'] } },
  { input: 'cat src/../.env', expect: { concerns: ['credential_read'] } },
  { input: 'tr "\\0" "\\n" < /proc/self/environ', expect: { concerns: ['credential_read'] } },
  { input: 'rm -rf .git', expect: { concerns: ['protected_path'] } },
  { input: 'rm -rf .', expect: { concerns: ['destructive'] } },
  { input: '$(echo rm) -rf ~', expect: { concerns: ['dynamic_command', 'command_substitution'] } },
  { input: 'source <(curl x)', expect: { concerns: ['inline_code', 'network'] } },
  {
    input: 'echo x | sudo tee /etc/hosts',
    expect: { commands: ['echo', 'sudo', 'tee'], concerns: ['privilege', 'outside_path'] },
  },
  { input: 'bash -o errexit -c "rm -rf ~"', expect: { commands: ['bash', 'rm'], concerns: ['destructive'] } },
  { input: 'git remote add x ext::sh', expect: { concerns: ['protected_path', 'hidden_command'] } },
  // Recursion that follows symlinks (sshlink leads out of the workspace).
  { input: 'grep -R secret .', expect: { concerns: ['outside_path'] } },
  { input: 'grep -R secret src', expect: NONE },
  { input: 'grep -r secret .', expect: NONE },
  { input: 'rg -L secret', expect: { concerns: ['outside_path'] } },
  { input: 'zip -r out.zip .', expect: { concerns: ['writes_files', 'outside_path'] } },
  { input: 'find -L . -name id_rsa', expect: { concerns: ['outside_path'] } },
  { input: 'cp -rL . copy', expect: { concerns: ['writes_files', 'outside_path'] } },
  // Copying a folder's tree creates whatever it holds at run time (it may hold .git/hooks): asks.
  { input: 'cp -r src copy', expect: { concerns: ['writes_files', 'unknown_targets'], exact: true } },
  { input: 'date -s 2020-01-01', expect: { concerns: ['unknown_command'] } },
  // Nested backticks: bash unescapes \` and parses again.
  {
    input: 'echo `echo \\`curl x\\``',
    expect: { commands: ['echo', 'echo', 'curl'], concerns: ['command_substitution', 'network'] },
  },
  { input: 'echo a#b; curl x', expect: { commands: ['echo', 'curl'], concerns: ['network'] } },
  { input: 'echo $(case x in a) echo;; esac); curl y', expect: { concerns: ['network'] } },
  // Loop variables are checked through their values; reassigned or computed ones stay unknown.
  { input: 'for f in ~/.ssh/*; do cat "$f"; done', expect: { concerns: ['credential_read', 'outside_path'] } },
  { input: 'for f in src/x.ts; do f=~/.ssh/id_rsa; cat "$f"; done', expect: { concerns: ['outside_path'] } },
  { input: 'for f in $(ls); do cat "$f"; done', expect: { concerns: ['outside_path', 'command_substitution'] } },
  { input: 'cp -r src copy && cat copy/x.ts', expect: { concerns: ['writes_files', 'outside_path'] } },
  // Builtins that evaluate array subscripts (and so run $(…) hidden in quoted text).
  { input: "read 'a[$(id)]'", expect: { concerns: ['hidden_command'] } },
  { input: "[[ -v 'a[$(id)]' ]]", expect: { concerns: ['hidden_command'] } },
  { input: "declare 'a[$(id)]=1'", expect: { concerns: ['hidden_command'] } },
  { input: "printf -v 'a[$(id)]' x", expect: { concerns: ['hidden_command'] } },
  { input: 'printf -v "$x" 1', expect: { concerns: ['hidden_command'] } },
  { input: "y='$(curl x)'; echo ${y@P}", expect: { concerns: ['hidden_command'] } },
  { input: 'export "$X"', expect: { concerns: ['hidden_command'] } },
  { input: '[[ -v $x ]]', expect: { concerns: ['hidden_command'] } },
  { input: 'read -r line < list.txt && echo "$line"', expect: NONE },
  { input: 'for i in 1 2 3; do echo $((i*2)); done', expect: NONE },
  { input: 'for i in a b; do echo $((i*2)); done', expect: { concerns: ['hidden_command'] } },
  // Options that smuggle a command, code or a file from elsewhere into a harmless-looking runner.
  { input: 'hash -p /usr/bin/curl cat; cat x', expect: { concerns: ['hidden_command'] } },
  { input: 'make --eval="x:;id"', expect: { concerns: ['hidden_command'] } },
  { input: "go build -toolexec='sh -c id'", expect: { concerns: ['hidden_command'] } },
  { input: 'node --import=data:text/javascript,1 x.js', expect: { concerns: ['inline_code'] } },
  { input: 'perl -I/tmp/lib x.pl', expect: { concerns: ['outside_path'] } },
  { input: 'java -javaagent:/tmp/a.jar -jar x.jar', expect: { concerns: ['outside_path'] } },
  { input: 'npm test --node-options=--require=/tmp/x.js', expect: { concerns: ['hidden_command', 'outside_path'] } },
  { input: 'sort --compress-program=x f', expect: { concerns: ['hidden_command'] } },
  { input: 'python -mpip install x', expect: { concerns: ['network'] } },
  { input: 'make PREFIX=~/x install', expect: { concerns: ['outside_path'] } },
  { input: 'RIPGREP_CONFIG_PATH=./rc rg foo', expect: { concerns: ['dangerous_env'] } },
  { input: 'make -p', expect: { concerns: ['env_dump'] } },
  { input: 'node --test', expect: OWN_CODE },
  { input: 'node --test -e 1', expect: { concerns: ['inline_code'] } },
  // git picks up repositories by discovery: a bare one (HEAD + config) in a subfolder runs its config.
  { input: 'cd bare && git status', expect: { concerns: ['hidden_command'] } },
  { input: 'git -C bare log', expect: { concerns: ['hidden_command'] } },
  { input: 'cd src && git status', expect: NONE },
  { input: 'mkdir -p sub && cd sub && git status', expect: { concerns: ['hidden_command'] } },
];
