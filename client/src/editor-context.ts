// Fills in the @-mentions only the editor can see before a task goes to the server: the selection,
// the workspace's problems, the terminal's last output. Files, folders, git changes and URLs go as
// they are (kind and target): the server reads those itself, URLs through its network policy.
import * as vscode from 'vscode';
import type { Attachment } from '../../server/src/protocol/methods.ts';
import type { TerminalOutput } from './terminal-output.ts';

/** Problems beyond these are counted, not listed: the model needs the first errors, not thousands. */
const MAX_PROBLEMS = 200;
const MAX_PROBLEM_CHARS = 20_000;
const MAX_SELECTION_CHARS = 50_000;
const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

export class EditorContext implements vscode.Disposable {
  /** The last text editor that had focus: a click into the panel leaves no active text editor in
   * some layouts, yet the user means the selection they just made. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly sub: vscode.Disposable;
  private readonly terminal: TerminalOutput;

  constructor(terminal: TerminalOutput) {
    this.terminal = terminal;
    this.sub = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e && e.document.uri.scheme !== 'output') this.lastEditor = e;
    });
  }

  fill(attachments: readonly Attachment[]): Attachment[] {
    return attachments.map((a) => {
      switch (a.kind) {
        case 'selection':
          return this.selection();
        case 'problems':
          return { kind: 'problems', label: '@problems', content: problems() };
        case 'terminal':
          return { kind: 'terminal', ...this.terminal.snapshot() };
        default:
          return a.target !== undefined ? { kind: a.kind, target: a.target } : { kind: a.kind };
      }
    });
  }

  private selection(): Attachment {
    const editor =
      vscode.window.activeTextEditor ?? (this.lastEditor && isVisible(this.lastEditor) ? this.lastEditor : undefined);
    if (!editor) return { kind: 'selection', label: '@selection (no editor open)', content: '' };
    const sel = editor.selection;
    const path = vscode.workspace.asRelativePath(editor.document.uri, false);
    if (sel.isEmpty)
      return { kind: 'selection', target: path, label: `@selection (nothing selected in ${path})`, content: '' };
    // A selection ending at column 0 of a line does not include that line.
    const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
    const startLine = sel.start.line + 1;
    const text = editor.document.getText(sel);
    return {
      kind: 'selection',
      target: path,
      label: `${path}:${startLine === endLine ? startLine : `${startLine}-${endLine}`}`,
      content:
        text.length > MAX_SELECTION_CHARS
          ? `${text.slice(0, MAX_SELECTION_CHARS)}\n[…selection cut at ${MAX_SELECTION_CHARS} characters]`
          : text,
    };
  }

  dispose(): void {
    this.sub.dispose();
  }
}

function isVisible(e: vscode.TextEditor): boolean {
  return vscode.window.visibleTextEditors.some((v) => v.document === e.document);
}

/** Every diagnostic in the workspace as `path:line:col severity message`, errors first, capped. */
function problems(): string {
  const rows: Array<{ severity: number; line: string }> = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (diagnostics.length === 0) continue;
    const path = vscode.workspace.asRelativePath(uri, false);
    for (const d of diagnostics) {
      const source = d.source
        ? ` [${d.source}${d.code !== undefined ? ` ${typeof d.code === 'object' ? d.code.value : d.code}` : ''}]`
        : '';
      const message = d.message.replace(/\s*\n\s*/g, ' ');
      rows.push({
        severity: d.severity,
        line: `${path}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity] ?? 'info'} ${message}${source}`,
      });
    }
  }
  if (rows.length === 0) return 'No problems are reported in the workspace.';
  rows.sort((a, b) => a.severity - b.severity);
  const out: string[] = [];
  let chars = 0;
  for (const r of rows) {
    if (out.length >= MAX_PROBLEMS || chars + r.line.length > MAX_PROBLEM_CHARS) break;
    out.push(r.line);
    chars += r.line.length + 1;
  }
  if (out.length < rows.length) out.push(`[…${rows.length - out.length} more problems not listed]`);
  return out.join('\n');
}
