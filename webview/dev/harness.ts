// Stands in for VS Code around the built panel (webview/harness.html): a fake acquireVsCodeApi that
// records what the panel posts and answers like the client would, the default theme's variables, and
// a scripted run fed through the same `message` path as in VS Code. Query parameters:
//   theme=dark|light   scenario=pending-bash|pending-edit|completed|stopped|empty|first-run|bench   tab=chat|events|metrics|history
//   priced=0 (a model without a known price or window)   trusted=0 (Restricted Mode)
//   unsandboxed=1 (full-auto with no sandbox, opted in to unsandboxed full-auto)
//   virtual=0 (render every row: the benchmark's baseline)
import type { AgioEvent, EventDraft } from '../../server/src/protocol/events.ts';
import type { FromWebview, ToWebview } from '../../server/src/protocol/webview.ts';
import type { RunSummary } from '../src/state/history.ts';
import { installBenchDriver } from './bench-driver.ts';
import { scriptedRun, type Ending } from './scripted-run.ts';
import { applyTheme, type ThemeName } from './themes.ts';

const params = new URLSearchParams(location.search);
const theme = (params.get('theme') === 'light' ? 'light' : 'dark') satisfies ThemeName;
const scenario = params.get('scenario') ?? 'pending-bash';
const priced = params.get('priced') !== '0';
const trusted = params.get('trusted') !== '0';
const unsandboxed = params.get('unsandboxed') === '1';
const CURRENT = 'r-current';

const posted: FromWebview[] = [];
let uiState: unknown;
let current: AgioEvent[] = [];

(globalThis as { __agioOptions?: unknown }).__agioOptions = { virtual: params.get('virtual') !== '0' };
(globalThis as { acquireVsCodeApi?: unknown }).acquireVsCodeApi = () => ({
  postMessage(msg: FromWebview) {
    posted.push(msg);
    // Like the real client: answer after the panel's own handler has returned.
    setTimeout(() => answer(msg), 0);
  },
  getState: () => uiState,
  setState: (s: unknown) => {
    uiState = s;
  },
});

function send(msg: ToWebview): void {
  window.postMessage(msg, '*');
}

const HOUR = 3_600_000;
function pastRuns(): RunSummary[] {
  const base = Date.UTC(2026, 10, 22, 9, 30);
  const run = (
    i: number,
    task: string,
    status: RunSummary['status'],
    turns: number,
    costUsd: number,
    elapsedMs: number,
    unpricedCalls?: number,
  ): RunSummary => ({
    id: `r-past-${i}`,
    startedAt: base - i * 5 * HOUR,
    endedAt: status === 'interrupted' ? null : base - i * 5 * HOUR + elapsedMs,
    status,
    task,
    cwd: '/home/dev/proj',
    provider: 'openai',
    model: unpricedCalls ? 'qwen2.5-coder:7b' : 'gpt-4.1',
    turns,
    toolCalls: turns * 2,
    inputTokens: turns * 3100,
    outputTokens: turns * 140,
    cachedTokens: turns * 2000,
    costUsd,
    errors: status === 'failed' ? 1 : 0,
    elapsedMs,
    lastSeq: turns * 20,
    ...(unpricedCalls !== undefined ? { unpricedCalls } : {}),
  });
  if (!priced) {
    // A workspace used with a local model: nothing priced, one run mixed (a priced model, then a local one).
    return [
      run(1, 'Add a --json flag to the runs command and document it in the README', 'completed', 6, 0, 71_000, 6),
      run(2, 'Why does the store test fail on CI but not locally?', 'interrupted', 5, 0, 96_000, 5),
      run(3, 'Rename Settings to PanelConfig everywhere', 'completed', 3, 0.0105, 22_000, 1),
    ];
  }
  return [
    run(1, 'Add a --json flag to the runs command and document it in the README', 'completed', 6, 0.0412, 71_000),
    run(2, 'Why does the store test fail on CI but not locally?', 'completed', 9, 0.0877, 143_000),
    run(3, 'Rename Settings to PanelConfig everywhere', 'cancelled', 3, 0.0105, 22_000),
    run(4, 'Upgrade esbuild and fix the build warnings', 'failed', 4, 0.0231, 48_000),
    run(5, 'Write a benchmark for the event store append path with 100k events', 'limit', 25, 1.0004, 612_000),
    run(6, 'Explain the policy engine', 'completed', 2, 0.0061, 9_000),
    // Interrupted (the server stopped mid-run): the row still says what it had done.
    run(7, 'Split fold.ts into one module per event family', 'interrupted', 7, 0.0533, 204_000),
  ];
}

function runsList(): RunSummary[] {
  const start = current[0];
  const last = current[current.length - 1];
  if (start?.type !== 'run_start' || !last) return pastRuns();
  const ended = last.type === 'run_end';
  const summary: RunSummary = {
    id: CURRENT,
    startedAt: start.ts,
    endedAt: ended ? last.ts : null,
    status: ended ? last.status : 'running',
    task: start.task,
    cwd: start.cwd,
    provider: start.provider,
    model: start.model,
    turns: 4,
    toolCalls: 6,
    inputTokens: 11_800,
    outputTokens: 490,
    cachedTokens: 8192,
    costUsd: priced ? 0.0219 : 0,
    errors: 1,
    elapsedMs: last.ts - start.ts,
    lastSeq: last.seq,
    ...(priced ? {} : { unpricedCalls: 4 }),
  };
  return [summary, ...pastRuns()];
}

