// The History tab: this workspace's past runs, newest first; opening one asks the client to replay it
// from the event log (it answers with `reset` and `focusRun`), shown in Chat exactly as it streamed.
import { useEffect } from 'preact/hooks';
import type { RunSummary } from './state/history.ts';
import { runRow } from './state/run-row.ts';
import { dispatch } from './store.ts';
import { post } from './vscode-api.ts';

const STATUS_ICON: Record<string, string> = {
  completed: 'pass-filled',
  failed: 'error',
  cancelled: 'debug-stop',
  limit: 'dashboard',
  running: 'loading codicon-modifier-spin',
  interrupted: 'debug-disconnect',
};

function open(runId: string): void {
  post({ type: 'openRun', runId });
  dispatch({ type: 'ui/tab', tab: 'chat' });
}

export function HistoryView({ runs, focusedRunId }: { runs: readonly RunSummary[]; focusedRunId: string | null }) {
  useEffect(() => post({ type: 'listRuns' }), []);
  return (
    <div class="history">
      <div class="toolbar">
        <span class="muted">
          {runs.length} run{runs.length === 1 ? '' : 's'}, newest first
        </span>
        <button
          type="button"
          class="icon-button"
          title="Refresh"
          aria-label="Refresh"
          onClick={() => post({ type: 'listRuns' })}
        >
          <i class="codicon codicon-refresh" aria-hidden="true" />
        </button>
      </div>
      {runs.length === 0 && <div class="empty-tab">No runs in this workspace yet.</div>}
      <ul class="run-list">
        {runs.map((r) => {
          const row = runRow(r);
          return (
            <li key={r.id}>
              <button
                type="button"
                class={`run-row ${r.id === focusedRunId ? 'current' : ''}`}
                onClick={() => open(r.id)}
                title={`Replay: ${row.title}`}
              >
                <i
                  class={`codicon codicon-${STATUS_ICON[r.status] ?? 'circle-large-outline'} status-${r.status}`}
                  title={r.status}
                  aria-hidden="true"
                />
                <span class="run-task">{r.task}</span>
                <span class="run-meta">{row.meta.join(' · ')}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
