// The headline task through the real CLI and the real SDKs, once per provider: list → read → edit →
// bash against a scripted model; the file really changes, events keep the contract, replay is
// byte-identical, and token figures are the ones the provider reported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch } from './helpers.ts';

const CONFIG_JS = `function parsePort(value) {
  const port = Number(value);
  if (!Number.isInteger(port)) throw new Error('port must be an integer');
  return port;
}
module.exports = { parsePort };
`;
const CHECK_JS = `const { parsePort } = require('./src/config.js');
let threw = false;
try { parsePort('-1'); } catch { threw = true; }
console.log(threw ? 'rejects negative ports' : 'accepts negative ports');
process.exit(threw ? 0 : 1);
`;
const FIXED_CONFIG_JS = CONFIG_JS.replace(
  '  return port;',
  "  if (port < 0) throw new Error('port must not be negative');\n  return port;",
);

const TASK_SCRIPT: ScriptedTurn[] = [
  {
    text: 'Let me look around.',
    toolCalls: [
      { name: 'ls', arguments: { path: '.' } },
      { name: 'grep', arguments: { pattern: 'parsePort' } },
    ],
  },
  { toolCalls: [{ name: 'read', arguments: { path: 'src/config.js' } }] },
  {
    text: 'Adding the check.',
    toolCalls: [
      {
        name: 'edit',
        arguments: {
          path: 'src/config.js',
          edits: [
            {
              old_text: '  return port;',
              new_text: "  if (port < 0) throw new Error('port must not be negative');\n  return port;",
            },
          ],
        },
      },
    ],
  },
  { toolCalls: [{ name: 'bash', arguments: { command: 'node check.js' } }] },
  {
    text: 'parsePort now rejects negative ports, and check.js passes.',
    usage: { input: 1200, output: 40, cached: 1000 },
  },
];

for (const provider of ['openai', 'anthropic'] as const) {
  describe(`agio run --provider ${provider}`, () => {
    let fake: FakeLlm;
    before(async () => (fake = await startFakeLlm({ turns: TASK_SCRIPT, strict: true })));
    after(() => fake.close());

    it('completes list → read → edit → bash, changes the file, and replays byte for byte', async () => {
      const s = scratch({ 'src/config.js': CONFIG_JS, 'check.js': CHECK_JS });
      try {
        const baseUrl = provider === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl;
        const keyVar = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
        const run = await runAgio(
          [
            'run',
            '--json',
            '--approval',
            'full-auto',
            '--provider',
            provider,
            '--base-url',
            baseUrl,
            '--model',
            'm',
            '--store',
            s.store,
            '--cwd',
            s.workspace,
            'make parseConfig reject negative ports',
          ],
          { env: { [keyVar]: 'test-key' } },
        );
        assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
        assert.equal(
          readFileSync(join(s.workspace, 'src/config.js'), 'utf8'),
          FIXED_CONFIG_JS,
          'the edit landed on disk',
        );

        const events = parseEventLines(run.stdout);
        assertRunContract(events);
        const start = ofType(events, 'run_start')[0]!;
        assert.equal(start.provider, provider);
        assert.equal(start.model, 'm');
        assert.equal(start.cwd, s.workspace);
        assert.equal(start.task, 'make parseConfig reject negative ports');
        assert.deepEqual(
          ofType(events, 'tool_call').map((e) => e.tool),
          ['ls', 'grep', 'read', 'edit', 'bash'],
        );
        const results = ofType(events, 'tool_result');
        assert.ok(
          results.every((r) => r.result.ok),
          `all tools succeeded: ${JSON.stringify(results.filter((r) => !r.result.ok))}`,
        );
        assert.match(results[0]!.result.output, /check\.js/, 'ls listed the workspace');
        assert.match(results[1]!.result.output, /src\/config\.js:\d+:/, 'grep found the definition');
        assert.match(results[2]!.result.output, /Number\.isInteger/, 'read returned the file');
        const bash = results[4]!.result;
        assert.equal(bash.exitCode, 0);
        assert.match(bash.stdout ?? '', /rejects negative ports/);
        assert.ok(
          ofType(events, 'tool_output').some((o) => o.chunk.includes('rejects negative ports')),
          'bash output streamed live',
        );

        // Text arrives as deltas that add up to each message.
        const deltas = ofType(events, 'text_delta');
        assert.ok(deltas.length >= 2);
        const ends = ofType(events, 'message_end');
        assert.equal(ends.length, 5);
        assert.equal(ends.at(-1)!.text, 'parsePort now rejects negative ports, and check.js passes.');

        // Usage is what the provider reported, call by call, and the totals add up.
        assert.equal(fake.requests.length, 5);
        const usage = ofType(events, 'usage');
        assert.deepEqual(
          usage.map((u) => [u.inputTokens, u.outputTokens, u.cachedTokens]),
          fake.requests.map((r) => [r.reportedUsage!.input, r.reportedUsage!.output, r.reportedUsage!.cached]),
        );
        assert.deepEqual(usage.at(-1)!.inputTokens, 1200);
        assert.deepEqual(usage.at(-1)!.cachedTokens, 1000);
        const end = ofType(events, 'run_end')[0]!;
        assert.equal(end.status, 'completed');
        assert.equal(end.totals.turns, 5);
        assert.equal(end.totals.toolCalls, 5);
        assert.equal(
          end.totals.inputTokens,
          usage.reduce((n, u) => n + u.inputTokens, 0),
        );
        assert.equal(
          end.totals.outputTokens,
          usage.reduce((n, u) => n + u.outputTokens, 0),
        );
        assert.match(run.stderr, /completed · 5 turns · 5 tool calls/, 'one summary line on stderr');

        // The model saw each tool's result in the next request.
        const lastRequest = fake.requests.at(-1)!.rawBody;
        assert.ok(lastRequest.includes('rejects negative ports'), 'the bash output was sent back to the model');

        const replay = await runAgio(['replay', start.runId, '--json', '--store', s.store]);
        assert.equal(replay.code, 0, replay.stderr);
        assert.equal(replay.stdout, run.stdout, 'replay --json is byte-identical to run --json');

        const runs = await runAgio(['runs', '--json', '--store', s.store]);
        const listed = runs.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        assert.equal(listed.length, 1);
        assert.equal(listed[0]!.id, start.runId);
        assert.equal(listed[0]!.status, 'completed');
        assert.equal(listed[0]!.turns, 5);
        assert.equal(listed[0]!.task, 'make parseConfig reject negative ports');
      } finally {
        s.cleanup();
      }
    });
  });
}
