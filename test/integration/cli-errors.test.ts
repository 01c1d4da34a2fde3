// What the CLI does when things go wrong: bad tool arguments from the model, calls that need approval
// with no terminal, configuration errors, provider errors, budgets and Ctrl-C. Real CLI, real SDK.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { Script } from '../fake-llm/script.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

function agioRun(
  s: Scratch,
  script: Script,
  extra: string[],
  env: Record<string, string> = { OPENAI_API_KEY: 'k' },
  opts = {},
) {
  fake.setScript(script);
  fake.requests.length = 0;
  return runAgio(
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
    { env, ...opts },
  );
}

describe('bad tool calls from the model', () => {
  it('turns invalid JSON, wrong types, missing fields and unknown tools into tool errors the model sees, and goes on', async () => {
    const s = scratch({ 'a.txt': 'hello\n' });
    try {
      const run = await agioRun(
        s,
        {
          strict: true,
          turns: [
            {
              toolCalls: [
                { name: 'read', arguments: '{"path": "a.txt"' },
                { name: 'read', arguments: { path: 42 } },
                { name: 'edit', arguments: { path: 'a.txt' } },
                { name: 'rm_rf', arguments: {} },
              ],
            },
            { toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }] },
            { text: 'done' },
          ],
        },
        ['--approval', 'full-auto'],
      );
      assert.equal(run.code, 0, run.stderr);
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      const results = ofType(events, 'tool_result').map((r) => r.result);
      assert.deepEqual(
        results.map((r) => r.ok),
        [false, false, false, false, true],
      );
      assert.match(results[0]!.output, /JSON/i, 'invalid JSON is named as such');
      assert.match(results[1]!.output, /path/, 'the wrong-typed field is named');
      assert.match(results[2]!.output, /edits/, 'the missing field is named');
      assert.match(results[3]!.output, /Unknown tool "rm_rf".*read/s, 'unknown tool lists what exists');
      assert.equal(
        ofType(events, 'tool_call')[0]!.args,
        '{"path": "a.txt"',
        'the raw malformed arguments are recorded',
      );
      const second = fake.requests[1]!.rawBody;
      for (const r of results.slice(0, 4))
        assert.ok(second.includes(JSON.stringify(r.output).slice(1, 40)), 'each error went back to the model');
      assert.equal(ofType(events, 'run_end')[0]!.totals.errors, 4);
    } finally {
      s.cleanup();
    }
  });
});

describe('approval with no terminal', () => {
  it('denies calls that need approval, tells the model why, and the run goes on', async () => {
    const s = scratch();
    try {
      const run = await agioRun(
        s,
        {
          strict: true,
          turns: [
            {
              toolCalls: [
                { name: 'write', arguments: { path: 'new.txt', content: 'x' } },
                { name: 'bash', arguments: { command: 'touch made-by-bash' } },
              ],
            },
            { toolCalls: [{ name: 'ls', arguments: {} }] },
            { text: 'I could not write; here is what is left.' },
          ],
        },
        [],
      ); // default approval: ask
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!existsSync(join(s.workspace, 'new.txt')), 'the denied write did not happen');
      assert.ok(!existsSync(join(s.workspace, 'made-by-bash')), 'the denied command did not run');
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      assert.equal(ofType(events, 'approval_request').length, 2);
      const decisions = ofType(events, 'approval_decision');
      assert.deepEqual(
        decisions.slice(0, 2).map((d) => [d.decision, d.by]),
        [
          ['deny', 'headless'],
          ['deny', 'headless'],
        ],
      );
      assert.equal(decisions[2]!.decision, 'allow', 'a read tool needs no approval in ask mode');
      assert.match(fake.requests[1]!.rawBody, /denied/, 'the model was told');
      assert.match(fake.requests[1]!.rawBody, /headless/);
    } finally {
      s.cleanup();
    }
  });

  it('read-only mode refuses writes without asking', async () => {
    const s = scratch();
    try {
      const run = await agioRun(
        s,
        { turns: [{ toolCalls: [{ name: 'write', arguments: { path: 'x', content: 'y' } }] }, { text: 'ok' }] },
        ['--approval', 'read-only'],
      );
      assert.equal(run.code, 0, run.stderr);
      const events = parseEventLines(run.stdout);
      assert.equal(ofType(events, 'approval_request').length, 0);
      assert.deepEqual(
        ofType(events, 'approval_decision').map((d) => [d.decision, d.by]),
        [['deny', 'policy']],
      );
      assert.ok(!existsSync(join(s.workspace, 'x')));
    } finally {
      s.cleanup();
    }
  });
});

