// The one typed view of Agio's settings (`agio.*`). Read when needed, never cached across changes.
import * as vscode from 'vscode';
import type { ApprovalMode, Limits, Provider } from '../../server/src/protocol/events.ts';
import type { ContextSettings } from '../../server/src/protocol/methods.ts';

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

const MODES: readonly ApprovalMode[] = ['read-only', 'ask', 'auto-edit', 'full-auto'];

/** The user's own value (user settings, else the default) and the workspace's, if it set one. */
function layers<T>(c: vscode.WorkspaceConfiguration, key: string, fallback: T): { user: T; workspace: T | undefined } {
  const i = c.inspect<T>(key);
  return { user: i?.globalValue ?? i?.defaultValue ?? fallback, workspace: i?.workspaceFolderValue ?? i?.workspaceValue };
}

/** A workspace's .vscode/settings.json may make Agio stricter than the user's settings, never looser
 * (a cloned repository must not switch itself to full-auto). */
function approvalMode(c: vscode.WorkspaceConfiguration): ApprovalMode {
  const { user, workspace } = layers<ApprovalMode>(c, 'approval', 'ask');
  const u = MODES.includes(user) ? user : 'ask';
  return workspace !== undefined && MODES.includes(workspace) && MODES.indexOf(workspace) < MODES.indexOf(u) ? workspace : u;
}

/** A budget (0 = none): the workspace may set a lower one than the user's, not lift it. */
function budget(c: vscode.WorkspaceConfiguration, key: string): number {
  const { user, workspace } = layers<number>(c, key, 0);
  const u = typeof user === 'number' && user > 0 ? user : 0;
  const w = typeof workspace === 'number' && workspace > 0 ? workspace : 0;
  if (u === 0) return w;
  return w === 0 ? u : Math.min(u, w);
}

export const DEFAULT_MODEL: Record<Provider, string> = { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5' };

export function readConfig(): AgioConfig {
  const c = vscode.workspace.getConfiguration('agio');
  const provider = c.get<Provider>('provider', 'openai');
  const limits: Limits = {};
  const steps = budget(c, 'maxSteps');
  const time = budget(c, 'maxTimeSeconds');
  const tokens = budget(c, 'maxTokens');
  const cost = budget(c, 'maxCostUsd');
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
    approval: approvalMode(c),
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
