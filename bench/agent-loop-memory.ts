// The memory part of the agent-loop bench: the 200-turn task run in this process through startRun
// (the same assembly the CLI uses), sampling the heap at a few turn ends against the size of the
// conversation the model was just sent. The bench starts this file as a child of its own, so the
// peak RSS is this run's and not that of whatever ran earlier in the bench process (the store
// bench, ten CLI runs' worth of fake-server traffic).
//   node --expose-gc bench/agent-loop-memory.ts   → one JSON line (MemoryResult)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { headlessApprover } from '../server/src/agent/approver.ts';
import { startRun } from '../server/src/agent/start-run.ts';
import { resolveRun } from '../server/src/config/resolve-run.ts';
import { EventStore } from '../server/src/store/event-store.ts';
import { DiskFiles } from '../server/src/workspace/disk-files.ts';
import { startFakeLlm } from '../test/fake-llm/server.ts';
import { makeWorkspace, TASK, TURNS, turnFor } from './agent-loop-task.ts';

export const SAMPLE_TURNS = [25, 50, 100, 150, 200];

export interface MemorySample {
  turn: number;
  heapUsed: number;
  /** The old generation alone: live objects, without the compiled code and bytecode that V8 keeps
   * adding (and flushing) as functions warm up, which is most of heapUsed's drift over a short run. */
  oldSpace: number;
  /** Bytes of the request body the model received on this turn: the whole conversation so far. */
  conversationBytes: number;
}

export interface MemoryResult {
  status: string;
  samples: MemorySample[];
  maxRssKb: number;
  gcExposed: boolean;
}

export async function measureMemory(): Promise<MemoryResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const work = makeWorkspace();
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-loop-mem-'));
  let turn = 0;
  let lastBody = 0;
  // The fake server keeps every request it got (raw and parsed), which over 200 growing requests is
  // far more than Agio holds and would swamp the heap figures. Keep only the newest; turns are
  // counted here because the server's request index restarts with the trimmed list.
  const llm = await startFakeLlm((req) => {
    lastBody = Buffer.byteLength(req.rawBody);
    llm.requests.length = 0;
    return turnFor(++turn);
  });
  const store = EventStore.open(path.join(storeDir, 'events.db'));
  const samples: MemorySample[] = [];
  const sampler = (e: { type: string; turn?: number }) => {
    if (e.type !== 'turn_end' || !SAMPLE_TURNS.includes(e.turn!)) return;
    gc?.();
    const oldSpace = v8.getHeapSpaceStatistics().find((sp) => sp.space_name === 'old_space')?.space_used_size ?? 0;
    samples.push({ turn: e.turn!, heapUsed: process.memoryUsage().heapUsed, oldSpace, conversationBytes: lastBody });
  };
  try {
    const outcome = await startRun(
      resolveRun(
        {
          task: TASK,
          cwd: work,
          provider: 'openai',
          model: 'm',
          baseUrl: llm.openaiBaseUrl,
          approval: 'full-auto',
          trusted: true,
          context: { window: 1_000_000 },
        },
        // No settings files or price table of the user's: the run is the same on every machine.
        { env: { ...process.env, AGIO_PRICES: '', XDG_CONFIG_HOME: path.join(work, '.no-config') }, apiKey: 'bench' },
      ),
      {
        store,
        sinks: [sampler],
        approver: headlessApprover,
        files: new DiskFiles(),
        signal: new AbortController().signal,
      },
    );
    if (outcome.status !== 'completed' || turn !== TURNS) {
      throw new Error(`memory run ended ${outcome.status} after ${turn} model calls: ${outcome.error ?? ''}`);
    }
    return { status: outcome.status, samples, maxRssKb: process.resourceUsage().maxRSS, gcExposed: gc !== undefined };
  } finally {
    store.close();
    await llm.close();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
}

if (import.meta.main) process.stdout.write(`${JSON.stringify(await measureMemory())}\n`);
