// A server killed (-9) while an approval waits: the next Agio process records the run as interrupted,
// says what was in flight, and approves nothing. What a VS Code window reload or a crash leaves behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import { ApprovalRequest, EventNotification, StartRun } from '../../server/src/protocol/methods.ts';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { AGIO_BIN, assertRunContract, ofType, parseEventLines, runAgio, scratch } from './helpers.ts';

let fake: FakeLlm;
before(
  async () =>
    (fake = await startFakeLlm({
      strict: true,
      turns: [{ toolCalls: [{ name: 'bash', arguments: { command: 'touch approved.txt' } }] }, { text: 'x' }],
    })),
);
after(() => fake.close());

it('a run whose server was killed while an approval waited is recorded as interrupted, not approved', async () => {
  const s = scratch();
  try {
    const child = spawn(process.execPath, ['--liftoff-only', AGIO_BIN, 'serve', '--stdio', '--store', s.store], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const events: AgioEvent[] = [];
    let asked!: () => void;
    const approvalAsked = new Promise<void>((r) => (asked = r));
    conn.onNotification(EventNotification.method, (e: AgioEvent) => void events.push(e));
    // The user never answers: the window goes away first.
    conn.onRequest(ApprovalRequest.method, () => {
      asked();
      return new Promise(() => {});
    });
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: `file://${s.workspace}`,
      capabilities: {},
    });
    const { runId } = StartRun.result.parse(
      await conn.sendRequest(StartRun.method, {
        task: 'touch it',
        provider: 'openai',
        model: 'm',
        baseUrl: fake.openaiBaseUrl,
        apiKey: 'k',
        approval: 'ask',
        trusted: true,
      }),
    );
    await approvalAsked;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    conn.dispose();

    // The next process to open the store (here `agio runs`) records the interruption.
    const runs = await runAgio(['runs', '--json', '--store', s.store]);
    const listed = JSON.parse(runs.stdout.trim()) as { id: string; status: string };
    assert.equal(listed.id, runId);
    assert.equal(listed.status, 'interrupted');

    const replay = await runAgio(['replay', runId, '--json', '--store', s.store]);
    const stored = parseEventLines(replay.stdout);
    assert.deepEqual(stored.slice(0, -1), events, 'everything streamed before the kill was on disk');
    const last = stored.at(-1)!;
    assert.equal(last.type, 'run_interrupted');
    assert.equal(last.seq, events.length + 1, 'the log stays gap-free');
    assert.equal(last.parentId, stored[0]!.id);
    assert.match(
      last.type === 'run_interrupted' ? last.lastStep : '',
      /approval was waiting for an answer \(bash: touch approved\.txt\); it was not approved/,
    );
    assert.match(last.type === 'run_interrupted' ? last.reason : '', new RegExp(`process ${child.pid}`));
    assert.equal(
      ofType(stored, 'approval_decision').filter((d) => d.by !== 'policy').length,
      0,
      'nothing answered the approval',
    );
    assert.ok(!existsSync(join(s.workspace, 'approved.txt')), 'the command never ran');

    // Recording it again finds nothing to do: one interruption, whoever looks next.
    await runAgio(['runs', '--json', '--store', s.store]);
    const again = await runAgio(['replay', runId, '--json', '--store', s.store]);
    assert.equal(again.stdout, replay.stdout);

    // Resume: the unanswered approval is asked again (here with no terminal, so denied, and the model
    // is told), then the run goes on from its recorded conversation to its end, in the same log.
    const resumed = await runAgio(['resume', runId.slice(0, 8), '--json', '--store', s.store], {
      env: { OPENAI_API_KEY: 'k' },
    });
    assert.equal(resumed.code, 0, resumed.stderr);
    const more = parseEventLines(resumed.stdout);
    assert.equal(more[0]!.type, 'run_resumed');
    assert.equal(more[0]!.seq, last.seq + 1);
    const toolCall = ofType(stored, 'tool_call')[0]!;
    const reasked = ofType(more, 'approval_request');
    assert.equal(reasked.length, 1);
    assert.equal(reasked[0]!.parentId, toolCall.id, 'the same call is asked again, not a new one');
    assert.deepEqual(
      ofType(more, 'approval_decision').map((d) => [d.decision, d.by]),
      [['deny', 'headless']],
    );
    assert.equal(ofType(more, 'run_end')[0]!.status, 'completed');
    assert.ok(!existsSync(join(s.workspace, 'approved.txt')));
    const lastRequest = fake.requests.at(-1)!.rawBody;
    assert.match(lastRequest, /touch it/, 'the model got the original task back');
    assert.match(lastRequest, /denied/, 'and the outcome of the re-asked call');
    const whole = parseEventLines((await runAgio(['replay', runId, '--json', '--store', s.store])).stdout);
    assertRunContract(whole);
    const listedAfter = JSON.parse((await runAgio(['runs', '--json', '--store', s.store])).stdout.trim()) as {
      status: string;
      turns: number;
    };
    assert.equal(listedAfter.status, 'completed');
    assert.equal(listedAfter.turns, 2);
  } finally {
    s.cleanup();
  }
});
