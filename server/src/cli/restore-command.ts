// `agio restore <run-id> [--to-step N] [--dry-run]`: put the workspace back as it was before a step
// of a run (before the whole run by default). --dry-run shows what would change and changes nothing.
import { markInterruptedRuns } from '../agent/interrupted-runs.ts';
import { restoreRun } from '../checkpoints/restore-run.ts';
import { EventStore } from '../store/event-store.ts';
import { UsageError } from '../config/usage-error.ts';

export async function restoreCommand(
  runId: string | undefined,
  flags: { 'to-step'?: string | undefined; 'dry-run'?: boolean | undefined },
  storePath: string,
): Promise<number> {
  if (!runId) throw new UsageError('agio restore needs a run id (see agio runs)');
  let toStep: number | undefined;
  if (flags['to-step'] !== undefined) {
    toStep = Number(flags['to-step']);
    if (!Number.isInteger(toStep) || toStep < 1)
      throw new UsageError(`--to-step must be a step number (1, 2, …); got "${flags['to-step']}"`);
  }
  const store = EventStore.open(storePath);
  try {
    const dry = flags['dry-run'] === true;
    markInterruptedRuns(store);
    const out = await restoreRun(store, runId, toStep, !dry);
    if ('error' in out) throw new UsageError(`cannot restore: ${out.error}`);
    const { plan } = out;
    const w = (s: string) => process.stdout.write(`${s}\n`);
    w(`run ${out.runId} in ${out.cwd}: steps`);
    // A summary leaves the tool's name to the surface showing it ("write a.ts (3 lines)"); a command
    // shows as a shell line.
    const clip = (t: string) => (t.length > 80 ? `${t.slice(0, 77)}…` : t);
    for (const s of out.steps)
      w(
        `  ${s.step === plan.toStep ? '→' : ' '} ${String(s.step).padStart(3)}  ${clip(s.tool === 'bash' ? `$ ${s.summary}` : `${s.tool} ${s.summary}`)}`,
      );
    w(
      `${dry ? 'restoring would put' : 'restoring puts'} the workspace back to before step ${plan.toStep} of ${plan.lastStep}:`,
    );
    if (plan.changes.length === 0) w('  nothing to change: the workspace already matches');
    for (const c of plan.changes)
      w(`  ${c.action.padEnd(8)}  ${c.path}${c.action === 'delete' ? '  (created by the run)' : ''}`);
    for (const k of plan.kept) w(`  keep      ${k.path}  — ${k.why}`);
    if (dry) {
      w('nothing changed (--dry-run); run again without it to restore');
      return 0;
    }
    const failed = out.applied?.failed ?? [];
    for (const f of failed) process.stderr.write(`agio: could not restore ${f.path}: ${f.error}\n`);
    w(`restored ${out.applied?.done.length ?? 0} file(s)${failed.length ? `, ${failed.length} failed` : ''}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    store.close();
  }
}
