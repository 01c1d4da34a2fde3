// "Restore run R to before step N", as both the CLI and the editor ask it: find the run, refuse while
// it is still running, plan, and apply only when asked. The steps come from the run's own log.
import type { EventStore } from '../store/event-store.ts';
import { summarizeCall } from '../tools/registry.ts';
import { CheckpointDb } from './checkpoint-db.ts';
import { applyRestore, planRestore, type RestoreChange, type RestorePlan } from './restore.ts';

export interface RunStep {
  step: number;
  tool: string;
  /** The call's arguments as a short line (the path written, the command run). */
  summary: string;
}

export interface RestoreOutcome {
  runId: string;
  cwd: string;
  steps: RunStep[];
  plan: RestorePlan;
  /** Present when the plan was applied. */
  applied?: { done: RestoreChange[]; failed: { path: string; error: string }[] };
}

export async function restoreRun(
  store: EventStore,
  idOrPrefix: string,
  toStep: number | undefined,
  apply: boolean,
): Promise<RestoreOutcome | { error: string }> {
  // The caller has recorded orphaned runs as interrupted first (agent/interrupted-runs.ts), so a
  // run still marked running is running.
  const run = store.findRun(idOrPrefix);
  if ('error' in run) return run;
  if (apply && run.status === 'running')
    return { error: `run ${run.id} is still running; stop it before restoring its workspace` };
  const steps = stepsOf(store, run.id);
  const db = CheckpointDb.open(store.file);
  try {
    const plan = planRestore(db, run.id, run.cwd, toStep);
    if ('error' in plan) return plan;
    const outcome: RestoreOutcome = { runId: run.id, cwd: run.cwd, steps, plan };
    if (apply) outcome.applied = await applyRestore(plan, db, run.cwd);
    return outcome;
  } finally {
    db.close();
  }
}

function stepsOf(store: EventStore, runId: string): RunStep[] {
  const calls = new Map<string, { tool: string; args: unknown; summary?: string }>();
  const steps: RunStep[] = [];
  for (const e of store.eventsOfTypes(runId, ['tool_call', 'checkpoint'])) {
    if (e.type === 'tool_call')
      calls.set(e.id, { tool: e.tool, args: e.args, ...(e.summary !== undefined ? { summary: e.summary } : {}) });
    else if (e.type === 'checkpoint') {
      const call = e.parentId ? calls.get(e.parentId) : undefined;
      // A call that wrote twice has one step; its first snapshot names it.
      if (steps.at(-1)?.step === e.step) continue;
      steps.push({
        step: e.step,
        tool: call?.tool ?? '?',
        summary: call ? (call.summary ?? summarizeCall(call.tool, call.args) ?? JSON.stringify(call.args)) : '',
      });
    }
  }
  return steps;
}
