// Run as a separate process by multi-process.test.ts: appends a run to a shared store, reports how
// many events of another run it can read, and exits either through close() or abruptly.
// Usage: child-append.ts FILE RUN_ID COUNT READ_RUN_ID close|exit
import { EventStore } from '../../../server/src/store/event-store.ts';
import { appendDrafts, deltas, runStart } from './helpers.ts';

const [file, runId, count, readRunId, ending] = process.argv.slice(2) as [string, string, string, string, string];
const store = EventStore.open(file);
const seen = [...store.eventLines(readRunId)].length;
const first = runStart(runId, { cwd: '/child' });
store.append(first, JSON.stringify(first));
// Small slices with a yield between them, so the parent and the sibling child interleave commits.
const total = Number(count);
for (let done = 1; done < total; ) {
  const n = Math.min(200, total - done);
  appendDrafts(store, runId, done, deltas(n));
  done += n;
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(JSON.stringify({ seen }));
if (ending === 'close') store.close();
else {
  // Buffered events are still pending here; only the store's exit hook can save them.
  appendDrafts(store, runId, total, deltas(1));
  process.exit(0);
}
