// The one typed view of Agio's settings (`agio.*`). Read when needed, never cached across changes.
import * as vscode from 'vscode';
import type { ApprovalMode, Limits, Provider } from '../../server/src/protocol/events.ts';
import type { ContextSettings } from '../../server/src/protocol/methods.ts';
import { lowestBudget, strictestApproval, type SettingLayers } from './setting-layers.ts';

/** A model-table entry from `agio.models`, by model-name prefix. */
export interface ModelOverride {
  input?: number;
  output?: number;
  cachedInput?: number;
  contextWindow?: number;
  maxOutput?: number;
}

export interface AgioConfig {
  provider: Provider;
  model: string;
  baseUrl: string | undefined;
  approval: ApprovalMode;
  limits: Limits;
  /** Event log path; empty means the per-user default shared with the CLI. */
  storePath: string | undefined;
  /** Extra price table entries, merged over the built-in one. */
  prices: Record<string, { input: number; output: number; cachedInput?: number }>;
  /** How the conversation is kept inside the window (only what the user set: the server has defaults). */
  context: ContextSettings;
  /** Model-table overrides (window, output cap, prices), by model-name prefix. */
  models: Record<string, ModelOverride>;
  /** The base URL came from the workspace's settings, not the user's: the key is not sent to it. */
  baseUrlFromWorkspace: boolean;
}

export const DEFAULT_MODEL: Record<Provider, string> = { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5' };

/** The user's own value (user settings, else the default) and the workspace's, if it set one. */
function layers<T>(c: vscode.WorkspaceConfiguration, key: string, fallback: T): SettingLayers<T> {
  const i = c.inspect<T>(key);
  return { user: i?.globalValue ?? i?.defaultValue ?? fallback, workspace: i?.workspaceFolderValue ?? i?.workspaceValue };
}

export function readConfig(): AgioConfig {
  const c = vscode.workspace.getConfiguration('agio');
  const provider = c.get<Provider>('provider', 'openai');
  const limits: Limits = {};
  const steps = lowestBudget(layers(c, 'maxSteps', 0));
  const time = lowestBudget(layers(c, 'maxTimeSeconds', 0));
  const tokens = lowestBudget(layers(c, 'maxTokens', 0));
  const cost = lowestBudget(layers(c, 'maxCostUsd', 0));
  const baseUrl = layers<string>(c, 'baseUrl', '');
  if (steps > 0) limits.maxSteps = steps;
  if (time > 0) limits.maxTimeMs = time * 1000;
  if (tokens > 0) limits.maxTokens = tokens;
  if (cost > 0) limits.maxCostUsd = cost;
  return {
    provider,
    model: c.get<string>('model', '') || DEFAULT_MODEL[provider],
    baseUrl: c.get<string>('baseUrl', '') || undefined,
    baseUrlFromWorkspace: !!baseUrl.workspace && baseUrl.workspace !== baseUrl.user,
    approval: strictestApproval(layers<ApprovalMode>(c, 'approval', 'ask')),
    limits,
    storePath: c.get<string>('storePath', '') || undefined,
    prices: c.get('prices', {}),
    context: contextSettings(c),
    models: modelOverrides(c.get<unknown>('models', {})),
  };
}

function contextSettings(c: vscode.WorkspaceConfiguration): ContextSettings {
  const out: ContextSettings = {};
  const window = c.get<number>('contextWindow', 0);
  const compactAt = c.get<number>('compactAt', 0.8);
  if (Number.isInteger(window) && window > 0) out.window = window;
  if (typeof compactAt === 'number' && compactAt >= 0.1 && compactAt <= 1) out.compactAt = compactAt;
  return out;
}

const MODEL_FIELDS = ['input', 'output', 'cachedInput', 'contextWindow', 'maxOutput'] as const;

/** Keeps the well-formed entries only: one typo in settings.json must not stop every run. */
function modelOverrides(raw: unknown): Record<string, ModelOverride> {
  const out: Record<string, ModelOverride> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [prefix, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    const m: ModelOverride = {};
    for (const f of MODEL_FIELDS) {
      const v = (entry as Record<string, unknown>)[f];
      const whole = f === 'contextWindow' || f === 'maxOutput';
      if (typeof v === 'number' && v >= 0 && (!whole || (Number.isInteger(v) && v > 0))) m[f] = v;
    }
    if (Object.keys(m).length > 0) out[prefix] = m;
  }
  return out;
}
