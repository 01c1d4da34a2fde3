// One line that answers "what is Agio doing": the server, the sandbox (said plainly when there is
// none), the run's phase, how full the model's window is and its cost so far. It stays one row at any
// sidebar width: what each item may drop is decided in state/status-items.ts, the CSS drops it.
import type { PanelState } from './state/panel.ts';
import { serverIsDown, statusItems, type StatusItem } from './state/status-items.ts';
import type { RunState } from './state/types.ts';
import { post } from './vscode-api.ts';

export function StatusLine({ panel, run }: { panel: PanelState; run: RunState | undefined }) {
  const items = statusItems(panel, run);
  return (
    <div class="status-line" role="status">
      {items.map((item) => [
        <Item key={item.key} item={item} />,
        // Right beside what it fixes, so the narrowest line still shows it.
        item.key === 'server' && serverIsDown(panel) && (
          <button
            type="button"
            key="restart"
            class="link-button status-restart"
            onClick={() => post({ type: 'restartServer' })}
          >
            Restart server
          </button>
        ),
      ])}
    </div>
  );
}

function Item({ item }: { item: StatusItem }) {
  const cls = `status-item status-${item.key} ${item.tone} ${item.collapsible ? 'collapsible' : ''}`;
  // The restricted item says what is limited and opens VS Code's trust editor.
  if (item.key === 'restricted') {
    return (
      <button
        type="button"
        class={`${cls} status-button`}
        title={`${item.title}. Click to manage workspace trust.`}
        aria-label={item.title}
        onClick={() => post({ type: 'manageTrust' })}
      >
        <i class={`codicon codicon-${item.icon}`} aria-hidden="true" />
        <span class="status-text">{item.text}</span>
      </button>
    );
  }
  return (
    <span class={cls} role="group" title={item.title} aria-label={item.title}>
      {item.icon && <i class={`codicon codicon-${item.icon}`} aria-hidden="true" />}
      {item.fraction !== undefined && (
        <span class="meter-track" aria-hidden="true">
          <span class="meter-fill" style={{ width: `${Math.round(item.fraction * 100)}%` }} />
        </span>
      )}
      <span class="status-text">
        {item.text}
        {item.detail && <span class="status-detail">{item.detail}</span>}
      </span>
    </span>
  );
}
