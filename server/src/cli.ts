// The `agio` command line: run, runs, replay, serve. Wiring only; each command lives in cli/.
import { parseArgs } from 'node:util';
import { handleClosedOutput } from './cli/closed-output.ts';
import { UsageError } from './config/usage-error.ts';
import { defaultStorePath } from './store/data-dir.ts';
import { AGIO_VERSION } from './version.ts';

const HELP = `agio ${AGIO_VERSION} — an autonomous coding agent

Usage:
  agio run [options] <task…>     run a task in a workspace, streaming every step
  agio resume <run-id> [options] continue an interrupted run from its recorded conversation
                                 (--compact: summarize its older part first)
  agio runs [--json] [--limit N] list past runs
  agio replay <run-id> [--json]  show a stored run exactly as it streamed
  agio restore <run-id> [--to-step N] [--dry-run]
                                 put the workspace back as it was before step N (default: before the run)
  agio serve --stdio             the agent server on an LSP connection (used by the VS Code extension)

Run options:
  --cwd DIR            workspace folder (default: the current folder)
  --provider NAME      openai | anthropic   (env AGIO_PROVIDER)
  --model NAME         model name           (env AGIO_MODEL)
  --base-url URL       API endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama (env OPENAI_BASE_URL / ANTHROPIC_BASE_URL)
  --approval MODE      read-only | ask | auto-edit | full-auto (default: ask)
  --max-steps N        stop after N model turns
  --max-time SECONDS   stop after this much wall time
  --max-tokens N       stop once input + output tokens reach N
  --max-cost USD       stop once the run has cost this much (or before a call that would cross it)
  --max-repeated-errors N  stop when a tool fails the same way N times in a row (default 3)
  --no-progress-turns N    N turns in a row with nothing new… (default 3)
  --on-no-progress ask|stop  …ask whether to go on (default; headless means stop) or stop
  --stream-timeout SECONDS   abandon and retry a model stream silent this long (default 120)
  --context-window N   the model's context window in tokens (default: the model table; unknown models 32768)
  --max-output N       the model's output cap in tokens (default: the model table)
  --compact-at F       compact the conversation at this share of the window (default 0.8)
  --compact            (resume) compact the conversation before the first model call
  --store FILE         event log (env AGIO_STORE; default: ${defaultStorePath()})
  --json               one JSON event per line on stdout; everything else on stderr
  --untrusted          treat the workspace as untrusted: read tools only, no project policy file
  --unsandboxed-full-auto  without a sandbox, let full-auto run code the workspace controls (make,
                       npm test, ./run.sh, node x.mjs) unasked; that code can do anything you can.
                       Per workspace: list its folder in ~/.config/agio/unsandboxed-full-auto.json
                       ({"workspaces": ["/path/to/project"]})

Settings files: ~/.config/agio/config.json and the workspace's .agio/config.json set default
budgets and guards ({"limits": {"maxSteps", "maxTimeSeconds", "maxTokens", "maxCostUsd"},
"guards": {"repeatedErrors", "noProgressTurns", "onNoProgress", "streamIdleSeconds"}}); the workspace
file can only tighten them. Flags override both.

Mentions in the task attach context: @path/to/file, @folder/, @git-changes (the uncommitted diff),
@https://… (fetched through the network policy). AGENTS.md at the root and in folders the run touches,
and .agio/rules/*.md, are given to the model as the project's rules.

Environment: AGIO_SANDBOX=off runs commands without the bubblewrap sandbox even where it exists.

Keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY.
Exit status: 0 completed, 1 failed or budget reached, 2 usage or configuration error, 130 cancelled.
`;

const OPTIONS = {
  cwd: { type: 'string' },
  provider: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  approval: { type: 'string' },
  'max-steps': { type: 'string' },
  'max-time': { type: 'string' },
  'max-tokens': { type: 'string' },
  'max-cost': { type: 'string' },
  store: { type: 'string' },
  'stream-timeout': { type: 'string' },
  'max-repeated-errors': { type: 'string' },
  'no-progress-turns': { type: 'string' },
  'on-no-progress': { type: 'string' },
  'context-window': { type: 'string' },
  'max-output': { type: 'string' },
  'compact-at': { type: 'string' },
  compact: { type: 'boolean' },
  'to-step': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  stdio: { type: 'boolean' },
  limit: { type: 'string' },
  untrusted: { type: 'boolean' },
  'unsandboxed-full-auto': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  // Added by vscode-languageclient when it starts `serve`; vscode-languageserver reads it from argv to
  // exit when the editor process dies.
  clientProcessId: { type: 'string' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (values.version) return print(`${AGIO_VERSION}\n`);
  if (values.help || command === undefined || command === 'help') return print(HELP);
  const storePath = values.store ?? defaultStorePath();
  switch (command) {
    case 'run':
      return (await import('./cli/run-command.ts')).runCommand(rest.join(' '), values, storePath);
    case 'resume':
      return (await import('./cli/run-command.ts')).runCommand('', values, storePath, rest[0] ?? '');
    case 'runs':
      return (await import('./cli/history-commands.ts')).runsCommand(values, storePath);
    case 'replay':
      return (await import('./cli/history-commands.ts')).replayCommand(rest[0], values, storePath);
    case 'restore':
      return (await import('./cli/restore-command.ts')).restoreCommand(rest[0], values, storePath);
    case 'serve':
      if (!values.stdio) throw new UsageError('agio serve needs --stdio (the only transport so far)');
      return (await import('./main.ts')).serveStdio(storePath);
    default:
      throw new UsageError(`unknown command "${command}"; try agio --help`);
  }
}

function print(s: string): number {
  process.stdout.write(s);
  return 0;
}

handleClosedOutput();
main(process.argv.slice(2)).then(
  (code) => {
    // exitCode, not exit(): a pending stdout write to a pipe must not be cut off.
    process.exitCode = code;
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`agio: ${(err as Error).message ?? String(err)}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