describe('exit status', () => {
  it('2 with a one-line reason for configuration errors', async () => {
    const s = scratch();
    try {
      const noKey = await agioRun(
        s,
        { turns: [] },
        ['--provider', 'anthropic', '--base-url', 'http://example.invalid'],
        {},
      );
      assert.equal(noKey.code, 2);
      assert.equal(noKey.stdout, '');
      assert.match(noKey.stderr, /^agio: no API key for anthropic: set ANTHROPIC_API_KEY\n$/);
      const badMode = await agioRun(s, { turns: [] }, ['--approval', 'yolo']);
      assert.equal(badMode.code, 2);
      assert.match(badMode.stderr, /--approval must be one of read-only, ask, auto-edit, full-auto/);
      const badFlag = await runAgio(['run', '--frobnicate', 'x']);
      assert.equal(badFlag.code, 2);
      assert.equal(fake.requests.length, 0, 'nothing reached the model');
    } finally {
      s.cleanup();
    }
  });

  it('1 with a fatal error event when the provider rejects the key', async () => {
    const s = scratch();
    try {
      const run = await agioRun(
        s,
        { turns: [{ fault: { kind: 'status', status: 401, message: 'invalid api key' } }] },
        [],
      );
      assert.equal(run.code, 1);
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      const err = ofType(events, 'error')[0]!;
      assert.equal(err.fatal, true);
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /OPENAI_API_KEY/, 'the error says what to fix');
      assert.equal(ofType(events, 'run_end')[0]!.status, 'failed');
      assert.equal(fake.requests.length, 1, '401 is not retried');
    } finally {
      s.cleanup();
    }
  });

  it('retries a 429 as the SDK does, recording a retry event, then completes', async () => {
    const s = scratch();
    try {
      const run = await agioRun(
        s,
        { turns: [{ fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } }, { text: 'fine' }] },
        [],
      );
      assert.equal(run.code, 0, run.stderr);
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      const retries = ofType(events, 'retry');
      assert.equal(retries.length, 1);
      assert.equal(retries[0]!.status, 429);
      assert.equal(fake.requests.length, 2);
    } finally {
      s.cleanup();
    }
  });

  it('1 and status limit when --max-steps is reached', async () => {
    const s = scratch({ 'a.txt': 'a' });
    try {
      const loop = Array.from({ length: 10 }, () => ({ toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }] }));
      const run = await agioRun(s, { turns: loop }, ['--max-steps', '3']);
      assert.equal(run.code, 1);
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      const limit = ofType(events, 'limit_reached')[0]!;
      assert.deepEqual([limit.limit, limit.value, limit.max], ['steps', 3, 3]);
      assert.equal(ofType(events, 'run_end')[0]!.status, 'limit');
      assert.equal(fake.requests.length, 3, 'no model call beyond the budget');
    } finally {
      s.cleanup();
    }
  });

  it('130 on Ctrl-C during a command: the command group is killed and the run recorded as cancelled', async () => {
    // A project script that leaves a grandchild running, as test runners and dev servers do.
    const s = scratch({ 'spawn.sh': '#!/bin/sh\nsleep 30 &\necho "started $!"\nsleep 30\necho never > after.txt\n' });
    chmodSync(join(s.workspace, 'spawn.sh'), 0o755);
    try {
      let sent = false;
      const started = Date.now();
      const run = await agioRun(
        s,
        { turns: [{ toolCalls: [{ name: 'bash', arguments: { command: './spawn.sh' } }] }, { text: 'x' }] },
        // ./spawn.sh is the workspace's own code: unsandboxed, full-auto runs it only with the opt-in.
        ['--approval', 'full-auto', '--unsandboxed-full-auto'],
        // Unsandboxed: this is about the bash tool killing its process group (in the sandbox, $! is a
        // pid of the sandbox's own namespace; the sandbox's kill has its own unit test).
        { OPENAI_API_KEY: 'k', AGIO_SANDBOX: 'off' },
        {
          onStdout: (_c: string, child: { kill(s: string): void }) => {
            // The command's own output, not the tool_call event that quotes it.
            if (!sent && /"type":"tool_output"[^\n]*started \d+/.test(_c)) {
              sent = true;
              child.kill('SIGINT');
            }
          },
        },
      );
      assert.equal(run.code, 130, run.stderr);
      assert.ok(Date.now() - started < 10_000, 'cancelled promptly');
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      assert.equal(ofType(events, 'cancelled').length, 1);
      assert.equal(ofType(events, 'run_end')[0]!.status, 'cancelled');
      assert.ok(!existsSync(join(s.workspace, 'after.txt')));
      const stored = await runAgio(['replay', events[0]!.runId, '--json', '--store', s.store]);
      assert.equal(stored.stdout, run.stdout, 'the cancelled run is in the store as it streamed');
      // The backgrounded grandchild belongs to the command's process group and died with it.
      const pid = Number(/started (\d+)/.exec(run.stdout)?.[1]);
      assert.ok(pid > 0, 'the command reported its background pid');
      assert.ok(await goneWithin(pid, 2000), `background sleep ${pid} was killed`);
    } finally {
      s.cleanup();
    }
  });
});

/** True once `pid` no longer runs. A killed process can stay a zombie until its parent (here PID 1
 * of the container) reaps it; a zombie runs nothing, so it counts as gone. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    let state: string | undefined;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      return true;
    }
    if (state === 'Z' || state === 'X') return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
