// Everything the panel shows, as one reducer over the client's messages (ToWebview) and the panel's own
// UI actions. Runs are folded with foldEvents; nothing here touches the DOM, so it is unit-testable.
import type { AgioEvent } from '../../../server/src/protocol/events.ts';
import type { PanelConfig, ToWebview } from '../../../server/src/protocol/webview.ts';
import { emptyRunState, foldEvents } from './fold.ts';
import { newestFirst, type RunSummary } from './history.ts';
import type { RunState } from './types.ts';

export type Tab = Extract<ToWebview, { type: 'showTab' }>['tab'];
export type ServerState = Extract<ToWebview, { type: 'serverState' }>;

export type UiAction =
  | { type: 'ui/tab'; tab: Tab }
  /** The panel answered an approval; its buttons stay disabled until the decision event arrives. */
  | { type: 'ui/answered'; callId: string }
  /** startTask was posted; the status line says so until the client focuses the new run. */
  | { type: 'ui/starting' }
  /** The markdown renderer finished loading: rows drawn as plain text redraw. */
  | { type: 'ui/markdownReady' }
  /** The rest of a `reset` too long to fold in one go (the store splits it): folded like the reset. */
  | { type: 'ui/resetMore'; runId: string; events: readonly AgioEvent[] };

export type PanelAction = ToWebview | UiAction;

export interface PanelState {
  readonly config?: PanelConfig;
  readonly server: Omit<ServerState, 'type'>;
  readonly runs: readonly RunSummary[];
  readonly runStates: ReadonlyMap<string, RunState>;
  readonly focusedRunId: string | null;
  /** Approvals the client says are still answerable; undefined until it has said. */
  readonly clientPending?: ReadonlySet<string>;
  readonly answered: ReadonlySet<string>;
  readonly tab: Tab;
  /** Text a command asked to put in the input; `n` changes each time so the same text can come twice. */
  readonly prefill?: { readonly text: string; readonly n: number };
  /** The latest answer to the @file picker's query. */
  readonly fileResults?: {
    readonly requestId: number;
    readonly items: readonly { readonly path: string; readonly kind: 'file' | 'folder' }[];
  };
  readonly starting: boolean;
  readonly markdownReady: boolean;
}

/** Folded runs kept besides the focused and running ones: opening many past runs stays bounded. */
const KEEP_IDLE_RUNS = 3;

export function initialPanel(tab: Tab = 'chat'): PanelState {
  return {
    server: { state: 'starting' },
    runs: [],
    runStates: new Map(),
    focusedRunId: null,
    answered: new Set(),
    tab,
    starting: false,
    markdownReady: false,
  };
}

export function focusedRun(p: PanelState): RunState | undefined {
  return p.focusedRunId === null ? undefined : p.runStates.get(p.focusedRunId);
}

export function reducePanel(p: PanelState, a: PanelAction): PanelState {
  switch (a.type) {
    // A new config or server state also means a pending start either happened or will not.
    case 'config':
      return { ...p, config: a.config, starting: false };
    case 'serverState':
      return {
        ...p,
        server: a.message === undefined ? { state: a.state } : { state: a.state, message: a.message },
        starting: false,
      };
    case 'runs':
      return { ...p, runs: newestFirst(a.runs) };
    case 'focusRun':
      return { ...p, focusedRunId: a.runId, starting: false };
    case 'pendingApprovals':
      return { ...p, clientPending: new Set(a.callIds) };
    case 'fileResults':
      return { ...p, fileResults: { requestId: a.requestId, items: a.items } };
    case 'prefill':
      return { ...p, prefill: { text: a.text, n: (p.prefill?.n ?? 0) + 1 } };
    case 'showTab':
    case 'ui/tab':
      return { ...p, tab: a.tab };
    case 'ui/answered':
      return { ...p, answered: new Set(p.answered).add(a.callId) };
    case 'ui/starting':
      return { ...p, starting: true };
    case 'ui/markdownReady':
      return { ...p, markdownReady: true };
    case 'events': {
      const before = p.runStates.get(a.runId) ?? emptyRunState(a.runId);
      const after = appendEvents(before, a.fromSeq, a.events);
      return withRun(withLiveApprovals(p, before, after), a.runId, after);
    }
    case 'reset':
      return withRun(p, a.runId, foldEvents(emptyRunState(a.runId), a.events));
    case 'ui/resetMore':
      return withRun(p, a.runId, foldEvents(p.runStates.get(a.runId) ?? emptyRunState(a.runId), a.events));
  }
}

function appendEvents(run: RunState, fromSeq: number, events: readonly AgioEvent[]): RunState {
  // The message says where it starts even when its first events were already folded.
  if (!run.gap && fromSeq > run.lastSeq + 1) return { ...run, gap: { expected: run.lastSeq + 1, got: fromSeq } };
  return foldEvents(run, events);
}

/** An approval asked in a live increment is answerable even if the client's last list predates it;
 * approvals only found in a replayed log are answerable only if the client still lists them. */
function withLiveApprovals(p: PanelState, before: RunState, after: RunState): PanelState {
  if (!p.clientPending || after.pending === before.pending) return p;
  const added = after.pending.filter((c) => !before.pending.includes(c) && !p.clientPending!.has(c));
  return added.length === 0 ? p : { ...p, clientPending: new Set([...p.clientPending, ...added]) };
}

export function isAnswerable(p: PanelState, callId: string): boolean {
  return !p.answered.has(callId) && (!p.clientPending || p.clientPending.has(callId));
}

function withRun(p: PanelState, runId: string, run: RunState): PanelState {
  const runStates = new Map(p.runStates);
  runStates.delete(runId); // re-inserted last: Map order is least recently updated first
  runStates.set(runId, run);
  const focusedRunId = p.focusedRunId ?? runId;
  let idle = [...runStates.values()].filter((r) => r.runId !== focusedRunId && r.status !== 'running').length;
  for (const [id, r] of runStates) {
    if (idle <= KEEP_IDLE_RUNS) break;
    if (id !== focusedRunId && r.status !== 'running') {
      runStates.delete(id);
      idle--;
    }
  }
  // Answered approvals leave the optimistic set once their decision is folded in.
  let answered = p.answered;
  if (answered.size > 0) {
    const stillPending = new Set<string>();
    for (const r of runStates.values()) for (const c of r.pending) stillPending.add(c);
    answered = new Set([...answered].filter((c) => stillPending.has(c)));
  }
  return { ...p, runStates, focusedRunId, answered };
}
