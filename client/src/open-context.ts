// Opens what a context chip points at. Paths come from the run's log, so they are resolved inside the
// workspace and nothing outside it is opened; a URL opens in the browser only when it is http(s).
import * as path from 'node:path';
import * as vscode from 'vscode';

/** `src/app.ts:10-20` → the path and the 1-based line range (a selection chip carries its range). */
export function splitRange(target: string): { path: string; start?: number; end?: number } {
  const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(target);
  if (!m) return { path: target };
  const start = Number(m[2]);
  return { path: m[1]!, start, end: m[3] ? Number(m[3]) : start };
}

function inWorkspace(rel: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || path.isAbsolute(rel)) return undefined;
  const abs = path.resolve(folder.uri.fsPath, rel);
  const inside = path.relative(folder.uri.fsPath, abs);
  return inside.startsWith('..') || path.isAbsolute(inside) ? undefined : vscode.Uri.file(abs);
}

export async function openContext(kind: string, target: string | undefined): Promise<void> {
  switch (kind) {
    case 'problems':
      return void (await vscode.commands.executeCommand('workbench.actions.view.problems'));
    case 'git-changes':
      return void (await vscode.commands.executeCommand('workbench.view.scm'));
    case 'terminal': {
      const t = vscode.window.activeTerminal;
      if (t) t.show(false);
      else await vscode.commands.executeCommand('workbench.action.terminal.focus');
      return;
    }
    case 'url': {
      if (!target || !/^https?:\/\//i.test(target)) return;
      await vscode.env.openExternal(vscode.Uri.parse(target));
      return;
    }
  }
  if (!target) return;
  const { path: rel, start, end } = kind === 'selection' ? splitRange(target) : { path: target };
  const uri = inWorkspace(rel);
  if (!uri) return void vscode.window.showWarningMessage(`Agio: ${rel} is not inside the workspace.`);
  try {
    if (kind === 'folder') return void (await vscode.commands.executeCommand('revealInExplorer', uri));
    const selection =
      start !== undefined ? new vscode.Range(start - 1, 0, (end ?? start) - 1, Number.MAX_SAFE_INTEGER) : undefined;
    await vscode.window.showTextDocument(uri, { preview: true, ...(selection ? { selection } : {}) });
  } catch (err) {
    void vscode.window.showWarningMessage(`Agio could not open ${rel}: ${(err as Error).message}`);
  }
}
