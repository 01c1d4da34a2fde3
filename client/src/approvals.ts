// Approvals asked by the server (`agio/approval/request`). Each waits here until the user answers in
// the panel or through a command; closing the panel does not drop it, and nothing is ever approved
// by default. For writes, a diff editor opens beside the panel without taking focus.
import * as vscode from 'vscode';
import type { ApprovalAnswer, ApprovalQuestion } from '../../server/src/protocol/approval.ts';

export const PROPOSED_SCHEME = 'agio-proposed';
/** Closes an answered write's diff even if its result never arrives (a dead server, a denial). */
const SETTLE_FALLBACK_MS = 3000;

interface Pending {
  question: ApprovalQuestion;
  resolve: (a: ApprovalAnswer) => void;
}

export class Approvals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly pending = new Map<string, Pending>();
  private readonly proposed = new Map<string, string>();
  /** Answered writes whose diff editor is still open, until their result arrives. */
  private readonly closing = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<string[]>();
  /** Fires with the call ids still waiting, whenever that set changes. */
  readonly onChanged = this.changed.event;
  private readonly docChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.docChanged.event;

  /** Called for each server request; resolves when the user decides (or the request is cancelled). */
  ask(question: ApprovalQuestion, token: vscode.CancellationToken): Promise<ApprovalAnswer> {
    return new Promise((resolve) => {
      const finish = (a: ApprovalAnswer) => {
        if (!this.pending.delete(question.callId)) return;
        this.proposed.delete(question.callId);
        this.changed.fire(this.waiting());
        resolve(a);
        // The diff closes once the call is over (`settled`), not now: closing an editor keeps the
        // workbench busy for ~100 ms, the very moment the approved edit is being applied and saved.
        if (question.proposed)
          this.closing.set(
            question.callId,
            setTimeout(() => this.settled(question.callId), SETTLE_FALLBACK_MS),
          );
      };
      this.pending.set(question.callId, { question, resolve: finish });
      token.onCancellationRequested(() =>
        finish({ decision: 'deny', feedback: 'the run was stopped before an answer' }),
      );
      this.changed.fire(this.waiting());
      if (question.proposed) void this.showDiff(question);
    });
  }

  /** The call's result is in (or it never came): its diff editor has nothing more to show. */
  settled(callId: string): void {
    const timer = this.closing.get(callId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.closing.delete(callId);
    void this.closeDiff(callId);
  }

  answer(callId: string, answer: ApprovalAnswer): boolean {
    const p = this.pending.get(callId);
    if (!p) return false;
    p.resolve(answer);
    return true;
  }

  waiting(): string[] {
    return [...this.pending.keys()];
  }

  /** The oldest approval still waiting, for the Approve / Deny Pending commands. */
  oldest(): ApprovalQuestion | undefined {
    return this.pending.values().next().value?.question;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposed.get(new URLSearchParams(uri.query).get('call') ?? '') ?? '';
  }

  /** Opens the diff for a pending write again (the panel's "show diff"). */
  async showDiffFor(callId: string): Promise<void> {
    const p = this.pending.get(callId);
    if (p?.question.proposed) await this.showDiff(p.question);
  }

  private async showDiff(q: ApprovalQuestion): Promise<void> {
    const proposed = q.proposed!;
    this.proposed.set(q.callId, proposed.content);
    const file = vscode.Uri.file(proposed.path);
    const right = vscode.Uri.from({
      scheme: PROPOSED_SCHEME,
      path: proposed.path,
      query: `call=${encodeURIComponent(q.callId)}`,
    });
    this.docChanged.fire(right);
    let left = file;
    try {
      await vscode.workspace.fs.stat(file);
    } catch {
      left = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: proposed.path, query: 'call=' }); // a new file: empty left side
    }
    const title = `${vscode.workspace.asRelativePath(file)} ↔ proposed by Agio`;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, {
      preview: true,
      preserveFocus: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }

  /** Once a question is answered its diff has nothing more to show. */
  private async closeDiff(callId: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter(
        (t) =>
          t.input instanceof vscode.TabInputTextDiff &&
          t.input.modified.scheme === PROPOSED_SCHEME &&
          new URLSearchParams(t.input.modified.query).get('call') === callId,
      );
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    // Unanswered on purpose: the editor closing is not the user's answer. The server records the run
    // as interrupted, and resuming it asks again.
    this.pending.clear();
    for (const t of this.closing.values()) clearTimeout(t);
    this.closing.clear();
    this.changed.dispose();
    this.docChanged.dispose();
  }
}
