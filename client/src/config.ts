// The one typed view of Agio's settings (`agio.*`). Read when needed, never cached across changes.
import * as vscode from 'vscode';
import type { ApprovalMode, Limits, Provider } from '../../server/src/protocol/events.ts';

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
}

export const DEFAULT_MODEL: Record<Provider, string> = { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5' };

export function readConfig(): AgioConfig {
  const c = vscode.workspace.getConfiguration('agio');
  const provider = c.get<Provider>('provider', 'openai');
  const limits: Limits = {};
  const steps = c.get<number>('maxSteps', 0);
  const time = c.get<number>('maxTimeSeconds', 0);
  const tokens = c.get<number>('maxTokens', 0);
  const cost = c.get<number>('maxCostUsd', 0);
  if (steps > 0) limits.maxSteps = steps;
  if (time > 0) limits.maxTimeMs = time * 1000;
  if (tokens > 0) limits.maxTokens = tokens;
  if (cost > 0) limits.maxCostUsd = cost;
  return {
    provider,
    model: c.get<string>('model', '') || DEFAULT_MODEL[provider],
    baseUrl: c.get<string>('baseUrl', '') || undefined,
    approval: c.get<ApprovalMode>('approval', 'ask'),
    limits,
    storePath: c.get<string>('storePath', '') || undefined,
    prices: c.get('prices', {}),
  };
}
