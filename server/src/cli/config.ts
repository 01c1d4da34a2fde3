// Resolves a run's settings from flags and environment, once, at start. Every problem is a
// UsageError whose message tells the user what to set.
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApprovalMode, DEFAULT_GUARDS, Guards, Provider, type Limits } from '../protocol/events.ts';
import { loadRunDefaults } from '../config/run-defaults.ts';
import { loadPriceTable } from '../models/prices.ts';
import type { ModelTable } from '../models/model-table.ts';
import type { ContextSettings } from '../protocol/methods.ts';
import { UsageError } from './usage-error.ts';

export interface RunFlags {
  cwd?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  'base-url'?: string | undefined;
  approval?: string | undefined;
  'max-steps'?: string | undefined;
  'max-time'?: string | undefined;
  'max-tokens'?: string | undefined;
  'max-cost'?: string | undefined;
  'stream-timeout'?: string | undefined;
  'max-repeated-errors'?: string | undefined;
  'no-progress-turns'?: string | undefined;
  'on-no-progress'?: string | undefined;
  'context-window'?: string | undefined;
  'max-output'?: string | undefined;
  'compact-at'?: string | undefined;
}

export const DEFAULT_MODELS: Record<Provider, string> = { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5' };

export interface ResolvedRun {
  cwd: string;
  provider: Provider;
  model: string;
  apiKey: string;
  baseURL?: string;
  approval: ApprovalMode;
  limits: Limits;
  guards: Guards;
  prices: ModelTable;
  context: ContextSettings;
  warnings: string[];
}

/** `recorded`: a resumed run's own budgets and guards, which stand in for the settings files. */
export function resolveRunConfig(flags: RunFlags, env: NodeJS.ProcessEnv, recorded?: { limits: Limits; guards?: Guards | undefined }): ResolvedRun {
  const cwd = resolveWorkspace(flags.cwd ?? process.cwd());
  const provider = parseEnum(Provider, flags.provider ?? env.AGIO_PROVIDER ?? guessProvider(env), '--provider (or AGIO_PROVIDER)');
  const model = flags.model ?? env.AGIO_MODEL ?? DEFAULT_MODELS[provider];
  const baseURL = flags['base-url'] ?? (provider === 'openai' ? env.OPENAI_BASE_URL : env.ANTHROPIC_BASE_URL);
  if (baseURL !== undefined && !/^https?:\/\//.test(baseURL)) {
    throw new UsageError(`--base-url must be an http(s) URL, got "${baseURL}"`);
  }
  const keyVar = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
  let apiKey = env[keyVar];
  if (!apiKey) {
    // Local OpenAI-compatible servers (Ollama, LM Studio, vLLM) take no key; the SDK still wants one.
    if (provider === 'openai' && baseURL !== undefined && isLoopback(baseURL)) apiKey = 'no-key';
    else throw new UsageError(`no API key for ${provider}: set ${keyVar}${provider === 'openai' ? ', or point --base-url at a local OpenAI-compatible server' : ''}`);
  }
  const approval = parseEnum(ApprovalMode, flags.approval ?? 'ask', '--approval');
  // Flags override the settings files; the files' budgets apply where no flag is given.
  const defaults = recorded ? { limits: recorded.limits, guards: recorded.guards ?? {}, warnings: [] } : loadRunDefaults(cwd, env);
  const limits: Limits = { ...defaults.limits };
  const steps = parseNumber(flags['max-steps'], '--max-steps', true);
  if (steps !== undefined) limits.maxSteps = steps;
  const time = parseNumber(flags['max-time'], '--max-time', false);
  if (time !== undefined) limits.maxTimeMs = time * 1000;
  const tokens = parseNumber(flags['max-tokens'], '--max-tokens', true);
  if (tokens !== undefined) limits.maxTokens = tokens;
  const cost = parseNumber(flags['max-cost'], '--max-cost', false);
  if (cost !== undefined) limits.maxCostUsd = cost;
  const guards: Guards = { ...DEFAULT_GUARDS, ...defaults.guards };
  const idle = parseNumber(flags['stream-timeout'], '--stream-timeout', false);
  if (idle !== undefined) guards.streamIdleMs = Math.round(idle * 1000);
  const repeated = parseNumber(flags['max-repeated-errors'], '--max-repeated-errors', true);
  if (repeated !== undefined) guards.repeatedErrors = repeated;
  const noProgress = parseNumber(flags['no-progress-turns'], '--no-progress-turns', true);
  if (noProgress !== undefined) guards.noProgressTurns = noProgress;
  if (flags['on-no-progress'] !== undefined) guards.onNoProgress = parseEnum(Guards.shape.onNoProgress, flags['on-no-progress'], '--on-no-progress');
  const context: ContextSettings = {};
  const window = parseNumber(flags['context-window'], '--context-window', true);
  if (window !== undefined) context.window = window;
  const maxOutput = parseNumber(flags['max-output'], '--max-output', true);
  if (maxOutput !== undefined) context.maxOutput = maxOutput;
  const compactAt = parseNumber(flags['compact-at'], '--compact-at', false);
  if (compactAt !== undefined) {
    if (compactAt <= 0 || compactAt > 1) throw new UsageError(`--compact-at must be a share of the window above 0 and at most 1, e.g. 0.8; got ${compactAt}`);
    context.compactAt = compactAt;
  }
  const { table, warning } = loadPriceTable(env.AGIO_PRICES ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'agio', 'prices.json'));
  const warnings = [...defaults.warnings, ...(warning ? [warning] : [])];
  return { cwd, provider, model, apiKey, ...(baseURL ? { baseURL } : {}), approval, limits, guards, prices: table, context, warnings };
}

function resolveWorkspace(dir: string): string {
  try {
    const real = realpathSync(dir);
    if (!statSync(real).isDirectory()) throw new UsageError(`--cwd ${dir} is not a folder`);
    return real;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot use ${dir} as the workspace: ${(err as Error).message}`);
  }
}

function guessProvider(env: NodeJS.ProcessEnv): string {
  return env.ANTHROPIC_API_KEY && !env.OPENAI_API_KEY ? 'anthropic' : 'openai';
}

function parseEnum<T extends string>(schema: { options: readonly T[] }, value: string, what: string): T {
  if ((schema.options as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what} must be one of ${schema.options.join(', ')}; got "${value}"`);
}

function parseNumber(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a positive ${integer ? 'whole ' : ''}number; got "${value}"`);
  }
  return n;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    // 127.0.0.0/8 as an address: a name like 127.0.0.1.example.com is not on this machine.
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}