/** Appends events to the current run and streams them like the client relays live events. */
function appendCurrent(drafts: EventDraft[], dt = 400): void {
  const fromSeq = current.length + 1;
  const added = drafts.map((d, i) => {
    const seq = fromSeq + i;
    return {
      ...d,
      id: `${CURRENT}.${seq}`,
      runId: CURRENT,
      seq,
      ts: current[current.length - 1]!.ts + dt * (i + 1),
    } as AgioEvent;
  });
  current = [...current, ...added];
  send({ type: 'events', runId: CURRENT, fromSeq, events: added });
}

function answer(msg: FromWebview): void {
  switch (msg.type) {
    case 'ready':
      return start();
    case 'listRuns':
      return send({ type: 'runs', runs: runsList() });
    case 'openRun': {
      const events = msg.runId === CURRENT ? current : scriptedRun(msg.runId, 'completed', undefined, { priced });
      send({ type: 'reset', runId: msg.runId, events });
      return send({ type: 'focusRun', runId: msg.runId });
    }
    case 'approve': {
      const call = current.find((e) => e.type === 'tool_call' && e.callId === msg.callId);
      if (call?.type !== 'tool_call') return;
      const denied = msg.decision === 'deny';
      appendCurrent([
        {
          type: 'approval_decision',
          parentId: call.id,
          decision: msg.decision,
          by: 'user',
          reason: msg.feedback ?? (denied ? 'denied by the user' : 'approved by the user'),
          waitedMs: 3400,
        },
        {
          type: 'tool_result',
          parentId: call.id,
          tool: call.tool,
          callId: call.callId,
          result: { ok: !denied, output: denied ? `The ${call.tool} call was denied.` : 'done', durationMs: 12 },
        },
      ]);
      return;
    }
    default:
      return; // recorded in `posted` for whoever drives the harness
  }
}

function start(): void {
  const firstRun = scenario === 'first-run';
  send({
    type: 'config',
    config: {
      provider: 'openai',
      model: 'gpt-4.1',
      approval: 'ask',
      hasKey: !firstRun,
      sandbox: firstRun ? 'unknown' : 'bwrap',
      trusted,
    },
  });
  send({ type: 'serverState', state: 'running' });
  if (scenario === 'bench') {
    document.body.dataset.harnessReady = 'true';
    return;
  }
  if (!firstRun && scenario !== 'empty') {
    const events = scriptedRun(CURRENT, scenario as Ending, undefined, { priced, unsandboxed });
    // In a few increments, as a live run arrives.
    for (let i = 0; i < events.length; i += 40) {
      const batch = events.slice(i, i + 40);
      current = [...current, ...batch];
      send({ type: 'events', runId: CURRENT, fromSeq: batch[0]!.seq, events: batch });
    }
    const pending = current
      .filter((e) => e.type === 'approval_request')
      .map((e) => current.find((c) => c.id === e.parentId));
    const last = pending[pending.length - 1];
    if (scenario !== 'completed' && last?.type === 'tool_call')
      send({ type: 'pendingApprovals', callIds: [last.callId] });
    send({ type: 'focusRun', runId: CURRENT });
  }
  send({ type: 'runs', runs: runsList() });
  const tab = params.get('tab');
  if (tab === 'events' || tab === 'metrics' || tab === 'history' || tab === 'chat') send({ type: 'showTab', tab });
  void whenDrawn().then(() => (document.body.dataset.harnessReady = 'true'));
}

/** Resolves once the panel has folded everything sent, loaded its markdown renderer and drawn. */
async function whenDrawn(): Promise<void> {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const g = globalThis as unknown as { __agioPanel: () => { markdownReady: boolean }; __agioPendingWork: () => number };
  await new Promise((r) => setTimeout(r, 50));
  while (!g.__agioPanel().markdownReady || g.__agioPendingWork() > 0) await frame();
  await frame();
  await frame();
}

/** What reached the DOM from the model's hostile markdown (turn 2 of the scripted run). */
function markdownSafety() {
  const md = [...document.querySelectorAll('.markdown')];
  return {
    imgs: document.querySelectorAll('img').length,
    hrefs: md.flatMap((m) => [...m.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '')),
    imageAlt: md.some((m) => m.querySelector('.md-image')?.textContent === 'a tracking pixel'),
    commandLinkText: md.some((m) =>
      [...m.querySelectorAll('a:not([href])')].some((a) => a.textContent === 'a command link'),
    ),
    highlighted: md.some((m) => m.querySelector('pre code .hljs-keyword') !== null),
  };
}

(globalThis as { agioHarness?: unknown }).agioHarness = { posted, send, appendCurrent, markdownSafety };
if (scenario === 'bench') installBenchDriver();
window.addEventListener('securitypolicyviolation', (e) => {
  const g = globalThis as { __cspViolations?: string[] };
  g.__cspViolations ??= [];
  const list = g.__cspViolations;
  list.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile ?? ''}:${e.lineNumber ?? ''}`);
});
if (document.body) applyTheme(theme);
else document.addEventListener('DOMContentLoaded', () => applyTheme(theme));
