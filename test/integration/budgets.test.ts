// Budgets and provider waits through the real CLI and the real SDKs against the fake LLM, which cuts
// its reply at the request's output cap as a real provider does (stop_reason max_tokens / finish_reason
// length): --max-tokens is never crossed, a reply cut by it is said to be, and a 429's retry-after
// longer than the stalled-stream timeout is waited out, not taken for a stall.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { Script } from '../fake-llm/script.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

const PROVIDERS = ['openai', 'anthropic'] as const;
type P = (typeof PROVIDERS)[number];

async function agioRun(p: P, s: Scratch, script: Script, extra: string[]) {
  fake.setScript(script);
  fake.requests.length = 0;
  const run = await runAgio(
    [
      'run',
      '--json',
      '--provider',
      p,
      '--base-url',
      p === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl,
      '--model',
      'm',
      '--store',
      s.store,
      '--cwd',
      s.workspace,
      '--approval',
      'full-auto',
      ...extra,
      'the task',
    ],
    { env: { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') } },
  );
  const events = parseEventLines(run.stdout);
  assertRunContract(events);
  return { ...run, events, end: ofType(events, 'run_end')[0]! };
}

/** The run's totals as the store holds them (its run_end event), not as the CLI printed them. */
function storedTotals(store: string, runId: string) {
  const db = new Database(store, { readonly: true });
  try {
    const json = db
      .prepare('SELECT json FROM events WHERE run_id = ? AND json LIKE \'%"type":"run_end"%\'')
      .pluck()
      .get(runId) as string;
    return (JSON.parse(json) as Extract<AgioEvent, { type: 'run_end' }>).totals;
  } finally {
    db.close();
  }
}

/** The output cap the request asked for, under the name its wire uses. */
function capOf(body: unknown): number | undefined {
  const b = body as { max_tokens?: number; max_completion_tokens?: number };
  return b.max_completion_tokens ?? b.max_tokens;
}

const CUT_REASON: Record<P, string> = { openai: 'length', anthropic: 'max_tokens' };

describe('--max-tokens is never crossed', () => {
  for (const p of PROVIDERS) {
    it(`${p}: a reply that would run past --max-tokens 3000 is cut at what the budget left, and the run ends at ≤ 3000`, async () => {
      const s = scratch();
      try {
        // 8000 characters is 2000 tokens of reply at the fake's 4 characters a token: with the ~2000
        // tokens of prompt, the run would end near 4000 if the reply were not capped.
        const run = await agioRun(p, s, { turns: [{ text: 'z'.repeat(8000) }, { text: 'never asked' }] }, [
          '--max-tokens',
          '3000',
        ]);
        assert.equal(run.code, 1, run.stderr);
        assert.equal(run.end.status, 'limit');
        assert.equal(fake.requests.length, 1, 'no call after the budget was spent');
        const sentCap = capOf(fake.requests[0]!.body)!;
        const usage = ofType(run.events, 'usage')[0]!;
        assert.ok(sentCap < 4096, `the cap (${sentCap}) is below the model's 4096: the budget lowered it`);
        assert.equal(usage.outputTokens, sentCap, 'the provider wrote up to the cap and stopped there');
        assert.ok(usage.inputTokens + sentCap <= 3000, `input ${usage.inputTokens} + cap ${sentCap} fits the budget`);
        assert.equal(ofType(run.events, 'message_end')[0]!.stopReason, CUT_REASON[p]);
        assert.equal(ofType(run.events, 'message_end')[0]!.text.length, sentCap * 4, 'the text stops at the cap');

        const totals = storedTotals(s.store, run.end.runId);
        assert.ok(totals.inputTokens + totals.outputTokens <= 3000, JSON.stringify(totals));
        assert.deepEqual(totals, run.end.totals);

        const limit = ofType(run.events, 'limit_reached')[0]!;
        assert.deepEqual([limit.limit, limit.max], ['tokens', 3000]);
        assert.equal(limit.value, totals.inputTokens + totals.outputTokens);
        const notice = ofType(run.events, 'notice').find((n) => n.kind === 'output_cut')!;
        assert.match(notice.message, new RegExp(`cut at ${sentCap} output tokens: that was all the token budget`));
      } finally {
        s.cleanup();
      }
    });
  }

  it('without --json the CLI says the reply was cut and that the budget was reached', async () => {
    const s = scratch();
    try {
      fake.setScript({ turns: [{ text: 'z'.repeat(8000) }] });
      const run = await runAgio(
        [
          'run',
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
          '--max-tokens',
          '3000',
          'the task',
        ],
        { env: { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') } },
      );
      const said = run.stdout + run.stderr;
      assert.match(
        said,
        /notice: The model's reply in turn 1 was cut at \d+ output tokens: that was all the token budget/,
      );
      assert.match(said, /budget reached: tokens \d+ of 3000/);
    } finally {
      s.cleanup();
    }
  });

  it('a tool call cut off by the budget is not run, and the model is told why', async () => {
    const s = scratch();
    try {
      const big = 'x'.repeat(20_000);
      const run = await agioRun(
        'anthropic',
        s,
        {
          turns: [
            { text: 'Writing it.', toolCalls: [{ name: 'write', arguments: { path: 'big.txt', content: big } }] },
          ],
        },
        ['--max-tokens', '3000'],
      );
      assert.equal(run.end.status, 'limit');
      const result = ofType(run.events, 'tool_result')[0]!;
      assert.equal(result.result.ok, false);
      assert.match(result.result.output, /^Not run: your reply was cut at its output cap of \d+ tokens/);
      assert.match(
        ofType(run.events, 'notice').find((n) => n.kind === 'output_cut')!.message,
        /the tool call it was writing was not run/,
      );
      const totals = storedTotals(s.store, run.end.runId);
      assert.ok(totals.inputTokens + totals.outputTokens <= 3000, JSON.stringify(totals));
    } finally {
      s.cleanup();
    }
  });

  it('when the next input alone leaves no room for a reply, the call is not made and the budget is the reason', async () => {
    const s = scratch();
    try {
      // The first request is ~2000 tokens of prompt: 2100 leaves less than a useful reply.
      const run = await agioRun('openai', s, { turns: [{ text: 'never asked' }] }, ['--max-tokens', '2100']);
      assert.equal(run.end.status, 'limit');
      assert.equal(fake.requests.length, 0);
      const limit = ofType(run.events, 'limit_reached')[0]!;
      assert.deepEqual([limit.limit, limit.projected, limit.max], ['tokens', true, 2100]);
      assert.ok(limit.value > 2100, `projected ${limit.value}`);
      assert.equal(run.end.totals.inputTokens + run.end.totals.outputTokens, 0);
    } finally {
      s.cleanup();
    }
  });

  it("a reply cut by the model's own cap (--max-output) says so and how to raise it", async () => {
    const s = scratch();
    try {
      const run = await agioRun('openai', s, { turns: [{ text: 'w'.repeat(2000) }] }, ['--max-output', '100']);
      assert.equal(run.end.status, 'completed');
      assert.equal(capOf(fake.requests[0]!.body), 100);
      assert.equal(ofType(run.events, 'message_end')[0]!.text.length, 400);
      assert.match(
        ofType(run.events, 'notice').find((n) => n.kind === 'output_cut')!.message,
        /cut at 100 output tokens, the model's output cap, so it is incomplete\. Raise the cap with --max-output N/,
      );
    } finally {
      s.cleanup();
    }
  });
});

describe("a 429's retry-after longer than --stream-timeout", () => {
  for (const p of PROVIDERS) {
    it(`${p}: is waited out (no stall), the retry says 429 rate limited, and the call succeeds`, async () => {
      const s = scratch();
      try {
        const run = await agioRun(
          p,
          s,
          { turns: [{ text: 'after the wait', fault: { kind: 'status', status: 429, retryAfterSeconds: 2 } }] },
          ['--stream-timeout', '1'],
        );
        assert.equal(run.code, 0, run.stderr);
        assert.equal(ofType(run.events, 'message_end')[0]!.text, 'after the wait');
        assert.equal(fake.requests.length, 2, 'one refused attempt and one answered, no stall retries');
        const gap = fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt;
        assert.ok(gap >= 1950, `the SDK waited the 2 s asked for (${gap} ms)`);
        const retries = ofType(run.events, 'retry');
        assert.equal(retries.length, 1, JSON.stringify(retries));
        assert.equal(retries[0]!.status, 429);
        assert.match(retries[0]!.reason, /HTTP 429 \(rate limited; the provider asked to wait 2 s\)/);
        assert.doesNotMatch(retries[0]!.reason, /sent nothing|stalled/);
      } finally {
        s.cleanup();
      }
    });
  }
});
