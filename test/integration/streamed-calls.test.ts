// A tool call streams before it is complete: a ~100 KB `write` through the real CLI and the real SDKs,
// once per wire, yields a bounded handful of tool_call_delta events (growing, with the path) before its
// tool_call; replay is byte-identical; a stream that drops mid-arguments is retried and the panel's
// fold of what streamed shows one card, not a stale one beside it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { toArray } from '../../server/src/protocol/pvec.ts';
import { emptyRunState, foldEvents } from '../../webview/src/state/fold.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch } from './helpers.ts';

const CONTENT = `${'export const line = "0123456789abcdefghijklmnopqrstuvwxyz";\n'.repeat(1700)}`;
const WRITE: ScriptedTurn = { toolCalls: [{ name: 'write', arguments: { path: 'src/big.ts', content: CONTENT } }] };
const DONE: ScriptedTurn = { text: 'Wrote src/big.ts.' };

for (const provider of ['openai', 'anthropic'] as const) {
  describe(`a large write streams its call (${provider})`, () => {
    let fake: FakeLlm;
    before(async () => (fake = await startFakeLlm({ turns: [] })));
    after(() => fake.close());

    async function run(turns: ScriptedTurn[]) {
      fake.setScript({ turns, strict: true });
      const s = scratch({});
      const baseUrl = provider === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl;
      const keyVar = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
      // The 100 kB write is ~26,000 output tokens: a cap that holds it (the fake stops at the cap, as real models do).
      const window = ['--context-window', '200000', '--max-output', '32000'];
      const args = ['--provider', provider, '--base-url', baseUrl, '--model', 'm', '--store', s.store, ...window];
      const env = { [keyVar]: 'test-key' };
      const live = await runAgio(
        ['run', '--json', '--approval', 'full-auto', ...args, '--cwd', s.workspace, 'write a big file'],
        { env },
      );
      return { s, live, env };
    }

    it('several growing tool_call_delta events with the path come before the tool_call; replay is identical', async () => {
      const { s, live } = await run([WRITE, DONE]);
      try {
        assert.equal(live.code, 0, live.stderr);
        assert.equal(readFileSync(join(s.workspace, 'src/big.ts'), 'utf8'), CONTENT);
        const events = parseEventLines(live.stdout);
        assertRunContract(events);
        const call = ofType(events, 'tool_call')[0]!;
        const deltas = ofType(events, 'tool_call_delta');
        const argsChars = JSON.stringify({ path: 'src/big.ts', content: CONTENT }).length;
        assert.ok(argsChars > 100_000);
        // The first, then each doubling or 100 ms: log2(100 KB) ≈ 17 plus what time adds on a slow machine.
        assert.ok(deltas.length >= 4 && deltas.length <= 60, `${deltas.length} deltas for ${argsChars} characters`);
        assert.ok(
          deltas.every((d) => d.seq < call.seq && d.callId === call.callId && d.tool === 'write' && d.index === 0),
        );
        assert.equal(deltas[0]!.parentId, call.parentId, 'under the same turn as the call');
        for (let i = 1; i < deltas.length; i++)
          assert.ok(deltas[i]!.argsChars > deltas[i - 1]!.argsChars, 'argsChars only grows');
        assert.ok(deltas.at(-1)!.argsChars <= argsChars);
        assert.ok(deltas.at(-1)!.argsChars > argsChars / 4, 'the last delta is near the end of the arguments');
        assert.equal(deltas.at(-1)!.preview, 'src/big.ts');

        const replay = await runAgio(['replay', call.runId, '--json', '--store', s.store]);
        assert.equal(replay.code, 0, replay.stderr);
        assert.equal(replay.stdout, live.stdout, 'replay --json is byte-identical to run --json');
        const human = await runAgio(['replay', call.runId, '--store', s.store]);
        assert.doesNotMatch(human.stdout, /writing/, 'the human output shows nothing new');
      } finally {
        s.cleanup();
      }
    });

    it('a stream that drops mid-arguments is retried; the panel shows one card, the call', async () => {
      const { s, live } = await run([{ ...WRITE, fault: { kind: 'drop', afterChunks: 200 } }, DONE]);
      try {
        assert.equal(live.code, 0, live.stderr);
        const events = parseEventLines(live.stdout);
        const retry = ofType(events, 'retry')[0]!;
        const call = ofType(events, 'tool_call')[0]!;
        const deltas = ofType(events, 'tool_call_delta');
        assert.ok(deltas.some((d) => d.seq < retry.seq) && deltas.some((d) => d.seq > retry.seq));
        const cards = toArray(foldEvents(emptyRunState(call.runId), events).items).filter(
          (i) => i.kind === 'tool' && !i.discarded,
        );
        assert.deepEqual(
          cards.map((c) => c.kind === 'tool' && [c.id, c.status]),
          [[call.id, 'ok']],
        );
      } finally {
        s.cleanup();
      }
    });
  });
}
