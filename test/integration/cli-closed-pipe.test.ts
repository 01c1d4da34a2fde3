// A reader that stops early (`agio runs --json | head -1`) closes the CLI's stdout mid-write. The CLI
// must end quietly, not die of an unhandled EPIPE with a stack trace. Real shell pipes, real `head`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AgioEvent, EventDraft } from '../../server/src/protocol/events.ts';
import { EventStore } from '../../server/src/store/event-store.ts';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { AGIO_BIN, scratch, type Scratch } from './helpers.ts';

/** Runs `agio ARGS | head -1` in bash; returns agio's own exit status, its stderr and what head printed. */
function pipedToHead(
  args: string[],
  errFile: string,
  env: Record<string, string> = {},
): Promise<{ status: number; stderr: string; head: string }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `node --liftoff-only '${AGIO_BIN}' ${quoted} 2>"$ERR" | head -1; echo "agio-status=\${PIPESTATUS[0]}"; cat "$ERR" >&2`;
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ERR: errFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', () => {
      const m = /agio-status=(\d+)\n$/.exec(out);
      resolve({ status: m ? Number(m[1]) : -1, stderr, head: out.slice(0, m?.index ?? out.length) });
    });
  });
}

function event(runId: string, seq: number, draft: EventDraft, ts: number): AgioEvent {
  return { ...draft, id: `${runId}.${seq}`, runId, seq, ts } as AgioEvent;
}

/** A store holding `runs` finished runs, the first of them `deltas` text deltas long. */
function fillStore(file: string, runs: number, deltas: number): string[] {
  const store = EventStore.open(file);
  const ids: string[] = [];
  const totals = {
    turns: 1,
    toolCalls: 0,
    inputTokens: 10,
    outputTokens: 5,
    cachedTokens: 0,
    costUsd: 0.001,
    errors: 0,
    elapsedMs: 100,
  };
  for (let r = 0; r < runs; r++) {
    const id = `run${String(r).padStart(5, '0')}`;
    ids.push(id);
    const ts = 1_700_000_000_000 + r * 1000;
    const drafts: EventDraft[] = [
      {
        type: 'run_start',
        parentId: null,
        task: `task number ${r} with some words to make the line longer`,
        cwd: '/work/proj',
        provider: 'openai',
        model: 'm',
        agioVersion: '0.1.0',
        approval: 'ask',
        limits: {},
      },
      { type: 'turn_start', parentId: `${id}.1`, turn: 1 },
      ...Array.from(
        { length: r === 0 ? deltas : 1 },
        (): EventDraft => ({ type: 'text_delta', parentId: `${id}.2`, text: 'some streamed words of the answer\n' }),
      ),
    ];
    drafts.push({ type: 'run_end', parentId: `${id}.1`, status: 'completed', totals });
    drafts.forEach((d, i) => {
      const e = event(id, i + 1, d, ts + i);
      store.append(e, JSON.stringify(e));
    });
  }
  store.close();
  return ids;
}

function assertQuiet(stderr: string): void {
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|^\s+at /m, `no stack trace or EPIPE on stderr:\n${stderr}`);
}

describe('stdout closed early by the reader', () => {
  let s: Scratch;
  let ids: string[];
  before(() => {
    s = scratch();
    // Far more than a pipe holds (64 KB): the CLI is still writing when head exits.
    ids = fillStore(s.store, 2000, 20_000);
  });
  after(() => s.cleanup());

  for (const args of [
    ['runs', '--json', '--limit', '2000'],
    ['runs', '--limit', '2000'],
    ['replay', '--json'],
    ['replay'],
  ]) {
    it(`agio ${args.join(' ')} | head -1 exits 0 without a stack trace`, async () => {
      const full = args[0] === 'replay' ? [...args, ids[0]!] : args;
      const r = await pipedToHead([...full, '--store', s.store], join(s.root, 'stderr.txt'));
      assertQuiet(r.stderr);
      assert.equal(r.status, 0, `agio's own exit status; stderr: ${r.stderr}`);
      assert.equal(r.head.split('\n').length, 2, 'head printed one line');
    });
  }

  describe('agio run --json | head -1', () => {
    let fake: FakeLlm;
    // The answer comes after head has read run_start and gone: the next write finds the pipe closed.
    before(
      async () =>
        (fake = await startFakeLlm({
          turns: [
            { text: 'x'.repeat(200), delayMs: 400, toolCalls: [{ name: 'ls', arguments: {} }] },
            { text: 'done', delayMs: 2000 },
          ],
        })),
    );
    after(() => fake.close());

    it('cancels the run, says so in one line, and exits 130', async () => {
      const w = scratch();
      try {
        const r = await pipedToHead(
          [
            'run',
            '--json',
            '--provider',
            'openai',
            '--base-url',
            fake.openaiBaseUrl,
            '--model',
            'm',
            '--approval',
            'full-auto',
            '--store',
            w.store,
            '--cwd',
            w.workspace,
            'list files',
          ],
          join(w.root, 'stderr.txt'),
          { OPENAI_API_KEY: 'k' },
        );
        assertQuiet(r.stderr);
        assert.match(r.head, /"type":"run_start"/);
        assert.match(r.stderr, /stdout was closed; cancelling the run/);
        assert.equal(r.status, 130, r.stderr);
        const store = EventStore.open(w.store);
        try {
          assert.equal(store.listRuns()[0]!.status, 'cancelled', 'the run is recorded as cancelled, not left running');
        } finally {
          store.close();
        }
      } finally {
        w.cleanup();
      }
    });
  });
});
