// Budgets and guards a user sets once instead of on every command line: ~/.config/agio/config.json
// for the user, .agio/config.json for a workspace. A workspace file can only tighten: for every figure
// the smaller of the two applies, so a cloned repository cannot lift the budgets its user chose (and
// reading it before the workspace is trusted is harmless). Flags and editor settings override both.
import path from 'node:path';
import { homedir } from 'node:os';
import { z } from 'zod';
import type { Guards, Limits } from '../protocol/events.ts';
import { readJsoncFile } from './jsonc-file.ts';

const positive = z.number().positive();
const count = z.number().int().positive();
export const RunDefaultsFile = z
  .object({
    limits: z
      .object({ maxSteps: count, maxTimeSeconds: positive, maxTokens: count, maxCostUsd: positive })
      .partial()
      .strict()
      .optional(),
    guards: z
      .object({
        repeatedErrors: count,
        noProgressTurns: count,
        onNoProgress: z.enum(['stop', 'ask']),
        streamIdleSeconds: positive,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type RunDefaultsFile = z.infer<typeof RunDefaultsFile>;

export interface RunDefaults {
  limits: Limits;
  guards: Partial<Guards>;
  warnings: string[];
}

export function userConfigFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'agio', 'config.json');
}
export function workspaceConfigFile(root: string): string {
  return path.join(root, '.agio', 'config.json');
}

export function loadRunDefaults(root: string, env: NodeJS.ProcessEnv): RunDefaults {
  const out: RunDefaults = { limits: {}, guards: {}, warnings: [] };
  for (const file of [userConfigFile(env), workspaceConfigFile(root)]) {
    const loaded = readJsoncFile(file, RunDefaultsFile, 'settings');
    if ('warning' in loaded) {
      if (loaded.warning) out.warnings.push(loaded.warning);
      continue;
    }
    const { limits = {}, guards = {} } = loaded.data;
    tighten(out.limits, 'maxSteps', limits.maxSteps);
    tighten(out.limits, 'maxTimeMs', limits.maxTimeSeconds === undefined ? undefined : limits.maxTimeSeconds * 1000);
    tighten(out.limits, 'maxTokens', limits.maxTokens);
    tighten(out.limits, 'maxCostUsd', limits.maxCostUsd);
    tighten(out.guards, 'repeatedErrors', guards.repeatedErrors);
    tighten(out.guards, 'noProgressTurns', guards.noProgressTurns);
    tighten(
      out.guards,
      'streamIdleMs',
      guards.streamIdleSeconds === undefined ? undefined : Math.round(guards.streamIdleSeconds * 1000),
    );
    // Stopping is the tighter answer: once a file says stop, none says ask.
    if (guards.onNoProgress !== undefined && out.guards.onNoProgress !== 'stop')
      out.guards.onNoProgress = guards.onNoProgress;
  }
  return out;
}

function tighten<T extends object, K extends keyof T>(into: T, key: K, value: number | undefined): void {
  if (value === undefined) return;
  const current = into[key] as number | undefined;
  into[key] = (current === undefined ? value : Math.min(current, value)) as T[K];
}
