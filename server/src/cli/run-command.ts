// `agio run`: one task, streamed to the terminal (or as JSON lines), recorded in the store.
import { headlessApprover } from '../agent/approver.ts';
import { loadResume, startRun } from '../agent/start-run.ts';
import type { ResumeState } from '../agent/resume-state.ts';
import { EventStore } from '../store/event-store.ts';
import { DiskFiles } from '../workspace/disk-files.ts';
import { resolveRun } from '../config/resolve-run.ts';
import { runRequestFromFlags, type RunFlags } from './run-flags.ts';
import { whenStdoutCloses } from './closed-output.ts';
import { LineBatcher } from './line-batcher.ts';
import { HumanRenderer, sandboxBanner, summaryLine } from './render.ts';
import { ttyApprover } from './tty-approver.ts';
import { UsageError } from '../config/usage-error.ts';
import { parseMentions } from '../context/mentions.ts';
import { environmentWithKeys } from '../config/launcher-keys.ts';

export const EXIT = { completed: 0, failed: 1, limit: 1, usage: 2, cancelled: 130 } as const;

export async function runCommand(
  task: string,
  flags: RunFlags & { json?: boolean; untrusted?: boolean; compact?: boolean; 'unsandboxed-full-auto'?: boolean },
  storePath: string,
  resumeId?: string,
): Promise<number> {
  if (resumeId === '') throw new UsageError('agio resume needs a run id (see agio runs)');
  const store = EventStore.open(storePath);
  let resume: ResumeState | undefined;
  if (resumeId !== undefined) {
    const loaded = loadResume(store, resumeId);
    if ('error' in loaded) {
      store.close();
      throw new UsageError(`cannot resume ${resumeId}: ${loaded.error}`);
    }
    resume = loaded;
    // The run's own settings, unless a flag says otherwise; its key comes from the environment as usual.
    const r = loaded.runStart;
    flags = {
      cwd: r.cwd,
      provider: r.provider,
      model: r.model,
      approval: r.approval,
      ...(r.baseUrl ? { 'base-url': r.baseUrl } : {}),
      ...definedFlags(flags),
    };
    task = r.task;
  }
  if (!task.trim()) throw new UsageError('agio run needs a task, e.g. agio run "add a test for parseConfig"');
  if (flags.compact && !resume)
    throw new UsageError('--compact goes with agio resume <run-id>: a new run has nothing to compact yet');
  const request = runRequestFromFlags(task, flags, {
    trusted: !flags.untrusted,
    compactFirst: Boolean(flags.compact),
    unsandboxedFullAuto: Boolean(flags['unsandboxed-full-auto']),
  });
  // The key comes from the environment (OPENAI_API_KEY / ANTHROPIC_API_KEY), read by the resolver;
  // the launcher moved it out of process.env (launcher-keys.ts), so the run gets a copy with it.
  const cfg = resolveRun(request, {
    env: environmentWithKeys(),
    recorded: resume
      ? { limits: resume.runStart.limits, guards: resume.runStart.guards, context: resume.runStart.context }
      : undefined,
  });
  const renderer = flags.json ? undefined : new HumanRenderer(process.stdout);
  const lines = new LineBatcher(process.stdout);
  const sink = flags.json
    ? (_e: unknown, json: string) => lines.push(json)
    : (e: Parameters<HumanRenderer['render']>[0]) => renderer!.render(e);
  // With --json the banner cannot go in the event stream's stdout; say it on stderr.
  const banner = (e: Parameters<HumanRenderer['render']>[0]) => {
    if (e.type === 'run_start') process.stderr.write(`${sandboxBanner(e.sandbox, e.unsandboxedFullAuto)}\n`);
  };

  // First Ctrl-C stops the model stream and any running command; a second one leaves at once.
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) {
      lines.flush();
      process.exit(EXIT.cancelled);
    }
    process.stderr.write('\nagio: cancelling… (Ctrl-C again to quit now)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  // The reader of our output went away (`agio run … | head`): stop the run as a Ctrl-C would.
  const unwatch = whenStdoutCloses(() => {
    process.stderr.write('agio: stdout was closed; cancelling the run\n');
    abort.abort();
  });
  try {
    const outcome = await startRun(
      resume ? cfg : { ...cfg, attachments: parseMentions(task, cfg.cwd) },
      {
        store,
        sinks: flags.json ? [sink, banner] : [sink],
        approver: process.stdin.isTTY
          ? ttyApprover(process.stdin, process.stderr, { onInterrupt: onSigint, describe: Boolean(flags.json) })
          : headlessApprover,
        files: new DiskFiles(cfg.cwd),
        signal: abort.signal,
      },
      resume,
    );
    lines.flush();
    if (flags.json) process.stderr.write(`${summaryLine(outcome.status, outcome.totals)}\n`);
    return EXIT[outcome.status];
  } finally {
    lines.flush();
    process.off('SIGINT', onSigint);
    unwatch();
    store.close();
  }
}

function definedFlags<T extends object>(flags: T): Partial<T> {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as Partial<T>;
}
