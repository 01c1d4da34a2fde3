// The panel: tabs, a status line, and the open tab's view.
import { ChatView, shortcutTarget, useApprovalShortcuts } from './chat/chat-view.tsx';
import { EventsView } from './events-view.tsx';
import { HistoryView } from './history-view.tsx';
import { MetricsView } from './metrics-view.tsx';
import { StatusLine } from './status-line.tsx';
import { focusedRun, isAnswerable, type PanelState, type Tab } from './state/panel.ts';
import { dispatch } from './store.ts';
import { saveUi } from './vscode-api.ts';

const TABS: ReadonlyArray<{ tab: Tab; label: string; icon: string }> = [
  { tab: 'chat', label: 'Chat', icon: 'comment-discussion' },
  { tab: 'events', label: 'Events', icon: 'list-tree' },
  { tab: 'metrics', label: 'Metrics', icon: 'graph' },
  { tab: 'history', label: 'History', icon: 'history' },
];

export function tabTitle(label: string, waiting: number): string {
  return waiting > 0 ? `${label} (${waiting} approval${waiting === 1 ? '' : 's'} waiting)` : label;
}

function selectTab(tab: Tab): void {
  dispatch({ type: 'ui/tab', tab });
  saveUi({ tab });
}

export function App({ panel }: { panel: PanelState }) {
  const run = focusedRun(panel);
  const waiting = run ? run.pending.filter((c) => isAnswerable(panel, c)).length : 0;
  useApprovalShortcuts(run, shortcutTarget(panel, run));
  return (
    <div class="app">
      <div class="tabs" role="tablist" aria-label="Agio">
        {TABS.map(({ tab, label, icon }) => (
          // In a narrow sidebar the labels give way to icons (styles/base.css): title and aria-label keep the name.
          <button
            type="button"
            key={tab}
            role="tab"
            class={`tab ${panel.tab === tab ? 'active' : ''}`}
            aria-selected={panel.tab === tab}
            title={tabTitle(label, tab === 'chat' ? waiting : 0)}
            aria-label={label}
            onClick={() => selectTab(tab)}
          >
            <i class={`codicon codicon-${icon}`} aria-hidden="true" />
            <span class="tab-label">{label}</span>
            {tab === 'chat' && waiting > 0 && panel.tab !== 'chat' && (
              <span class="badge" title={`${waiting} approval(s) waiting`}>
                {waiting}
              </span>
            )}
          </button>
        ))}
      </div>
      <StatusLine panel={panel} run={run} />
      <div class="tab-body" role="tabpanel">
        {panel.tab === 'chat' && <ChatView panel={panel} run={run} />}
        {panel.tab === 'events' && <EventsView run={run} />}
        {panel.tab === 'metrics' && <MetricsView run={run} runs={panel.runs} />}
        {panel.tab === 'history' && <HistoryView runs={panel.runs} focusedRunId={panel.focusedRunId} />}
      </div>
    </div>
  );
}
