// The control plane through the real CLI and the real SDKs against the fake LLM server: stalled and
// cut-off streams, transient and permanent provider errors, budgets known before a call, the circuit
// breaker, no-progress detection, and the settings files that set their defaults.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { Script } from '../fake-llm/script.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

async function agioRun(s: Scratch, script: Script, extra: string[] = [], env: Record<string, string> = {}) {
  fake.setScript(script);
  fake.requests.length = 0;
  const run = await runAgio(
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
      ...extra,
      'the task',
    ],
    // The user's own settings files must not leak in: a config home of the test's own.
    { env: { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config'), ...env } },
  );
  const events = parseEventLines(run.stdout);
  assertRunContract(events);
  return { ...run, events, status: ofType(events, 'run_end')[0]!.status };
}

const read = (path: string) => ({ toolCalls: [{ name: 'read', arguments: { path } }] });

describe('retries', () => {
  it('a stream that stalls past --stream-timeout is abandoned and retried, and the run completes', async () => {
    const s = scratch();
    try {
      const run = await agioRun(s, { turns: [{ text: 'finished', fault: { kind: 'stall', ms: 20_000 } }] }, [
        '--stream-timeout',
        '1',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const retry = ofType(run.events, 'retry');
      assert.equal(retry.length, 1);
      assert.match(retry[0]!.reason, /sent nothing for 1 s/);
      assert.equal(ofType(run.events, 'message_end')[0]!.text, 'finished', 'the retried answer, not the stalled one');
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(ofType(run.events, 'run_start')[0]!.guards?.streamIdleMs, 1000);
    } finally {
      s.cleanup();
    }
  });

  it('a stream that ends without its final event is retried', async () => {
    const s = scratch();
    try {
      const run = await agioRun(s, { turns: [{ text: 'the whole answer', fault: { kind: 'truncate' } }] });
      assert.equal(run.code, 0, run.stderr);
      assert.match(ofType(run.events, 'retry')[0]!.reason, /ended the stream before its final event/);
      assert.equal(ofType(run.events, 'message_end')[0]!.text, 'the whole answer');
    } finally {
      s.cleanup();
    }
  });

  it('500, 502, 529 and a reset connection are each retried with a retry event, and the run completes', async () => {
    const s = scratch({ 'a.txt': 'A' });
    try {
      const run = await agioRun(
        s,
        {
          turns: [
            { ...read('a.txt'), fault: { kind: 'status', status: 500, retryAfterSeconds: 0 } },
            { ...read('a.txt'), fault: { kind: 'status', status: 502, retryAfterSeconds: 0 } },
            { ...read('a.txt'), fault: { kind: 'drop', afterChunks: 0 } },
            { text: 'done', fault: { kind: 'status', status: 529, retryAfterSeconds: 0 } },
          ],
        },
        ['--no-progress-turns', '9'],
      );
      assert.equal(run.code, 0, run.stderr);
      const retries = ofType(run.events, 'retry');
      assert.deepEqual(
        retries.map((r) => r.status),
        [500, 502, undefined, 529],
      );
      assert.match(retries[2]!.reason, /socket|closed|reset|terminated|ECONNRESET/i);
      assert.equal(fake.requests.length, 8);
    } finally {
      s.cleanup();
    }
  });

  it('honours retry-after: the retry waits the second the provider asked for', async () => {
    const s = scratch();
    try {
      const run = await agioRun(s, {
        turns: [{ text: 'ok', fault: { kind: 'status', status: 429, retryAfterSeconds: 1 } }],
      });
      assert.equal(run.code, 0, run.stderr);
      const gap = fake.requests[1]!.receivedAt - fake.requests[0]!.receivedAt;
      assert.ok(gap >= 950, `waited ${gap} ms`);
    } finally {
      s.cleanup();
    }
  });

  it('a 400 and a context-too-long fail at once, unretried, saying what to do', async () => {
    const s = scratch();
    try {
      const bad = await agioRun(s, {
        turns: [{ fault: { kind: 'status', status: 400, message: 'Unsupported parameter: tools' } }],
      });
      assert.equal(bad.code, 1);
      const e1 = ofType(bad.events, 'error')[0]!;
      assert.deepEqual([e1.kind, e1.fatal], ['invalid_request', true]);
      assert.match(e1.message, /Unsupported parameter: tools.*not retried: check the model name/);
      assert.equal(fake.requests.length, 1);
      assert.equal(ofType(bad.events, 'retry').length, 0);

      const long = await agioRun(s, {
        turns: [
          {
            fault: {
              kind: 'status',
              status: 400,
              message:
                "This model's maximum context length is 200000 tokens. However, your messages resulted in 210000 tokens.",
              errorFields: { code: 'context_length_exceeded', param: 'messages' },
            },
          },
        ],
      });
      const e2 = ofType(long.events, 'error')[0]!;
      assert.equal(e2.kind, 'context_length');
      assert.match(e2.message, /no longer fits.*Start a new run with a narrower task/);
      assert.equal(fake.requests.length, 1);
    } finally {
      s.cleanup();
    }
  });
});

describe('budgets and guards', () => {
  it('stops before a model call whose input alone would cross --max-cost, and never makes it', async () => {
    const s = scratch({ 'big.txt': `${'x'.repeat(79)}\n`.repeat(250) });
    try {
      const prices = join(s.root, 'prices.json');
      writeFileSync(prices, JSON.stringify({ m: { input: 100, output: 100 } })); // $0.0001 a token
      // Call 1 costs $0.101 (1010 tokens); call 2 would send the 1000 tokens again plus ~5000 for the file.
      const run = await agioRun(
        s,
        { turns: [{ ...read('big.txt'), usage: { input: 1000, output: 10 } }, { text: 'never sent' }] },
        ['--max-cost', '0.3'],
        { AGIO_PRICES: prices },
      );
      assert.equal(run.code, 1);
      assert.equal(run.status, 'limit');
      const limit = ofType(run.events, 'limit_reached')[0]!;
      assert.equal(limit.limit, 'cost');
      assert.equal(limit.projected, true);
      assert.ok(limit.value > 0.3 && limit.value < 0.8, `projected $${limit.value}`);
      assert.equal(fake.requests.length, 1, 'the call that would cross the budget was not made');
      assert.ok(ofType(run.events, 'run_end')[0]!.totals.costUsd <= 0.3, 'the budget was never crossed');
    } finally {
      s.cleanup();
    }
  });

  it('the circuit breaker stops a run after the same tool failure three times in a row', async () => {
    const s = scratch();
    try {
      const run = await agioRun(s, { turns: Array.from({ length: 8 }, () => read('missing.txt')) });
      assert.equal(run.code, 1);
      assert.equal(run.status, 'limit');
      const limit = ofType(run.events, 'limit_reached')[0]!;
      assert.deepEqual([limit.limit, limit.value, limit.max], ['repeated_error', 3, 3]);
      assert.match(limit.detail!, /read failed the same way 3 times in a row/);
      assert.equal(fake.requests.length, 3);
    } finally {
      s.cleanup();
    }
  });

  it('Stop during a turn of four commands is a cancel, not three identical "not run" errors', async () => {
    const s = scratch();
    try {
      fake.setScript({
        turns: [{ toolCalls: Array.from({ length: 4 }, () => ({ name: 'bash', arguments: { command: 'sleep 30' } })) }],
      });
      let sent = false;
      const run = await runAgio(
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
          'full-auto',
          'wait',
        ],
        {
          env: { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') },
          onStdout: (chunk, child) => {
            if (!sent && chunk.includes('"type":"checkpoint"')) {
              sent = true;
              setTimeout(() => child.kill('SIGINT'), 300);
            }
          },
        },
      );
      assert.equal(run.code, 130, run.stderr);
      const events = parseEventLines(run.stdout);
      assert.equal(ofType(events, 'run_end')[0]!.status, 'cancelled');
      assert.equal(ofType(events, 'limit_reached').length, 0);
      assert.deepEqual(
        ofType(events, 'tool_result')
          .slice(1)
          .map((r) => r.result.output),
        Array(3).fill('Not run: the run was stopped.'),
      );
    } finally {
      s.cleanup();
    }
  });

  it('no progress asks whether to go on; headless the answer is no and the run stops', async () => {
    const s = scratch({ 'a.txt': 'A' });
    try {
      const run = await agioRun(s, { turns: Array.from({ length: 8 }, () => read('a.txt')) });
      assert.equal(run.status, 'limit');
      const question = ofType(run.events, 'approval_request').find((e) => e.tool === 'agio')!;
      assert.equal(question.callId, 'agio-no-progress-4', 'one new turn, then three that repeat it');
      const answer = ofType(run.events, 'approval_decision').find((e) => e.parentId === question.id)!;
      assert.deepEqual([answer.decision, answer.by], ['deny', 'headless']);
      assert.deepEqual(
        ofType(run.events, 'limit_reached').map((l) => [l.limit, l.value]),
        [['no_progress', 3]],
      );
      assert.equal(fake.requests.length, 4);
    } finally {
      s.cleanup();
    }
  });

  it('settings files: the workspace tightens the user budget, never loosens it; its guards apply; flags win', async () => {
    const s = scratch({ 'a.txt': 'A', 'b.txt': 'B', 'c.txt': 'C', 'd.txt': 'D' });
    try {
      mkdirSync(join(s.root, 'config', 'agio'), { recursive: true });
      writeFileSync(join(s.root, 'config', 'agio', 'config.json'), '// mine\n{ "limits": { "maxSteps": 3 } }');
      mkdirSync(join(s.workspace, '.agio'));
      writeFileSync(
        join(s.workspace, '.agio', 'config.json'),
        '{ "limits": { "maxSteps": 50 }, "guards": { "noProgressTurns": 1, "onNoProgress": "stop" } }',
      );
      const files = ['a.txt', 'b.txt', 'c.txt', 'd.txt'].map(read);
      const capped = await agioRun(s, { turns: files });
      assert.deepEqual(
        ofType(capped.events, 'limit_reached').map((l) => [l.limit, l.max]),
        [['steps', 3]],
        "the user's 3, not the workspace's 50",
      );
      const flagged = await agioRun(s, { turns: files }, ['--max-steps', '10']);
      assert.equal(flagged.status, 'completed', 'the flag lifts the file budget');

      const repeat = await agioRun(s, { turns: [read('a.txt'), read('a.txt'), read('a.txt')] });
      assert.deepEqual(
        ofType(repeat.events, 'limit_reached').map((l) => [l.limit, l.value]),
        [['no_progress', 1]],
      );
      assert.equal(ofType(repeat.events, 'approval_request').length, 0, 'onNoProgress "stop" does not ask');
      assert.equal(fake.requests.length, 2);
    } finally {
      s.cleanup();
    }
  });
});
