// Runs whose server process died before they ended (a crash, `kill -9`, a VS Code window reload that
// took the server with it). The next Agio process that opens the store records that as a
// `run_interrupted` event with what was in flight, so the run shows as interrupted instead of
// "running" forever. Nothing in flight is approved or re-run: an unanswered approval stays unanswered.
import { RunEmitter } from './emitter.ts';
import type { AgioEvent } from '../protocol/events.ts';
import { lastTurn, projectAll, type RunProjection } from '../protocol/projection.ts';
import type { EventStore } from '../store/event-store.ts';
import { pidAlive } from '../store/pid-alive.ts';

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
    const emitter = new RunEmitter(
      run.id,
      [
        (e, j) => {
          event = e;
          json = j;
        },
      ],
      { startSeq: last.seq },
    );
    emitter.emit({
      type: 'run_interrupted',
      parentId: start.id,
      lastStep: inFlight(projectAll(events)),
      reason:
        owner === undefined
          ? 'the Agio process that ran it is gone (it recorded no process id)'
          : `the Agio server that ran it (process ${owner}) stopped before the run ended: a crash, a kill, or an editor window reload`,
    });
    if (event && store.appendIfLast(event, json)) marked.push(run.id);
  }
  return marked;
}

/** A one-line description of what the run was doing when its server went away. */
function inFlight(p: RunProjection): string {
  const asked = p.pending.at(-1);
  if (asked) return `an approval was waiting for an answer (${asked.tool}: ${asked.summary}); it was not approved`;
  const turn = lastTurn(p);
  const open = turn?.calls.findLast((c) => !c.result);
  if (open) {
    return open.decision
      ? `the ${open.tool} call had started; its outcome is unknown and it was not run again`
      : `the ${open.tool} call had not run yet`;
  }
  return turn ? `turn ${turn.turn}: waiting for the model` : 'the run had just started';
}
