// Idle / running (turn n) / waiting for approval, and the run's cost; a click opens the panel.
import * as vscode from 'vscode';
import { lastTurn, waitingForApproval } from '../../server/src/protocol/projection.ts';
import type { EventOf } from '../../server/src/protocol/events.ts';
import type { PanelBridge } from './panel-bridge.ts';

/** A run's cost so far; a model without a known price makes it unknown (or a lower bound). */
export function costText({ costUsd, unpricedCalls }: { costUsd: number; unpricedCalls?: number | undefined }): string {
  if (!unpricedCalls) return `$${costUsd.toFixed(4)}`;
  return costUsd > 0 ? `$${costUsd.toFixed(4)} + unknown` : 'cost unknown';
}

/** Said beside the run's state while it runs the workspace's own code unconfined, as the user opted in. */
export function unconfined(start: EventOf<'run_start'> | undefined): string {
  return start?.unsandboxedFullAuto && start.sandbox === 'none' && start.approval === 'full-auto'
    ? ' · $(unlock) unsandboxed full-auto'
    : '';
}

export function createStatusBar(bridge: PanelBridge): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('agio.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Agio';
  item.command = 'agio.openPanel';
  const update = () => {
    const runs = [...bridge.active.values()];
    const run = runs[runs.length - 1];
    if (!run) {
      item.text = '$(sparkle) Agio';
      item.tooltip = 'Agio: idle — click to open the panel';
    } else if (waitingForApproval(run)) {
      item.text = `$(bell-dot) Agio: approval needed · ${costText(run.totals)}${unconfined(run.start)}`;
      item.tooltip = 'Agio is waiting for your approval';
    } else {
      item.text = `$(sync~spin) Agio: turn ${lastTurn(run)?.turn ?? 0} · ${costText(run.totals)}${unconfined(run.start)}`;
      item.tooltip = 'Agio is running';
    }
    if (run && unconfined(run.start))
      item.tooltip += ", in unsandboxed full-auto: the workspace's own code (make, npm test, scripts) runs unasked";
  };
  update();
  item.show();
  const sub = bridge.onActiveChanged(update);
  return {
    dispose: () => {
      sub.dispose();
      item.dispose();
    },
  };
}
