// The one typed view of Agio's settings (`agio.*`). Read when needed, never cached across changes.
// What a run takes from them is parsed with the protocol's run-request schema (settings-request.ts);
// what a workspace's settings may change is limited by setting-layers.ts.
import * as vscode from 'vscode';
import type { ApprovalMode, Provider } from '../../server/src/protocol/events.ts';
import { lowestBudget, strictestApproval, type SettingLayers, userOnlySwitch } from './setting-layers.ts';
import { settingsRequest, type SettingsRequest } from './settings-request.ts';

export interface AgioConfig {
  provider: Provider;
  model: string;
  baseUrl: string | undefined;
  approval: ApprovalMode;
  /** What every run request takes from the settings. */
  request: SettingsRequest;
  /** Settings that were malformed and left out, said once to the user. */
  problems: string[];
  /** Event log path; empty means the per-user default shared with the CLI. */
  storePath: string | undefined;
  /** The base URL came from the workspace's settings, not the user's: the key is not sent to it. */
  baseUrlFromWorkspace: boolean;
  /** The user's own agio.allowUnsandboxedFullAuto (a workspace's value never counts). */
  unsandboxedFullAuto: boolean;
}

export const DEFAULT_MODEL: Record<Provider, string> = { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5' };

/** The user's own value (user settings, else the default) and the workspace's, if it set one. */
function layers<T>(c: vscode.WorkspaceConfiguration, key: string, fallback: T): SettingLayers<T> {
  const i = c.inspect<T>(key);
  return {
    user: i?.globalValue ?? i?.defaultValue ?? fallback,
    workspace: i?.workspaceFolderValue ?? i?.workspaceValue,
  };
}

export function readConfig(): AgioConfig {
  const c = vscode.workspace.getConfiguration('agio');
  const baseUrl = layers<string>(c, 'baseUrl', '');
  const { request, problems } = settingsRequest({
    provider: c.get('provider'),
    model: c.get('model'),
    baseUrl: c.get('baseUrl'),
    approval: strictestApproval(layers<ApprovalMode>(c, 'approval', 'ask')),
    maxSteps: lowestBudget(layers(c, 'maxSteps', 0)),
    maxTimeSeconds: lowestBudget(layers(c, 'maxTimeSeconds', 0)),
    maxTokens: lowestBudget(layers(c, 'maxTokens', 0)),
    maxCostUsd: lowestBudget(layers(c, 'maxCostUsd', 0)),
    prices: c.get('prices'),
    models: c.get('models'),
    contextWindow: c.get('contextWindow'),
    compactAt: c.get('compactAt'),
    allowUnsandboxedFullAuto: userOnlySwitch(layers(c, 'allowUnsandboxedFullAuto', false)),
  });
  const provider = request.provider ?? 'openai';
  return {
    provider,
    model: request.model ?? DEFAULT_MODEL[provider],
    baseUrl: request.baseUrl,
    approval: request.approval ?? 'ask',
    request: { ...request, provider, model: request.model ?? DEFAULT_MODEL[provider] },
    problems,
    storePath: c.get<string>('storePath', '') || undefined,
    baseUrlFromWorkspace: !!baseUrl.workspace && baseUrl.workspace !== baseUrl.user,
    unsandboxedFullAuto: request.unsandboxedFullAuto === true,
  };
}
