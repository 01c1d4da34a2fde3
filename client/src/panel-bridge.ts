// Relays between the panel and the server. Events go to the panel as increments (batched per frame,
// with the seq they start at), never as the whole transcript again; a panel that (re)opens gets the
// focused run from the event log in one `reset`.
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { z } from 'zod';
import type { AgioEvent } from '../../server/src/protocol/events.ts';
import { emptyProjection, project, type RunProjection } from '../../server/src/protocol/projection.ts';
import {
  CancelRun,
  CompactRun,
  ListRuns,
  ResumeRun,
  RunEvents,
  StartRun,
  type Attachment,
  type RunSummary,
} from '../../server/src/protocol/methods.ts';
import type { FromWebview, PanelConfig, ToWebview } from '../../server/src/protocol/webview.ts';
import type { Approvals } from './approvals.ts';
import { readConfig } from './config.ts';
import type { EditorContext } from './editor-context.ts';
import type { FileSearch } from './file-search.ts';
import { openContext } from './open-context.ts';
import { needsApiKey } from '../../server/src/protocol/local-endpoint.ts';
import { explainMissingKey, explainWorkspaceEndpoint, showRunFailure } from './run-errors.ts';
import type { ServerConnection, ServerState } from './server-connection.ts';

const FLUSH_MS = 16;

export class PanelBridge {
  private focusedRun: string | null = null;
  private readonly pending = new Map<string, AgioEvent[]>(); // not yet posted, per run
  private flushTimer: NodeJS.Timeout | undefined;
  private serverState: { state: ServerState; message?: string } = { state: 'stopped' };
  private lastSandbox = 'unknown';
  /** Runs currently in flight, projected from their events since this window saw them start (or resume). */
  readonly active = new Map<string, RunProjection>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onActiveChanged = this.changed.event;

  private readonly post: (msg: ToWebview) => void;
  private readonly server: ServerConnection;
  private readonly approvals: Approvals;
  private readonly apiKey: () => Promise<string | undefined>;
  private readonly files: FileSearch;
  private readonly editor: EditorContext;

  constructor(
    post: (msg: ToWebview) => void,
    server: ServerConnection,
    approvals: Approvals,
    apiKey: () => Promise<string | undefined>,
    context: { files: FileSearch; editor: EditorContext; showLog: () => void },
  ) {
    this.post = post;
    this.server = server;
    this.approvals = approvals;
    this.apiKey = apiKey;
    this.files = context.files;
    this.editor = context.editor;
    this.showLog = context.showLog;
  }
  private readonly showLog: () => void;
  /** Whether this window has looked for an interrupted run to reopen (once, on the first open). */
  private reopened = false;

  /** Every `agio/event` notification from the server. */
  onEvent(e: AgioEvent): void {
    this.track(e);
    if (e.type === 'tool_result') this.approvals.settled(e.callId);
    if (e.type === 'run_start' && this.focusedRun === null) this.focus(e.runId);
    const queue = this.pending.get(e.runId) ?? [];
    queue.push(e);
    this.pending.set(e.runId, queue);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    for (const [runId, events] of this.pending) {
      if (events.length > 0) this.post({ type: 'events', runId, fromSeq: events[0]!.seq, events });
    }
    this.pending.clear();
  }

  private track(e: AgioEvent): void {
    // A resumed run is counted from its resume on: the status bar shows what this session spends.
    if (e.type === 'run_start' || e.type === 'run_resumed') this.active.set(e.runId, emptyProjection(e.runId));
    if (e.type === 'run_start' && e.sandbox) this.lastSandbox = e.sandbox;
    const run = this.active.get(e.runId);
    if (!run) return;
    if (e.type === 'run_end') this.active.delete(e.runId);
    else this.active.set(e.runId, project(run, e));
    this.changed.fire();
  }

  setServerState(s: { state: ServerState; message?: string }): void {
    this.serverState = s;
    this.post({ type: 'serverState', ...s });
  }

  async focus(runId: string | null): Promise<void> {
    this.focusedRun = runId;
    this.post({ type: 'focusRun', runId });
  }

  /** The panel (re)opened: config, state, history, the focused run from the log, pending approvals. */
  async onReady(): Promise<void> {
    this.post({ type: 'config', config: await this.config() });
    this.post({ type: 'serverState', ...this.serverState });
    this.post({ type: 'pendingApprovals', callIds: this.approvals.waiting() });
    const runs = await this.sendRuns();
    if (this.focusedRun) await this.openRun(this.focusedRun);
    else if (!this.reopened) {
      // A window reloaded (or closed) while its run was working, or waiting for an approval: the run
      // was interrupted with it. Open it in the chat again, where its banner offers Resume.
      const latest = runs[0];
      if (latest?.status === 'interrupted') await this.openRun(latest.id);
    }
    this.reopened = true;
  }

  async config(): Promise<PanelConfig> {
    const c = readConfig();
    return {
      provider: c.provider,
      model: c.model,
      approval: c.approval,
      hasKey: (await this.apiKey()) !== undefined,
      ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
      sandbox: this.lastSandbox,
      trusted: vscode.workspace.isTrusted,
      ...(c.unsandboxedFullAuto ? { unsandboxedFullAuto: true } : {}),
    };
  }

