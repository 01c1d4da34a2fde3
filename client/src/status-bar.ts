// Idle / running (turn n) / waiting for approval, and the run's cost; a click opens the panel.
import * as vscode from 'vscode';
import { lastTurn, waitingForApproval } from '../../server/src/protocol/projection.ts';
import type { PanelBridge } from './panel-bridge.ts';

/** A run's cost so far; a model without a known price makes it unknown (or a lower bound). */
export function costText({ costUsd, unpricedCalls }: { costUsd: number; unpricedCalls?: number | undefined }): string {
  if (!unpricedCalls) return `$${costUsd.toFixed(4)}`;
  return costUsd > 0 ? `$${costUsd.toFixed(4)} + unknown` : 'cost unknown';
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
      item.text = `$(bell-dot) Agio: approval needed · ${costText(run.totals)}`;
      item.tooltip = 'Agio is waiting for your approval';
    } else {
      item.text = `$(sync~spin) Agio: turn ${lastTurn(run)?.turn ?? 0} · ${costText(run.totals)}`;
      item.tooltip = 'Agio is running';
    }
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
