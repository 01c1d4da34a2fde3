// `agio serve --stdio` over a real JSON-RPC connection, the way the VS Code client drives it: the LSP
// handshake, a run started with the key sent over the connection, events streamed as notifications,
// approvals answered by the client (one allowed, one denied with feedback), cancel, and history.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import {
  ApprovalRequest,
  CancelRun,
  CompactRun,
  EventNotification,
  ListRuns,
  RestoreRun,
  RunEvents,
  StartRun,
} from '../../server/src/protocol/methods.ts';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { AGIO_BIN, assertRunContract, ofType, scratch, type Scratch } from './helpers.ts';

interface Server {
  conn: MessageConnection;
  events: AgioEvent[];
  approvals: Array<{ tool: string; summary: string }>;
  runEnded: (runId: string) => Promise<void>;
  /** Starts a run against the fake model (trusted, key over the connection unless given) and waits for its end. */
  run(params: Record<string, unknown>): Promise<{ runId: string; events: AgioEvent[] }>;
  stop(): Promise<void>;
}

async function startServer(
  s: Scratch,
  answer: (q: { tool: string }) => { decision: string; feedback?: string },
): Promise<Server> {
  // The key reaches the server over the connection, not through its environment.
  const child = spawn(process.execPath, ['--liftoff-only', AGIO_BIN, 'serve', '--stdio', '--store', s.store], {
    // Rules granted with "always" go to the user's config: keep it in the scratch folder.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: join(s.root, 'config') },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const events: AgioEvent[] = [];
  const approvals: Server['approvals'] = [];
  const waiters = new Map<string, () => void>();
  conn.onNotification(EventNotification.method, (e: AgioEvent) => {
    events.push(e);
    if (e.type === 'run_end') waiters.get(e.runId)?.();
  });
  conn.onRequest(ApprovalRequest.method, (q: { tool: string; summary: string }) => {
    approvals.push({ tool: q.tool, summary: q.summary });
    return answer(q);
  });
  conn.listen();
  const init = (await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: `file://${s.workspace}`,
    capabilities: {},
  })) as {
    serverInfo: { name: string };
  };
  assert.equal(init.serverInfo.name, 'agio');
  await conn.sendNotification('initialized', {});
  const runEnded = (runId: string) =>
    events.some((e) => e.runId === runId && e.type === 'run_end')
      ? Promise.resolve()
      : new Promise<void>((r) => waiters.set(runId, r));
  return {
    conn,
    events,
    approvals,
    runEnded,
    async run(params) {
      const { runId } = StartRun.result.parse(
        await conn.sendRequest(StartRun.method, {
          task: 't',
          provider: 'openai',
          model: 'm',
          baseUrl: fake.openaiBaseUrl,
          apiKey: 'k',
          trusted: true,
          ...params,
        }),
      );
      await runEnded(runId);
      return { runId, events: events.filter((e) => e.runId === runId) };
    },
    async stop() {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      await new Promise((r) => child.once('exit', r));
      conn.dispose();
    },
  };
}

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

