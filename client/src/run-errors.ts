// What the editor says when a run cannot start: in the editor's own terms (settings, commands,
// secret storage), with the buttons that fix it. The server's messages are written for the terminal
// (environment variables, flags), so they are never shown as they are.
import * as vscode from 'vscode';
import type { Provider } from '../../server/src/protocol/events.ts';
import { inEditorTerms, requestMessage } from './editor-terms.ts';

const PROVIDER_NAME: Record<Provider, string> = { openai: 'OpenAI', anthropic: 'Anthropic' };

/** Asks for what is missing before a run is started, instead of letting the server refuse it. */
export async function explainMissingKey(provider: Provider): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    `Agio needs an ${PROVIDER_NAME[provider]} API key to run a task, or a local model endpoint (Ollama, LM Studio, vLLM) that needs none.`,
    'Set API Key',
    'Use a Local Endpoint',
    'Open Settings',
  );
  await act(choice);
}

/** The workspace's settings point Agio at a remote endpoint: the user's key is not sent there. */
export async function explainWorkspaceEndpoint(baseUrl: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    `This folder's settings point Agio at ${baseUrl}. Agio does not send your API key to an endpoint chosen by a workspace: set agio.baseUrl in your User settings to use it.`,
    'Open User Settings',
  );
  if (choice) await vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: 'agio.baseUrl' });
}

/** A run that could not start or resume: what happened, in the editor's words, and what to do. */
export async function showRunFailure(
  what: 'start the task' | 'resume the run',
  err: unknown,
  showLog: () => void,
): Promise<void> {
  const message = inEditorTerms(requestMessage(err));
  const keyProblem = /API key/i.test(message);
  const actions = keyProblem ? ['Set API Key', 'Use a Local Endpoint', 'Open Settings'] : ['Open Settings', 'Show Log'];
  const choice = await vscode.window.showErrorMessage(`Agio could not ${what}: ${message}`, ...actions);
  if (choice === 'Show Log') showLog();
  else await act(choice);
}

async function act(choice: string | undefined): Promise<void> {
  if (choice === 'Set API Key') await vscode.commands.executeCommand('agio.setApiKey');
  else if (choice === 'Use a Local Endpoint') await vscode.commands.executeCommand('agio.selectProvider', 'local');
  else if (choice === 'Open Settings')
    await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:agio.agio');
}
