// API keys live only in VS Code's SecretStorage; they reach the server inside the run request,
// never through argv, the environment of a child process, settings files or logs.
import * as vscode from 'vscode';
import type { Provider } from '../../server/src/protocol/events.ts';

const secretName = (provider: Provider) => `agio.apiKey.${provider}`;

export function readApiKey(secrets: vscode.SecretStorage, provider: Provider): Promise<string | undefined> {
  return Promise.resolve(secrets.get(secretName(provider))).then((k) => (k ? k : undefined));
}

export async function promptApiKey(secrets: vscode.SecretStorage, provider: Provider): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: `Agio: ${provider === 'openai' ? 'OpenAI' : 'Anthropic'} API key`,
    prompt: 'Stored in VS Code secret storage; sent only to the Agio server for model requests.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length < 8 ? 'That does not look like an API key.' : undefined),
  });
  if (!key) return false;
  await secrets.store(secretName(provider), key.trim());
  return true;
}
