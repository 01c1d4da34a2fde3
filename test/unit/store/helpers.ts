// Shared by the store tests: fresh temp folders and hand-built events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { AgioEvent, EventDraft, Totals } from '../../../server/src/protocol/events.ts';
import type { EventStore } from '../../../server/src/store/event-store.ts';

/** A new empty folder, removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agio-store-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeEvent(runId: string, seq: number, draft: EventDraft, ts = 1_700_000_000_000 + seq): AgioEvent {
  return { ...draft, id: `${runId}.${seq}`, runId, seq, ts } as AgioEvent;
}

export const ZERO: Totals = {
  turns: 0,
  toolCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  costUsd: 0,
  errors: 0,
  elapsedMs: 0,
};

export function runStart(runId: string, opts: { cwd?: string; task?: string; ts?: number } = {}): AgioEvent {
  return makeEvent(
    runId,
    1,
    {
      type: 'run_start',
      parentId: null,
      task: opts.task ?? 'fix the bug',
      cwd: opts.cwd ?? '/work/proj',
      provider: 'openai',
      model: 'gpt-test',
      agioVersion: '0.1.0',
      approval: 'ask',
      limits: {},
    },
    opts.ts,
  );
}

/** Appends drafts after `fromSeq` (seq fromSeq+1, …); returns the serialized lines in order. */
export function appendDrafts(store: EventStore, runId: string, fromSeq: number, drafts: EventDraft[]): string[] {
  return drafts.map((d, i) => {
    const e = makeEvent(runId, fromSeq + 1 + i, d);
    const json = JSON.stringify(e);
    store.append(e, json);
    return json;
  });
}

/** `n` text deltas under `parentId`. */
export function deltas(n: number, parentId = 'turn-1'): EventDraft[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'text_delta', parentId, text: `chunk ${i} ✓ "q"\n` }));
}
