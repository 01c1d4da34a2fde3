// Wiring only. Activation registers the panel, commands and status bar; the agent server starts on
// first use, never at start-up.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ApprovalRequest, EventNotification, SaveDocument } from '../../server/src/protocol/methods.ts';
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import { readApiKey } from './api-key.ts';
import { Approvals, PROPOSED_SCHEME } from './approvals.ts';
import { commandTable } from './commands.ts';
import { readConfig } from './config.ts';
import { PanelBridge } from './panel-bridge.ts';
import { PanelView, VIEW_ID } from './panel-view.ts';
import { ServerConnection } from './server-connection.ts';
import { createStatusBar } from './status-bar.ts';
import { EditorContext } from './editor-context.ts';
import { FileSearch } from './file-search.ts';
import { TerminalOutput } from './terminal-output.ts';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Agio', { log: true });
  const approvals = new Approvals();
  let bridge: PanelBridge | undefined;
  const wire = (client: LanguageClient) => {
    client.onNotification(EventNotification.method, (e: AgioEvent) => bridge?.onEvent(e));
    client.onRequest(ApprovalRequest.method, (raw: unknown, token) => {
      const q = ApprovalRequest.params.safeParse(raw);
      return q.success
        ? approvals.ask(q.data, token)
        : { decision: 'deny' as const, feedback: 'malformed approval request' };
    });
    client.onRequest(SaveDocument.method, async ({ uri }: { uri: string }) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(uri).toString());
      return { saved: doc ? await doc.save() : false };
    });
  };
  const server = new ServerConnection(context.extensionPath, output, wire, () => readConfig().storePath);
  const view = new PanelView(
    context.extensionUri,
    { onMessage: (m) => void bridge?.handle(m), onReady: () => void bridge?.onReady() },
    output,
  );
  // Followed from activation: a command's output can only be read from its start (@terminal).
  const terminal = new TerminalOutput();
  const editor = new EditorContext(terminal);
  const files = new FileSearch();
  bridge = new PanelBridge(
    (m) => view.post(m),
    server,
    approvals,
    () => readApiKey(context.secrets, readConfig().provider),
    { files, editor, showLog: () => output.show(true) },
  );
  const b = bridge;
  const commands = commandTable({
    bridge: b,
    server,
    approvals,
    secrets: context.secrets,
    post: (m) => b.handle(m),
    prefill: (text) => view.post({ type: 'prefill', text }),
    showTab: (tab) => view.post({ type: 'showTab', tab }),
  });
  let runningShown = false;
  context.subscriptions.push(
    output,
    approvals,
    server,
    terminal,
    editor,
    files,
    vscode.window.registerWebviewViewProvider(VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, approvals),
    server.onState((s) => b.setServerState(s)),
    approvals.onChanged((callIds) => view.post({ type: 'pendingApprovals', callIds })),
    createStatusBar(b),
    // Trusting the folder lifts the panel's Restricted Mode banner at once.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void b.onReady()),
    // The view title's Stop shows only while a run is in flight. Set when that changes, not on every
    // event (onActiveChanged fires for each one).
    b.onActiveChanged(() => {
      const running = b.active.size > 0;
      if (running === runningShown) return;
      runningShown = running;
      void vscode.commands.executeCommand('setContext', 'agio.running', running);
    }),
    ...Object.entries(commands).map(([id, fn]) =>
      vscode.commands.registerCommand(id, fn as (...a: unknown[]) => unknown),
    ),
  );
}

export function deactivate(): void {
  // Disposables registered above stop the server.
}