describe('agio serve --stdio', () => {
  it('runs a task with client approvals and streams every event as a notification', async () => {
    const s = scratch({ 'src/a.ts': 'export const a = 1;\n' });
    const server = await startServer(s, (q) =>
      q.tool === 'bash' ? { decision: 'deny', feedback: 'do not run commands, just edit' } : { decision: 'allow' },
    );
    try {
      fake.setScript({
        strict: true,
        turns: [
          { toolCalls: [{ name: 'read', arguments: { path: 'src/a.ts' } }] },
          {
            toolCalls: [
              { name: 'edit', arguments: { path: 'src/a.ts', edits: [{ old_text: '= 1', new_text: '= 2' }] } },
            ],
          },
          { toolCalls: [{ name: 'bash', arguments: { command: 'touch ran.txt' } }] },
          { text: 'Changed a to 2.' },
        ],
      });
      fake.requests.length = 0;
      const { runId } = await server.run({
        task: 'set a to 2',
        apiKey: 'from-secret-storage',
        approval: 'ask',
        prices: { m: { input: 2, output: 4 } },
      });
      assert.equal(readFileSync(join(s.workspace, 'src/a.ts'), 'utf8'), 'export const a = 2;\n');
      assert.ok(!existsSync(join(s.workspace, 'ran.txt')), 'the denied command did not run');
      assert.deepEqual(
        server.approvals.map((a) => a.tool),
        ['edit', 'bash'],
        'the client was asked for the write and the command, not the read',
      );
      assert.equal(fake.requests[0]!.headers.authorization, 'Bearer from-secret-storage');
      assert.match(
        fake.requests[3]!.rawBody,
        /do not run commands, just edit/,
        'the denial feedback reached the model',
      );

      const events = server.events.filter((e) => e.runId === runId);
      assertRunContract(events);
      assert.equal(events[0]!.type === 'run_start' && events[0].cwd, s.workspace, 'the workspace came from initialize');
      assert.deepEqual(
        ofType(events, 'approval_decision').map((d) => [d.decision, d.by]),
        [
          ['allow', 'policy'],
          ['allow', 'user'],
          ['deny', 'user'],
        ],
      );
      assert.equal(ofType(events, 'run_end')[0]!.status, 'completed');
      // The editor's price override applies: $2 / $4 per million input / output tokens.
      for (const u of ofType(events, 'usage')) assert.equal(u.costUsd, (u.inputTokens * 2 + u.outputTokens * 4) / 1e6);
      assert.ok(ofType(events, 'run_end')[0]!.totals.costUsd > 0);

      const stored = RunEvents.result.parse(await server.conn.sendRequest(RunEvents.method, { runId }));
      assert.deepEqual(stored.events, events, 'the stored log equals what was streamed');
      const after3 = RunEvents.result.parse(await server.conn.sendRequest(RunEvents.method, { runId, afterSeq: 3 }));
      assert.equal(after3.events[0]!.seq, 4);
      const runs = ListRuns.result.parse(await server.conn.sendRequest(ListRuns.method, {}));
      assert.equal(runs.runs[0]!.id, runId);
      assert.equal(runs.runs[0]!.status, 'completed');

      // The panel's "Restore to before this step": a plan first, changing nothing; then the restore.
      const restore = (apply: boolean) =>
        server.conn.sendRequest(RestoreRun.method, { runId, toStep: 1, apply }).then((r) => RestoreRun.result.parse(r));
      const plan = await restore(false);
      assert.deepEqual(
        plan.steps.map((st) => [st.step, st.tool, st.summary]),
        [[1, 'edit', 'src/a.ts (1 edit)']],
        'the denied command was never a step; the summary leaves the tool name to the caller',
      );
      assert.deepEqual(plan.changes, [{ path: 'src/a.ts', action: 'modify' }]);
      assert.equal(
        readFileSync(join(s.workspace, 'src/a.ts'), 'utf8'),
        'export const a = 2;\n',
        'planning changes nothing',
      );
      const applied = await restore(true);
      assert.deepEqual(applied.failed, []);
      assert.equal(readFileSync(join(s.workspace, 'src/a.ts'), 'utf8'), 'export const a = 1;\n');
    } finally {
      await server.stop();
      s.cleanup();
    }
  });

  it('cancels a run in flight and rejects invalid params with a clear error', async () => {
    const s = scratch();
    const server = await startServer(s, () => ({ decision: 'allow' }));
    try {
      fake.setScript({
        turns: [{ toolCalls: [{ name: 'bash', arguments: { command: 'echo go; sleep 30' } }] }, { text: 'x' }],
      });
      const { runId } = StartRun.result.parse(
        await server.conn.sendRequest(StartRun.method, {
          task: 'wait',
          provider: 'openai',
          model: 'm',
          baseUrl: fake.openaiBaseUrl,
          apiKey: 'k',
          approval: 'full-auto',
          trusted: true,
        }),
      );
      while (!server.events.some((e) => e.type === 'tool_output' && e.runId === runId))
        await new Promise((r) => setTimeout(r, 20));
      const started = Date.now();
      const res = CancelRun.result.parse(await server.conn.sendRequest(CancelRun.method, { runId }));
      assert.equal(res.cancelled, true);
      await server.runEnded(runId);
      assert.ok(Date.now() - started < 5000, 'the command was stopped promptly');
      const end = ofType(
        server.events.filter((e) => e.runId === runId),
        'run_end',
      )[0]!;
      assert.equal(end.status, 'cancelled');

      await assert.rejects(
        server.conn.sendRequest(StartRun.method, { task: '' }),
        /invalid params for agio\/run\/start/,
      );
    } finally {
      await server.stop();
      s.cleanup();
    }
  });

  it("compacts a running run when the client asks (the panel's /compact), and says why not when the run is over", async () => {
    const s = scratch({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
    const server = await startServer(s, () => ({ decision: 'allow' }));
    try {
      fake.setScript({
        strict: true,
        turns: [
          { toolCalls: [{ name: 'read', arguments: { path: 'a.ts' } }] },
          { delayMs: 800, toolCalls: [{ name: 'read', arguments: { path: 'b.ts' } }] },
          { text: 'SUMMARY: read a.ts and b.ts; nothing changed yet.' },
          { text: 'done' },
        ],
      });
      fake.requests.length = 0;
      const { runId } = StartRun.result.parse(
        await server.conn.sendRequest(StartRun.method, {
          task: 'read both',
          provider: 'openai',
          model: 'gpt-4.1',
          baseUrl: fake.openaiBaseUrl,
          apiKey: 'k',
          approval: 'read-only',
          trusted: true,
        }),
      );
      while (!server.events.some((e) => e.type === 'turn_start' && e.runId === runId && e.turn === 2))
        await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(CompactRun.result.parse(await server.conn.sendRequest(CompactRun.method, { runId })), {
        queued: true,
      });
      await server.runEnded(runId);
      const events = server.events.filter((e) => e.runId === runId);
      assertRunContract(events);
      const start = ofType(events, 'compaction_start')[0]!;
      assert.equal(start.reason, 'user');
      const parent = events.find((e) => e.id === start.parentId);
      assert.ok(parent?.type === 'turn_start' && parent.turn === 3, 'before the next model call, in turn 3');
      const end = ofType(events, 'compaction_end')[0]!;
      assert.equal(end.ok, true);
      assert.equal(end.summarized, 2, 'the first turn: its call and its result');
      // The summary call was a model call with its usage counted, and the next turn saw the summary.
      assert.equal(ofType(events, 'usage').filter((u) => u.parentId === start.id).length, 1);
      assert.match(fake.requests[2]!.rawBody, /You compact the conversation of Agio/);
      const last = fake.requests[3]!.rawBody;
      assert.match(last, /<conversation-summary>[\s\S]*SUMMARY: read a\.ts and b\.ts/);
      assert.doesNotMatch(last, /export const a = 1/, 'the first read is summarized away');
      assert.match(last, /export const b = 2/, 'the last turn is kept verbatim');
      const late = CompactRun.result.parse(await server.conn.sendRequest(CompactRun.method, { runId }));
      assert.equal(late.queued, false);
      assert.match(late.reason ?? '', /not running/);
    } finally {
      await server.stop();
      s.cleanup();
    }
  });

  it('"always" saves a rule of program and subcommand in the user\'s config, not the workspace, that later runs follow', async () => {
    const s = scratch({ '.agio/policy.json': '{\n  // mine: keep this comment\n}\n' });
    const server = await startServer(s, () => ({ decision: 'always' }));
    try {
      const secret = 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngAbCdEf1234';
      fake.setScript({
        strict: true,
        turns: [
          { toolCalls: [{ name: 'bash', arguments: { command: `echo hi --token=${secret} > out.txt` } }] },
          { toolCalls: [{ name: 'bash', arguments: { command: 'echo hi again >> out.txt' } }] },
          { text: 'ok' },
          { toolCalls: [{ name: 'bash', arguments: { command: 'echo hi third >> out.txt' } }] },
          { text: 'ok' },
        ],
      });
      const start = async () => (await server.run({ approval: 'ask' })).events;
      const first = await start();
      assert.equal(server.approvals.length, 1, 'asked once; the second call was covered by the grant');
      assert.deepEqual(
        ofType(first, 'tool_result').map((r) => r.result.ok),
        [true, true],
      );
      assert.equal(
        readFileSync(join(s.workspace, '.agio', 'policy.json'), 'utf8'),
        '{\n  // mine: keep this comment\n}\n',
        'the workspace file is untouched',
      );
      const policy = readFileSync(join(s.root, 'config', 'agio', 'workspace-policy.json'), 'utf8');
      assert.match(policy, new RegExp(`"${s.workspace}": \\{\\s*"commands": \\{\\s*"allow": \\[\\s*"echo hi \\*"`));
      assert.ok(!policy.includes('ghp_') && !policy.includes('token'), 'no argument (and so no secret) is stored');
      const decision = ofType(first, 'approval_decision').find((d) => d.by === 'user')!;
      assert.match(decision.reason, /rule saved: allow echo hi \*/);

      const second = await start();
      assert.equal(server.approvals.length, 1, 'a new run follows the saved rule without asking');
      assert.match(ofType(second, 'approval_decision')[0]!.reason, /allowed by your rules \(echo hi \*\)/);
      assert.equal(readFileSync(join(s.workspace, 'out.txt'), 'utf8'), `hi --token=${secret}\nhi again\nhi third\n`);
    } finally {
      await server.stop();
      s.cleanup();
    }
  });

  it('fails closed when the client does not say the workspace is trusted: read tools only', async () => {
    const s = scratch({ 'a.txt': 'a\n' });
    const server = await startServer(s, () => ({ decision: 'allow' }));
    try {
      fake.setScript({
        strict: true,
        turns: [
          {
            toolCalls: [
              { name: 'read', arguments: { path: 'a.txt' } },
              { name: 'write', arguments: { path: 'a.txt', content: 'b\n' } },
            ],
          },
          { text: 'ok' },
        ],
      });
      // No `trusted` at all: the client did not say.
      const { events } = await server.run({ approval: 'full-auto', trusted: undefined });
      assert.equal(events[0]!.type === 'run_start' && events[0].trusted, false);
      assert.deepEqual(
        ofType(events, 'tool_result').map((r) => r.result.ok),
        [true, false],
      );
      assert.match(ofType(events, 'approval_decision')[1]!.reason, /not trusted/);
      assert.equal(readFileSync(join(s.workspace, 'a.txt'), 'utf8'), 'a\n');
      assert.equal(server.approvals.length, 0, 'nothing was even asked');
    } finally {
      await server.stop();
      s.cleanup();
    }
  });
});
