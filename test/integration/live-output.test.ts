// A command's live output through the real CLI: a 20 MB command leaves the store small (the head, a
// marker and the tail, before the result), the stored log is still exactly what streamed (runAgio
// checks that for every --json run), and a credential printed in two pieces is redacted live.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';

const MB20 = 20_000_000;
const BIG = `head -c ${MB20} /dev/zero | tr '\\0' a; echo; echo the end`;
// The token leaves the command in two writes 30 ms apart: two chunks, neither a credential alone.
const BODY = 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const SPLIT = `printf 'token: gh''p_'; sleep 0.03; printf '${BODY}\\n'`;

function storeBytes(s: Scratch): number {
  return [s.store, `${s.store}-wal`, `${s.store}-shm`]
    .filter((f) => existsSync(f))
    .reduce((n, f) => n + statSync(f).size, 0);
}

describe('live output of a command', () => {
  let fake: FakeLlm;
  before(
    async () =>
      (fake = await startFakeLlm({
        turns: [
          { toolCalls: [{ name: 'bash', arguments: { command: BIG } }] },
          { toolCalls: [{ name: 'bash', arguments: { command: SPLIT } }] },
          { text: 'done' },
        ],
        strict: true,
      })),
  );
  after(() => fake.close());

  it('is capped: 20 MB of output leaves the store small, head + marker + tail before the result', async () => {
    const s = scratch();
    try {
      const run = await runAgio(
        [
          'run',
          '--json',
          '--approval',
          'full-auto',
          '--base-url',
          fake.openaiBaseUrl,
          '--model',
          'm',
          '--store',
          s.store,
          '--cwd',
          s.workspace,
          'print a lot',
        ],
        { env: { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') }, timeoutMs: 60_000 },
      );
      assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      const [bigCall, splitCall] = ofType(events, 'tool_call');

      // The big call: its output events, then its result, in that order.
      const own = events.filter((e) => e.parentId === bigCall!.id);
      const outputs = ofType(own, 'tool_output');
      const live = outputs.map((o) => o.chunk).join('');
      const marker = outputs.find((o) => o.chunk.includes('live output stops'));
      assert.ok(marker, 'one marker says the middle is left out');
      assert.match(marker.chunk, /not kept/);
      assert.equal(outputs.filter((o) => o.chunk.includes('live output stops')).length, 1);
      const [head, tail] = live.split(marker.chunk);
      assert.equal(head, 'a'.repeat(25_000), 'the first 25,000 characters, live');
      assert.equal(tail, `${'a'.repeat(25_000 - '\nthe end\n'.length)}\nthe end\n`, 'the last 25,000, at the end');
      assert.ok(outputs.length < 20, `${outputs.length} tool_output events for 20 MB, not thousands`);
      const resultAt = own.findIndex((e) => e.type === 'tool_result');
      assert.ok(
        own.slice(resultAt + 1).every((e) => e.type !== 'tool_output'),
        'no output after the result',
      );
      const result = ofType(own, 'tool_result')[0]!.result;
      assert.equal(result.truncated, true);
      assert.match(result.output, /characters omitted, not kept: redirect the output to a file/);

      // The store holds ~50 KB of live output and the ~100 KB result, not 20 MB.
      const bytes = storeBytes(s);
      assert.ok(bytes < 2_000_000, `store is ${bytes} bytes after a 20 MB command`);

      // The split token: redacted in the live events, not only in the result.
      const splitOut = ofType(events, 'tool_output').filter((o) => o.parentId === splitCall!.id);
      const splitText = splitOut.map((o) => o.chunk).join('');
      assert.ok(!splitText.includes(BODY.slice(0, 8)) && !splitText.includes(BODY.slice(-8)), splitText);
      assert.match(splitText, /^token: (ghp_)?\[REDACTED:github-token\]\n$/);
      const splitResult = ofType(events, 'tool_result').find((r) => r.parentId === splitCall!.id)!;
      assert.equal(splitResult.result.stdout, 'token: [REDACTED:github-token]\n');
    } finally {
      s.cleanup();
    }
  });
});
