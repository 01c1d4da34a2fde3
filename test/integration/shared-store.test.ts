// Several Agio processes on one store and one workspace at once (two windows, a CLI beside the
// panel): every run's log is complete and gap-free, and their writes to one file never interleave.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { EventStore } from '../../server/src/store/event-store.ts';
import { assertRunContract, parseEventLines, runAgio, scratch } from './helpers.ts';

const PROCESSES = 4;
const TURNS = 12;
const body = (p: number) => `${`writer ${p} `.repeat(20_000)}\n`;

let fake: FakeLlm;
// Each process says which writer it is in its task; every turn it overwrites the shared file.
before(
  async () =>
    (fake = await startFakeLlm((rec) => {
      const messages = (rec.body as { messages: { role: string; content?: unknown }[] }).messages;
      const p = Number(/writer (\d+)/.exec(String(messages.find((m) => m.role === 'user')?.content))?.[1]);
      const done = messages.filter((m) => m.role === 'tool').length;
      return done >= TURNS
        ? { text: 'done' }
        : { toolCalls: [{ name: 'write', arguments: { path: 'shared.txt', content: body(p) } }] };
    })),
);
after(() => fake.close());

it(`${PROCESSES} processes write one file through one store at once: logs whole, writes never interleaved`, async () => {
  const s = scratch();
  try {
    const env = { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') };
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, p) =>
        runAgio(
          [
            'run',
            '--json',
            '--provider',
            'openai',
            '--base-url',
            fake.openaiBaseUrl,
            '--model',
            'm',
            '--store',
            s.store,
            '--cwd',
            s.workspace,
            '--approval',
            'auto-edit',
            '--no-progress-turns',
            '99',
            '--context-window',
            '2000000',
            // A 180 kB write is ~45,000 output tokens: the fake model stops at the cap, as real ones do.
            '--max-output',
            '64000',
            `you are writer ${p}`,
          ],
          { env, timeoutMs: 60_000 },
        ),
      ),
    );
    const store = EventStore.open(s.store);
    try {
      for (const run of runs) {
        assert.equal(run.code, 0, run.stderr);
        const streamed = parseEventLines(run.stdout);
        assertRunContract(streamed);
        const stored = [...store.eventLines(streamed[0]!.runId)];
        assert.equal(`${stored.join('\n')}\n`, run.stdout, 'the store holds exactly what each process streamed');
      }
      assert.equal(store.listRuns().length, PROCESSES);
    } finally {
      store.close();
    }
    const final = readFileSync(join(s.workspace, 'shared.txt'), 'utf8');
    assert.ok(
      Array.from({ length: PROCESSES }, (_, p) => body(p)).includes(final),
      "the file is one writer's whole content",
    );
  } finally {
    s.cleanup();
  }
});
