// The panel's entry point: wires the client's messages into the store and the store into Preact.
import './styles/main.css';
import { render } from 'preact';
import type { ToWebview } from '../../server/src/protocol/webview.ts';
import { App } from './app.tsx';
import { focusedRun, type Tab } from './state/panel.ts';
import { loadMarkdown } from './markdown-loader.ts';
import { dispatch, getPanel, initPanel, onPanelChange, pendingWork } from './store.ts';
import { post, savedUi } from './vscode-api.ts';

const TABS: readonly string[] = ['chat', 'events', 'metrics', 'history'];
const savedTab = savedUi().tab;
initPanel(savedTab !== undefined && TABS.includes(savedTab) ? (savedTab as Tab) : 'chat');

// The client's page has <div id="root">; any page without one gets a container of its own.
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
root.classList.add('agio-root');
const draw = () => render(<App panel={getPanel()} />, root);
onPanelChange(() => {
  askForMissedEvents();
  draw();
});

window.addEventListener('message', (e: MessageEvent) => {
  const msg = e.data as ToWebview | null;
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
  dispatch(msg);
});

const resyncAsked = new Set<string>();
/** A gap means the panel missed events: ask for the whole log once (the client answers with `reset`). */
function askForMissedEvents(): void {
  const run = focusedRun(getPanel());
  if (!run) return;
  if (!run.gap) {
    resyncAsked.delete(run.runId);
    return;
  }
  if (resyncAsked.has(run.runId)) return;
  resyncAsked.add(run.runId);
  // There is no dedicated message yet; openRun makes the client send the stored log as a reset.
  post({ type: 'openRun', runId: run.runId });
}

// Read by the benchmark and the harness only.
Object.assign(globalThis, { __agioPanel: getPanel, __agioPendingWork: pendingWork });

draw();
performance.mark('agio-first-render');
post({ type: 'ready' });
// The markdown renderer loads once the panel is on screen; a frame later at most if a run is waiting.
requestAnimationFrame(() => setTimeout(() => loadMarkdown(() => dispatch({ type: 'ui/markdownReady' }))));
