// The editor's agio.* settings as the fields of a run request, each parsed with the protocol's own
// schema (RunRequest in server/src/protocol/methods.ts), field by field: a typo in one setting is
// reported and left out, and never stops a run. Pure, so it is unit-tested without VS Code.
import { z } from 'zod';
import { Limits } from '../../server/src/protocol/events.ts';
import { ModelInfoOverride, RunRequest } from '../../server/src/protocol/methods.ts';

/** What the settings contribute to every run request (the task, workspace and trust come per run). */
export type SettingsRequest = Pick<
  RunRequest,
  'provider' | 'model' | 'baseUrl' | 'approval' | 'limits' | 'prices' | 'models' | 'context' | 'unsandboxedFullAuto'
>;

/** The settings' values, already layered (user and workspace) by the caller. Unknown on purpose:
 * settings.json can hold anything. */
export interface SettingsValues {
  provider?: unknown;
  model?: unknown;
  baseUrl?: unknown;
  approval?: unknown;
  maxSteps?: unknown;
  maxTimeSeconds?: unknown;
  maxTokens?: unknown;
  maxCostUsd?: unknown;
  prices?: unknown;
  models?: unknown;
  contextWindow?: unknown;
  compactAt?: unknown;
  /** Already the user's own value only (setting-layers.ts userOnlySwitch). */
  allowUnsandboxedFullAuto?: unknown;
}

const shape = RunRequest.shape;

export function settingsRequest(v: SettingsValues): { request: SettingsRequest; problems: string[] } {
  const problems: string[] = [];
  const request: SettingsRequest = {};
  const take = <T>(setting: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    if (value === undefined || value === '') return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    problems.push(`agio.${setting}: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ').trim()} (ignored)`);
    return undefined;
  };
  const provider = take('provider', shape.provider, v.provider);
  if (provider) request.provider = provider;
  const model = take('model', shape.model, v.model);
  if (model) request.model = model;
  const baseUrl = take('baseUrl', shape.baseUrl, v.baseUrl);
  if (baseUrl) request.baseUrl = baseUrl;
  const approval = take('approval', shape.approval, v.approval);
  if (approval) request.approval = approval;
  // 0 means "no budget" in the settings; the request's budgets are positive, in milliseconds.
  const budget = (setting: string, schema: z.ZodType<number | undefined>, value: unknown, scale = 1) =>
    value === 0 ? undefined : take(setting, schema, typeof value === 'number' ? value * scale : value);
  const limits: Limits = {};
  const steps = budget('maxSteps', Limits.shape.maxSteps, v.maxSteps);
  if (steps !== undefined) limits.maxSteps = steps;
  const time = budget('maxTimeSeconds', Limits.shape.maxTimeMs, v.maxTimeSeconds, 1000);
  if (time !== undefined) limits.maxTimeMs = time;
  const tokens = budget('maxTokens', Limits.shape.maxTokens, v.maxTokens);
  if (tokens !== undefined) limits.maxTokens = tokens;
  const cost = budget('maxCostUsd', Limits.shape.maxCostUsd, v.maxCostUsd);
  if (cost !== undefined) limits.maxCostUsd = cost;
  if (Object.keys(limits).length > 0) request.limits = limits;
  const prices = entries('prices', shape.prices.unwrap().valueType, v.prices, problems);
  if (prices) request.prices = prices;
  const models = entries('models', ModelInfoOverride, v.models, problems);
  if (models) request.models = models;
  const context = shape.context.unwrap().shape;
  const window = budget('contextWindow', context.window, v.contextWindow);
  const compactAt = take('compactAt', context.compactAt, v.compactAt);
  if (window !== undefined || compactAt !== undefined)
    request.context = {
      ...(window !== undefined ? { window } : {}),
      ...(compactAt !== undefined ? { compactAt } : {}),
    };
  if (v.allowUnsandboxedFullAuto === true) request.unsandboxedFullAuto = true;
  return { request, problems };
}

/** A table setting ({"prefix": {...}}): each entry on its own, so one bad entry leaves the rest. */
function entries<T>(
  setting: string,
  schema: z.ZodType<T>,
  raw: unknown,
  problems: string[],
): Record<string, T> | undefined {
  if (raw === undefined) return undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`agio.${setting}: expected an object of model-name prefixes (ignored)`);
    return undefined;
  }
  const out: Record<string, T> = {};
  for (const [prefix, entry] of Object.entries(raw)) {
    const parsed = schema.safeParse(entry);
    if (parsed.success) out[prefix] = parsed.data;
    else
      problems.push(
        `agio.${setting}["${prefix}"]: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ').trim()} (ignored)`,
      );
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