  async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'startTask':
        return this.startTask(msg.task, msg.attachments ?? []);
      case 'searchFiles':
        return this.searchFiles(msg.requestId, msg.query);
      case 'openContext':
        return openContext(msg.kind, msg.target);
      case 'compact':
        return this.compact(msg.runId);
      case 'cancel':
        await (await this.server.get()).sendRequest(CancelRun.method, { runId: msg.runId });
        return;
      case 'approve':
        this.approvals.answer(
          msg.callId,
          msg.feedback ? { decision: msg.decision, feedback: msg.feedback } : { decision: msg.decision },
        );
        return;
      case 'openRun':
        return this.openRun(msg.runId);
      case 'resumeRun':
        return this.resumeRun(msg.runId);
      case 'listRuns':
        return void (await this.sendRuns());
      case 'restoreCheckpoint':
        return void vscode.commands.executeCommand('agio.restoreCheckpoint', msg.runId, msg.step);
      case 'exportRun':
        return void vscode.commands.executeCommand('agio.exportRun', msg.runId);
      case 'openDiff':
        return this.approvals.showDiffFor(msg.callId);
      case 'setKey':
        return void vscode.commands.executeCommand('agio.setApiKey');
      case 'useLocalEndpoint':
        return void vscode.commands.executeCommand('agio.selectProvider', 'local');
      case 'restartServer':
        return void vscode.commands.executeCommand('agio.restartServer');
      case 'manageTrust':
        return void vscode.commands.executeCommand('workbench.trust.manage');
      case 'openSettings':
        return void vscode.commands.executeCommand('workbench.action.openSettings', msg.query);
      case 'ready':
        return;
    }
  }

  private async searchFiles(requestId: number, query: string): Promise<void> {
    try {
      this.post({ type: 'fileResults', requestId, items: await this.files.search(query) });
    } catch {
      // No workspace folder, or the search failed: an empty answer closes the "Searching…" state.
      this.post({ type: 'fileResults', requestId, items: [] });
    }
  }

  /** /compact and Agio: Compact Conversation. The server says why when it cannot (e.g. the run ended). */
  async compact(runId: string): Promise<void> {
    try {
      const r = CompactRun.result.parse(await (await this.server.get()).sendRequest(CompactRun.method, { runId }));
      if (!r.queued)
        void vscode.window.showInformationMessage(
          `Agio did not compact the conversation: ${r.reason ?? 'the run cannot be compacted now'}.`,
        );
    } catch (err) {
      void vscode.window.showErrorMessage(`Agio could not compact the conversation: ${(err as Error).message}`);
    }
  }

  async startTask(task: string, mentions: readonly Attachment[] = []): Promise<void> {
    const c = readConfig();
    this.reportSettings(c.problems);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage('Agio needs a folder open: File → Open Folder, then ask again.');
      return;
    }
    // Read now, at send time: the selection and the terminal are what the user sees as they send.
    const attachments = this.editor.fill(mentions);
    // A key goes only to an endpoint the user chose: a workspace's settings must not redirect it.
    const key = c.baseUrlFromWorkspace ? undefined : await this.apiKey();
    if (c.baseUrlFromWorkspace && needsApiKey(c.provider, c.baseUrl, false))
      return explainWorkspaceEndpoint(c.baseUrl ?? '');
    if (needsApiKey(c.provider, c.baseUrl, key !== undefined)) return explainMissingKey(c.provider);
    try {
      const client = await this.server.get();
      const { runId } = StartRun.result.parse(
        await client.sendRequest(StartRun.method, {
          task,
          cwd: folder.uri.fsPath,
          ...c.request,
          trusted: vscode.workspace.isTrusted,
          ...(attachments.length > 0 ? { attachments } : {}),
          ...(key ? { apiKey: key } : {}),
        } satisfies z.input<typeof StartRun.params>),
      );
      await this.focus(runId);
    } catch (err) {
      void showRunFailure('start the task', err, this.showLog);
    }
  }

  async resumeRun(runId: string): Promise<void> {
    const key = await this.apiKey();
    try {
      const client = await this.server.get();
      await client.sendRequest(ResumeRun.method, {
        runId,
        trusted: vscode.workspace.isTrusted,
        ...(readConfig().unsandboxedFullAuto ? { unsandboxedFullAuto: true } : {}),
        ...(key ? { apiKey: key } : {}),
      });
      await this.focus(runId);
    } catch (err) {
      void showRunFailure('resume the run', err, this.showLog);
    }
  }

  async openRun(runId: string): Promise<void> {
    const client = await this.server.get();
    const { events } = RunEvents.result.parse(await client.sendRequest(RunEvents.method, { runId }));
    this.pending.delete(runId); // the reset includes them
    this.post({ type: 'reset', runId, events });
    await this.focus(runId);
  }

  /** Malformed settings are left out of the run and said once each (a typo never stops a run). */
  private readonly reported = new Set<string>();
  private reportSettings(problems: readonly string[]): void {
    const fresh = problems.filter((p) => !this.reported.has(p));
    if (fresh.length === 0) return;
    for (const p of fresh) this.reported.add(p);
    void vscode.window
      .showWarningMessage(
        `Agio ignored ${fresh.length === 1 ? 'a setting' : `${fresh.length} settings`} it could not read: ${fresh.join('; ')}`,
        'Open Settings',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', '@ext:agio.agio');
      });
  }

  /** Posts this workspace's runs (newest first) to the panel, and returns them. */
  async sendRuns(): Promise<RunSummary[]> {
    const client = await this.server.get();
    const { runs } = ListRuns.result.parse(await client.sendRequest(ListRuns.method, { limit: 200 }));
    // The server records the workspace by its real path.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const root = folder ? realpathSync(folder) : undefined;
    const mine = root ? runs.filter((r) => r.cwd === root) : runs;
    this.post({ type: 'runs', runs: mine });
    return mine;
  }

  get focused(): string | null {
    return this.focusedRun;
  }
}
