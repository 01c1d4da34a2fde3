// `agio runs` and `agio replay`: reading the event log back.
import type { AgioEvent } from '../protocol/events.ts';
import { EventStore } from '../store/event-store.ts';
import { markInterruptedRuns } from '../agent/interrupted-runs.ts';
import { HumanRenderer } from './render.ts';
import { runsTable } from './runs-table.ts';
import { UsageError } from '../config/usage-error.ts';

export function runsCommand(flags: { json?: boolean; limit?: string }, storePath: string): number {
  const store = EventStore.open(storePath);
  markInterruptedRuns(store);
  try {
    const limit = flags.limit ? Number(flags.limit) : 50;
    if (!Number.isInteger(limit) || limit <= 0)
      throw new UsageError(`--limit must be a positive whole number; got "${flags.limit}"`);
    const runs = store.listRuns({ limit });
    if (flags.json) {
      for (const r of runs) process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write(`no runs yet in ${storePath}\n`);
      return 0;
    }
    // A terminal says how wide it is; a pipe or file gets the classic 80 columns (or $COLUMNS).
    const width = (process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS)) || 80;
    process.stdout.write(runsTable(runs, width));
    return 0;
  } finally {
    store.close();
  }
}

export function replayCommand(idOrPrefix: string | undefined, flags: { json?: boolean }, storePath: string): number {
  if (!idOrPrefix) throw new UsageError('agio replay needs a run id (see agio runs)');
  const store = EventStore.open(storePath);
  markInterruptedRuns(store);
  try {
    const found = store.findRun(idOrPrefix);
    if ('error' in found) throw new UsageError(found.error);
    if (!flags.json) {
      const renderer = new HumanRenderer(process.stdout);
      for (const line of store.eventLines(found.id)) renderer.render(JSON.parse(line) as AgioEvent);
      return 0;
    }
    // Lines are written verbatim (byte-identical to what `run --json` printed), in large chunks:
    // one write per event would make a 100,000-event replay spend its time in syscalls.
    let chunk = '';
    for (const line of store.eventLines(found.id)) {
      chunk += `${line}\n`;
      if (chunk.length >= 1 << 16) {
        process.stdout.write(chunk);
        chunk = '';
      }
    }
    if (chunk) process.stdout.write(chunk);
    return 0;
  } finally {
    store.close();
  }
}
