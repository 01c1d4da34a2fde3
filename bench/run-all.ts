// `npm run bench`: every benchmark, one after another in this process (each starts and cleans up
// its own servers, child processes and temp folders), so their figures never overlap in time.
// Run with --expose-gc: the agent-loop bench's memory part asks for it.
import { main as agentLoop } from './agent-loop.bench.ts';

// The store bench is written separately; a missing file must not stop the other benches.
try {
  const store = (await import('./store.bench.ts')) as { main: () => Promise<unknown> };
  await store.main();
} catch (err) {
  const code = (err as { code?: string }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' || !String((err as Error).message).includes('store.bench.ts')) throw err;
  console.log('store: skipped, bench/store.bench.ts does not exist yet');
}
console.log('');
await agentLoop();
