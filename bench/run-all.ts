// `npm run bench`: every benchmark, one after another in this process (each starts and cleans up
// its own servers, child processes and temp folders), so their figures never overlap in time.
// Run with --expose-gc: the agent-loop bench's memory part asks for it.
import { main as agentLoop } from './agent-loop.bench.ts';
import { main as checkpoints } from './checkpoint.bench.ts';
import { main as context } from './context.bench.ts';
import { main as readRss } from './read-rss.bench.ts';
import { main as liveOutput } from './live-output.bench.ts';
import { main as sandboxLaunch } from './sandbox-launch.bench.ts';

import { main as store } from './store.bench.ts';
import { main as webviewRender } from './webview-render.bench.ts';

await store();
console.log('');
await agentLoop();
console.log('');
await webviewRender();
console.log('');
await checkpoints();
console.log('');
await context();
console.log('');
await readRss();
console.log('');
await liveOutput();
console.log('');
await sandboxLaunch();
