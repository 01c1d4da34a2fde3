// The one table of Agio's commands. Titles live in package.json (`contributes.commands`).
import { costText } from './status-bar.ts';
import * as vscode from 'vscode';
import { ListRuns, RestoreRun, RunEvents } from '../../server/src/protocol/methods.ts';
import { promptApiKey } from './api-key.ts';
import type { Approvals } from './approvals.ts';
import { DEFAULT_MODEL, readConfig } from './config.ts';
import type { PanelBridge } from './panel-bridge.ts';
import type { ServerConnection } from './server-connection.ts';
import { VIEW_ID } from './panel-view.ts';
import { listEndpointModels } from './endpoint-models.ts';

export interface CommandDeps {
  bridge: PanelBridge;
  server: ServerConnection;
  approvals: Approvals;
  secrets: vscode.SecretStorage;
  post: PanelBridge['handle'];
  prefill: (text: string) => void;
  showTab: (tab: 'chat' | 'events' | 'metrics' | 'history') => void;
}

export function commandTable(d: CommandDeps): Record<string, (...args: never[]) => unknown> {
  const openPanel = () => vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  return {
    'agio.openPanel': openPanel,
    'agio.newTask': async () => {
      await openPanel();
      const task = await vscode.window.showInputBox({
        title: 'Agio: New Task',
        prompt: 'What should Agio do?',
        ignoreFocusOut: true,
      });
      if (task?.trim()) await d.bridge.startTask(task.trim());
    },
    'agio.askAboutSelection': async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty)
        return void vscode.window.showInformationMessage('Select some code first, then run Agio: Ask About Selection.');
      const sel = editor.selection;
      const file = vscode.workspace.asRelativePath(editor.document.uri);
      const code = editor.document.getText(sel);
      await openPanel();
      d.prefill(
        `About ${file} lines ${sel.start.line + 1}-${sel.end.line + 1}:\n\`\`\`${editor.document.languageId}\n${code}\n\`\`\`\n`,
      );
    },
    'agio.fixProblem': async (uri: string, line: number, message: string) => {
      await openPanel();
      const file = vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
      await d.bridge.startTask(`Fix this problem in ${file} at line ${line + 1}: ${message}`);
    },
    'agio.cancelRun': async () => {
      const runId = [...d.bridge.active.keys()].pop();
      if (runId) await d.post({ type: 'cancel', runId });
    },
    'agio.compactConversation': async () => {
      // The run in view if it is running, else the latest one running.
      const focused = d.bridge.focused;
      const runId = focused && d.bridge.active.has(focused) ? focused : [...d.bridge.active.keys()].pop();
      if (!runId)
        return void vscode.window.showInformationMessage(
          "No Agio run is running: compacting applies to a running run's conversation.",
        );
      await d.bridge.compact(runId);
    },
    'agio.approvePending': () => answerOldest(d.approvals, 'allow'),
    'agio.denyPending': () => answerOldest(d.approvals, 'deny'),
    'agio.setApiKey': async () => {
      if (await promptApiKey(d.secrets, readConfig().provider)) await d.bridge.onReady();
    },
    'agio.selectProvider': async (preset?: string) => selectProvider(preset).then(() => d.bridge.onReady()),
    'agio.showEventLog': async () => {
      await openPanel();
      d.showTab('events');
    },
    'agio.replayRun': async () => {
      const client = await d.server.get();
      const { runs } = ListRuns.result.parse(await client.sendRequest(ListRuns.method, { limit: 100 }));
      const pick = await vscode.window.showQuickPick(
        runs.map((r) => ({
          label: r.task.slice(0, 80),
          description: `${r.status} · ${costText(r)}`,
          detail: new Date(r.startedAt).toLocaleString(),
          runId: r.id,
        })),
        { title: 'Agio: Replay Run' },
      );
      if (!pick) return;
      await openPanel();
      await d.bridge.openRun(pick.runId);
    },
    'agio.exportRun': async (runId?: string) => {
      const id = runId ?? d.bridge.focused;
      if (!id) return void vscode.window.showInformationMessage('No run to export yet.');
      const client = await d.server.get();
      const { events } = RunEvents.result.parse(await client.sendRequest(RunEvents.method, { runId: id }));
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(`agio-${id}.jsonl`),
        filters: { 'JSON lines': ['jsonl'] },
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, Buffer.from(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`));
    },
    'agio.restartServer': () => d.server.restart(),
    'agio.restoreCheckpoint': async (runId?: string, step?: number) =>
      restoreCheckpoint(d, runId ?? d.bridge.focused ?? undefined, step),
  };
}

/** Shows what restoring would change, in a modal, and restores only when the user confirms. */
async function restoreCheckpoint(d: CommandDeps, runId: string | undefined, step: number | undefined): Promise<void> {
  if (!runId)
    return void vscode.window.showInformationMessage('Open a run first, then restore one of its checkpoints.');
  const client = await d.server.get();
  const ask = async (apply: boolean, toStep?: number) =>
    RestoreRun.result.parse(
      await client.sendRequest(RestoreRun.method, { runId, apply, ...(toStep ? { toStep } : {}) }),
    );
  try {
    let plan = await ask(false, step);
    if (step === undefined) {
      const pick = await vscode.window.showQuickPick(
        plan.steps.map((s) => ({
          label: `Before step ${s.step}`,
          description: `${s.tool} ${s.summary}`,
          step: s.step,
        })),
        { title: 'Agio: Restore the workspace to…' },
      );
      if (!pick) return;
      plan = await ask(false, pick.step);
    }
    if (plan.changes.length === 0)
      return void vscode.window.showInformationMessage(
        `The workspace already matches step ${plan.toStep}: nothing to restore.`,
      );
    const lines = [
      ...plan.changes.map((c) => `${c.action === 'delete' ? 'delete (created by the run)' : c.action}: ${c.path}`),
      ...plan.kept.map((k) => `keep: ${k.path} — ${k.why}`),
    ];
    const shown = lines.length > 20 ? [...lines.slice(0, 20), `…and ${lines.length - 20} more`] : lines;
    const choice = await vscode.window.showWarningMessage(
      `Restore ${plan.changes.length} file(s) to how they were before step ${plan.toStep}?`,
      { modal: true, detail: shown.join('\n') },
      'Restore',
    );
    if (choice !== 'Restore') return;
    const done = await ask(true, plan.toStep);
    const failed = done.failed ?? [];
    if (failed.length > 0)
      void vscode.window.showErrorMessage(
        `Agio could not restore ${failed.map((f) => `${f.path} (${f.error})`).join(', ')}`,
      );
    else
      void vscode.window.showInformationMessage(
        `Restored ${done.changes.length} file(s) to before step ${done.toStep}.`,
      );
  } catch (err) {
    void vscode.window.showErrorMessage(`Agio: ${(err as Error).message}`);
  }
}

function answerOldest(approvals: Approvals, decision: 'allow' | 'deny'): void {
  const q = approvals.oldest();
  if (!q) return void vscode.window.showInformationMessage('No Agio approval is waiting.');
  approvals.answer(q.callId, { decision });
}

async function selectProvider(preset?: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('agio');
  const choice =
    preset === 'local'
      ? 'local'
      : (
          await vscode.window.showQuickPick(
            [
              { label: 'OpenAI', value: 'openai' },
              { label: 'Anthropic', value: 'anthropic' },
              { label: 'Local OpenAI-compatible endpoint (Ollama, LM Studio, vLLM)', value: 'local' },
            ],
            { title: 'Agio: Select Provider and Model' },
          )
        )?.value;
  if (!choice) return;
  const target = vscode.ConfigurationTarget.Global;
  let served: string[] | undefined;
  if (choice === 'local') {
    // The endpoint in use, if it is one; Ollama's address only as a first guess.
    const current = readConfig().baseUrl;
    const baseUrl = await vscode.window.showInputBox({
      title: 'Agio: Local endpoint (OpenAI-compatible)',
      prompt:
        'Ollama: http://127.0.0.1:11434/v1 · LM Studio: http://127.0.0.1:1234/v1 · vLLM: http://127.0.0.1:8000/v1',
      value: current ?? 'http://127.0.0.1:11434/v1',
      ignoreFocusOut: true,
      validateInput: (v) =>
        /^https?:\/\/\S+$/.test(v.trim())
          ? undefined
          : 'An http:// or https:// address, e.g. http://127.0.0.1:11434/v1',
    });
    if (!baseUrl) return;
    await config.update('provider', 'openai', target);
    await config.update('baseUrl', baseUrl.trim(), target);
    served = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Agio: asking ${baseUrl.trim()} for its models…` },
      () => listEndpointModels(baseUrl.trim()),
    );
  } else {
    await config.update('provider', choice, target);
    await config.update('baseUrl', undefined, target);
  }
  const provider = choice === 'anthropic' ? 'anthropic' : 'openai';
  const model =
    served && served.length > 0
      ? await pickServedModel(served, readConfig().model)
      : await vscode.window.showInputBox({
          title: 'Agio: Model',
          value: choice === 'local' ? '' : readConfig().model || DEFAULT_MODEL[provider],
          ignoreFocusOut: true,
          prompt:
            choice === 'local'
              ? 'The endpoint did not list its models: type the name it serves (e.g. qwen2.5-coder).'
              : undefined,
        });
  if (model) await config.update('model', model, target);
}

/** One of the models the endpoint serves (the current one first), or a name typed by hand. */
async function pickServedModel(served: string[], current: string): Promise<string | undefined> {
  const other = 'Another model…';
  const items = [...served.filter((m) => m === current), ...served.filter((m) => m !== current)].map((m) => ({
    label: m,
    description: m === current ? 'current' : undefined,
  }));
  const pick = await vscode.window.showQuickPick([...items, { label: other, description: 'type its name' }], {
    title: 'Agio: Model served by the endpoint',
    ignoreFocusOut: true,
  });
  if (pick?.label !== other) return pick?.label;
  return vscode.window.showInputBox({ title: 'Agio: Model', ignoreFocusOut: true });
}
