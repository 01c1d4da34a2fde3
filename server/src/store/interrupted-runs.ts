// Runs whose server process died before they ended (a crash, `kill -9`, a VS Code window reload that
// took the server with it). The next Agio process that opens the store records that as a
// `run_interrupted` event with what was in flight, so the run shows as interrupted instead of
// "running" forever. Nothing in flight is approved or re-run: an unanswered approval stays unanswered.
import { RunEmitter } from '../agent/emitter.ts';
import type { AgioEvent } from '../protocol/events.ts';
import type { EventStore } from './event-store.ts';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Marks every orphaned run; returns their ids. Cheap when there is none (one indexed query). */
export function markInterruptedRuns(store: EventStore, isAlive: (pid: number) => boolean = pidAlive): string[] {
  const marked: string[] = [];
  for (const run of store.listRuns({ limit: 1000 })) {
    if (run.status !== 'running') continue;
    // The current owner: whoever started the run, or resumed it last. Only those events are read here:
    // a long run alive in this very process must not be read whole on every check.
    const owners = store.eventsOfTypes(run.id, ['run_start', 'run_resumed']);
    const start = owners[0];
    if (start?.type !== 'run_start') continue;
    const current = owners[owners.length - 1]!;
    const owner = current.type === 'run_resumed' ? current.pid : start.pid;
    if (owner === process.pid || (owner !== undefined && isAlive(owner))) continue;
    const events = [...store.events(run.id)];
    const last = events[events.length - 1]!;
    let event: AgioEvent | undefined;
    let json = '';
    const emitter = new RunEmitter(run.id, [
      (e, j) => {
        event = e;
        json = j;
      },
    ], { startSeq: last.seq });
    emitter.emit({
      type: 'run_interrupted', parentId: start.id, lastStep: inFlight(events),
      reason: owner === undefined
        ? 'the Agio process that ran it is gone (it recorded no process id)'
        : `the Agio server that ran it (process ${owner}) stopped before the run ended: a crash, a kill, or an editor window reload`,
    });
    if (event && store.appendIfLast(event, json)) marked.push(run.id);
  }
  return marked;
}

/** A one-line description of what the run was doing when its server went away. */
function inFlight(events: readonly AgioEvent[]): string {
  const decided = new Set<string>();
  const finished = new Set<string>();
  for (const e of events) {
    if (e.type === 'approval_decision' && e.parentId) decided.add(e.parentId);
    if (e.type === 'tool_result' && e.parentId) finished.add(e.parentId);
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'approval_request' && e.parentId && !decided.has(e.parentId)) {
      return `an approval was waiting for an answer (${e.tool}: ${e.summary}); it was not approved`;
    }
    if (e.type === 'tool_call' && !finished.has(e.id)) {
      return decided.has(e.id)
        ? `the ${e.tool} call had started; its outcome is unknown and it was not run again`
        : `the ${e.tool} call had not run yet`;
    }
    if (e.type === 'turn_start') return `turn ${e.turn}: waiting for the model`;
  }
  return 'the run had just started';
}
