// Shared by the integration tests: scratch workspaces, running the real `agio` CLI as a process, and
// checking that a stream of events keeps the contract (gap-free seq, the Run → Turn → ToolCall tree).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { AgioEvent } from '../../server/src/protocol/events.ts';
import { projectAll } from '../../server/src/protocol/projection.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const AGIO_BIN = join(REPO, 'bin', 'agio.mjs');

export interface Scratch {
  root: string;
  workspace: string;
  store: string;
  cleanup(): void;
}

/** A temp folder holding a workspace with the given files and a store beside (not inside) it. */
export function scratch(files: Record<string, string> = {}, base = tmpdir()): Scratch {
  const root = realpathSync(mkdtempSync(join(base, 'agio-it-')));
  const workspace = join(root, 'ws');
  mkdirSync(workspace);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, rel)), { recursive: true });
    writeFileSync(join(workspace, rel), content);
  }
  return {
    root,
    workspace,
    store: join(root, 'agio.db'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface AgioResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `agio …` as a real process with stdin not a terminal and only the given provider env. */
export function runAgio(
  args: string[],
  opts: {
    env?: Record<string, string>;
    onStdout?: (chunk: string, child: ReturnType<typeof spawn>) => void;
    timeoutMs?: number;
  } = {},
): Promise<AgioResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...opts.env };
  // --liftoff-only as the launcher's shebang passes it (so no re-exec, and signals reach agio itself).
  const child = spawn(process.execPath, ['--liftoff-only', AGIO_BIN, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
    opts.onStdout?.(c, child);
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  const done = new Promise<AgioResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const decisionsOut = process.env.AGIO_DECISIONS_OUT;
  const recorded = decisionsOut
    ? done.then((r) => {
        recordDecisions(r.stdout, decisionsOut);
        return r;
      })
    : done;
  const store = storeOf(args, env);
  if (!args.includes('--json') || !store) return recorded;
  return recorded.then((r) => {
    assertLogMatchesLive(r.stdout, store);
    return r;
  });
}

/**
 * For `bench/policy-decisions.ts`: with AGIO_DECISIONS_OUT set, every tool call of a --json run is
 * appended there with what the policy decided (allow, ask or deny), so the decisions the whole suite
 * makes can be compared between two builds (what used to run unasked and now asks).
 */
function recordDecisions(stdout: string, out: string): void {
  const events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { type: string; id: string; parentId?: string } & Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const file = relative(REPO, process.argv[1] ?? '');
  for (const call of events.filter((e) => e.type === 'tool_call')) {
    const asked = events.some((e) => e.type === 'approval_request' && e.parentId === call.id);
    const byPolicy = events.find((e) => e.type === 'approval_decision' && e.parentId === call.id && e.by === 'policy');
    const verdict = asked ? 'ask' : byPolicy ? String(byPolicy.decision) : 'none';
    const reason = String(
      (asked ? events.find((e) => e.type === 'approval_request' && e.parentId === call.id) : byPolicy)?.reason ?? '',
    );
    appendFileSync(
      out,
      `${JSON.stringify({ file, tool: call.tool, summary: call.summary ?? call.args, verdict, reason })}\n`,
    );
  }
}

function storeOf(args: string[], env: NodeJS.ProcessEnv): string | undefined {
  const i = args.indexOf('--store');
  return i >= 0 ? args[i + 1] : env.AGIO_STORE;
}

/**
 * Every whole run an integration test makes with --json is checked against its log: the stored lines
 * are the streamed ones byte for byte, and the live stream and the log project to the same state
 * (protocol/projection.ts), so resume, the runs list and the panel see what the user saw.
 */
function assertLogMatchesLive(stdout: string, store: string): void {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
  const first = lines[0] ? (JSON.parse(lines[0]) as { type?: string; runId?: string }) : undefined;
  const last = lines.at(-1) ? (JSON.parse(lines.at(-1)!) as { type?: string }) : undefined;
  // Only whole new runs: a resumed run streams from the middle, a killed one stops anywhere.
  if (first?.type !== 'run_start' || last?.type !== 'run_end' || !first.runId || !existsSync(store)) return;
  const db = new Database(store, { readonly: true });
  let stored: string[];
  try {
    stored = db.prepare('SELECT json FROM events WHERE run_id = ? ORDER BY seq').pluck().all(first.runId) as string[];
  } finally {
    db.close();
  }
  assert.deepEqual(stored, lines, `run ${first.runId}: the log holds exactly what was streamed`);
  const parse = (ls: string[]) => ls.map((l) => AgioEvent.parse(JSON.parse(l)));
  assert.deepEqual(
    projectAll(parse(stored)),
    projectAll(parse(lines)),
    `run ${first.runId}: the log projects to the live state`,
  );
}

/** Parses `--json` output: every stdout line must be exactly one valid event. */
export function parseEventLines(stdout: string): AgioEvent[] {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', 'stdout ends with a newline');
  return lines.map((line, i) => {
    const parsed = AgioEvent.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `line ${i + 1} is not a valid event: ${line.slice(0, 200)}`);
    return parsed.data;
  });
}

/** The structural contract of one run's events. */
export function assertRunContract(events: AgioEvent[]): void {
  assert.ok(events.length > 0, 'the run emitted events');
  const runId = events[0]!.runId;
  const byId = new Map<string, AgioEvent>();
  events.forEach((e, i) => {
    assert.equal(e.runId, runId, 'one run id throughout');
    assert.equal(e.seq, i + 1, `seq is gap-free (event ${i + 1} has seq ${e.seq})`);
    assert.ok(!byId.has(e.id), `event id ${e.id} is unique`);
    byId.set(e.id, e);
    if (i > 0) assert.ok(e.ts >= events[i - 1]!.ts, 'timestamps never go backwards');
  });
  assert.equal(events[0]!.type, 'run_start');
  assert.equal(events[0]!.parentId, null);
  assert.equal(events.at(-1)!.type, 'run_end');
  const parentType = (e: AgioEvent) => (e.parentId === null ? null : byId.get(e.parentId)?.type);
  const expectedParent: Partial<Record<AgioEvent['type'], AgioEvent['type'] | AgioEvent['type'][]>> = {
    turn_start: 'run_start',
    turn_end: 'run_start',
    metrics_snapshot: 'run_start',
    run_end: 'run_start',
    notice: 'run_start',
    text_delta: 'turn_start',
    message_end: 'turn_start',
    tool_call: 'turn_start',
    tool_call_delta: 'turn_start',
    context_usage: 'turn_start',
    compaction_start: 'turn_start',
    // The compaction's summary call is a model call of its own, under its compaction_start.
    usage: ['turn_start', 'compaction_start'],
    retry: ['turn_start', 'compaction_start'],
    compaction_end: 'compaction_start',
    approval_request: 'tool_call',
    approval_decision: 'tool_call',
    tool_output: 'tool_call',
    tool_result: 'tool_call',
    checkpoint: 'tool_call',
    context_added: ['run_start', 'tool_call'],
  };
  // A question about the run itself (callId set) hangs under its turn, and its answer under it.
  const questions = new Set(
    events.filter((e) => e.type === 'approval_request' && e.callId !== undefined).map((e) => e.id),
  );
  for (const e of events) {
    if (e.type === 'approval_request' && questions.has(e.id)) {
      assert.equal(parentType(e), 'turn_start', `question (seq ${e.seq}) hangs under a turn`);
      continue;
    }
    if (e.type === 'approval_decision' && e.parentId !== null && questions.has(e.parentId)) continue;
    const want = expectedParent[e.type];
    if (want) {
      const allowed: (AgioEvent['type'] | null | undefined)[] = Array.isArray(want) ? want : [want];
      assert.ok(
        allowed.includes(parentType(e)),
        `${e.type} (seq ${e.seq}) has a ${allowed.join(' or ')} as parent, not ${parentType(e)}`,
      );
    }
  }
  // Every tool call gets exactly one result.
  const calls = events.filter((e) => e.type === 'tool_call');
  for (const c of calls) {
    const results = events.filter((e) => e.type === 'tool_result' && e.parentId === c.id);
    assert.equal(results.length, 1, `tool call ${c.seq} has one result`);
  }
}

export function ofType<T extends AgioEvent['type']>(events: AgioEvent[], type: T): Extract<AgioEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgioEvent, { type: T }> => e.type === type);
}
