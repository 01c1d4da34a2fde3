// A live run and its replay project to the same state: what `agio run --json` streamed and what
// `agio replay --json` reads back from the store, folded by the one projection, for runs that
// completed, were denied, and were killed with SIGKILL (whose log the next process marks interrupted).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import { lastTurn, projectAll } from '../../server/src/protocol/projection.ts';
import { get } from '../../server/src/protocol/pvec.ts';
import { parseEventLines, runAgio, scratch } from './helpers.ts';

const started: FakeLlm[] = [];
after(() => Promise.all(started.map((f) => f.close())));

async function liveAndReplay(turns: ScriptedTurn[], approval: string, kill?: string) {
  const s = scratch({ 'a.ts': 'export const a = 1;\n' });
  const fake = await startFakeLlm({ turns });
  started.push(fake);
  try {
    const env = { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') };
    const run = await runAgio(
      [
        'run',
        '--json',
        '--provider',
        'openai',
        '--base-url',
        fake.openaiBaseUrl,
        '--model',
        'gpt-4.1',
        '--store',
        s.store,
        '--cwd',
        s.workspace,
        '--approval',
        approval,
        'go',
      ],
      {
        env,
        ...(kill
          ? {
              onStdout: (chunk, child) => {
                if (chunk.includes(kill)) child.kill('SIGKILL');
              },
            }
          : {}),
      },
    );
    const live = parseEventLines(run.stdout.slice(0, run.stdout.lastIndexOf('\n') + 1));
    const replay = await runAgio(['replay', live[0]!.runId, '--json', '--store', s.store], { env });
    assert.equal(replay.code, 0, replay.stderr);
    return { live, replayed: parseEventLines(replay.stdout) };
  } finally {
    s.cleanup();
  }
}

it('a completed run: the live stream and the replay project to deep-equal states', async () => {
  const { live, replayed } = await liveAndReplay(
    [{ toolCalls: [{ name: 'read', arguments: { path: 'a.ts' } }] }, { text: 'done' }],
    'read-only',
  );
  const state = projectAll(live);
  assert.equal(state.status, 'completed');
  assert.equal(state.totals.toolCalls, 1);
  assert.deepEqual(projectAll(replayed), state);
});

it("a denied call: same state live and replayed, the call denied with the policy's decision", async () => {
  const { live, replayed } = await liveAndReplay(
    [{ toolCalls: [{ name: 'write', arguments: { path: 'b.ts', content: 'x' } }] }, { text: 'ok' }],
    'read-only',
  );
  const state = projectAll(live);
  const call = get(state.turns, 0)!.calls[0]!;
  assert.equal(call.status, 'denied');
  assert.equal(call.decision?.by, 'policy');
  assert.deepEqual(projectAll(replayed), state);
});

it('a run killed with SIGKILL: the log is what was streamed, and the interruption the next process recorded is all it adds', async () => {
  const { live, replayed } = await liveAndReplay(
    [{ toolCalls: [{ name: 'bash', arguments: { command: 'echo started; sleep 5' } }] }, { text: 'done' }],
    'full-auto',
    '"tool_output"',
  );
  const added = replayed.filter((e) => e.type === 'run_interrupted');
  assert.equal(added.length, 1, 'the replay marked the run interrupted');
  const stored = replayed.length - added.length;
  const streamed: AgioEvent[] = [...live.slice(0, stored), ...added];
  const state = projectAll(streamed);
  assert.equal(state.status, 'interrupted');
  assert.equal(lastTurn(state)!.calls[0]!.status, 'unknown');
  assert.deepEqual(projectAll(replayed), state);
});
