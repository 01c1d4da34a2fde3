// CLI for e2e tests and benchmarks that need the fake LLM in another process:
//   npx node test/fake-llm/main.ts --script FILE.json [--port N]
// Prints one JSON line with the port and base URLs, then serves until SIGTERM / SIGINT.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Script } from './script.ts';
import { startFakeLlm } from './server.ts';

const { values } = parseArgs({
  options: { script: { type: 'string' }, port: { type: 'string' } },
  strict: true,
});
if (!values.script) {
  process.stderr.write('usage: main.ts --script FILE.json [--port N]\n');
  process.exit(2);
}
const script = JSON.parse(readFileSync(values.script, 'utf8')) as Script;
if (!Array.isArray(script.turns)) {
  process.stderr.write(`fake-llm: ${values.script} has no "turns" array\n`);
  process.exit(2);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`fake-llm: bad --port ${values.port}\n`);
  process.exit(2);
}

const llm = await startFakeLlm(script, { port });
// The parent reads this single line to learn where to point its clients.
process.stdout.write(
  `${JSON.stringify({ port: llm.port, openaiBaseUrl: llm.openaiBaseUrl, anthropicBaseUrl: llm.anthropicBaseUrl })}\n`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void llm.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
