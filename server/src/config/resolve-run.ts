// One run request resolved, once, at start, the same way for every front end: the CLI (from flags),
// the editor (from its settings, over the LSP connection) and tests. What the request leaves out
// comes from the settings files (budgets and guards), the environment (provider, model, base URL,
// the key) and the model table. Every problem is a UsageError that says what to set.
import { needsApiKey } from '../protocol/local-endpoint.ts';
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_GUARDS,
  Provider,
  type ApprovalMode,
  type Guards,
  type Limits,
  type WindowSettings,
} from '../protocol/events.ts';
import type { Attachment, RunRequest } from '../protocol/methods.ts';
import { lookupModel, mergeTables, type ModelInfo, type ModelTable } from '../models/model-table.ts';
import { loadPriceTable } from './price-file.ts';
import { loadRunDefaults } from './run-defaults.ts';
import { UsageError } from './usage-error.ts';
import { workspaceOptedIn } from './unsandboxed-opt-in.ts';

export const DEFAULT_MODELS: Record<Provider, string> = { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5' };
export const DEFAULT_COMPACT_AT = 0.8;

/** A run ready to start: every setting decided. */
export interface ResolvedRun {
  task: string;
  /** Workspace root, realpath-resolved. */
  cwd: string;
  provider: Provider;
  model: string;
  apiKey: string;
  baseURL?: string;
  approval: ApprovalMode;
  limits: Limits;
  guards: Guards;
  /** The model table (built-in, the user's file, the request's overrides): prices, window, output cap. */
  prices: ModelTable;
  /** The model's entry in that table (its price, or none: cost not counted). */
  modelInfo: ModelInfo;
  /** The window, output cap and compaction threshold the run uses. */
  context: WindowSettings;
  /** The window had to be assumed (no table entry, no setting): the user is told. */
  windowAssumed: boolean;
  attachments?: readonly Attachment[];
  compactFirst?: boolean;
  /** False: read tools only, and no project config (workspace rules) is loaded. */
  trusted: boolean;
  /** The user let full-auto run code the workspace controls without a sandbox: for this run
   * (request) or for this workspace (their own unsandboxed-full-auto.json). */
  unsandboxedFullAuto: boolean;
  /** The process's own environment: commands get an allowlisted part of it; its secrets are redacted. */
  baseEnv: NodeJS.ProcessEnv;
  /** Problems reading settings files, for the front end to show. */
  warnings: string[];
}

export interface RunSources {
  /** Defaults for what the request leaves out (AGIO_PROVIDER, AGIO_MODEL, *_BASE_URL, the key) and
   * the environment commands are built from. Read, never written. */
  env: NodeJS.ProcessEnv;
  /** The key, carried apart from the request (the editor's secret storage); else the environment's. */
  apiKey?: string | undefined;
  /** A resumed run's own budgets, guards and window, which stand in for the settings files and the
   * model table (a setting given now still wins). */
  recorded?: { limits: Limits; guards?: Guards | undefined; context?: WindowSettings | undefined } | undefined;
  /** The workspace when the request names none (the editor's folder). */
  defaultCwd?: string | undefined;
}

export function resolveRun(request: RunRequest, sources: RunSources): ResolvedRun {
  const { env } = sources;
  const cwd = resolveWorkspace(request.cwd ?? sources.defaultCwd ?? process.cwd());
  const provider = request.provider ?? providerFromEnv(env);
  const model = request.model ?? env.AGIO_MODEL ?? DEFAULT_MODELS[provider];
  const baseURL = request.baseUrl ?? (provider === 'openai' ? env.OPENAI_BASE_URL : env.ANTHROPIC_BASE_URL);
  if (baseURL !== undefined && !/^https?:\/\//.test(baseURL))
    throw new UsageError(`--base-url must be an http(s) URL, got "${baseURL}"`);
  const keyVar = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
  let apiKey = sources.apiKey ?? env[keyVar];
  if (!apiKey) {
    // Local OpenAI-compatible servers (Ollama, LM Studio, vLLM) take no key; the SDK still wants one.
    if (!needsApiKey(provider, baseURL, false)) apiKey = 'no-key';
    else
      throw new UsageError(
        `no API key for ${provider}: set ${keyVar}${provider === 'openai' ? ', or point --base-url at a local OpenAI-compatible server' : ''}`,
      );
  }
  // The request overrides the settings files; the files' budgets apply where it sets none.
  const defaults = sources.recorded
    ? { limits: sources.recorded.limits, guards: sources.recorded.guards ?? {}, warnings: [] }
    : loadRunDefaults(cwd, env);
  const { table, warning } = loadPriceTable(
    env.AGIO_PRICES ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'agio', 'prices.json'),
  );
  const prices = mergeTables(table, request.prices, request.models);
  const optIn = request.unsandboxedFullAuto === true ? { optedIn: true } : workspaceOptedIn(cwd, env);
  const modelInfo = lookupModel(prices, model);
  const asked = request.context ?? {};
  const recordedWindow = sources.recorded?.context;
  const context: WindowSettings = {
    window: asked.window ?? recordedWindow?.window ?? modelInfo.contextWindow,
    maxOutput: asked.maxOutput ?? recordedWindow?.maxOutput ?? modelInfo.maxOutput,
    compactAt: asked.compactAt ?? recordedWindow?.compactAt ?? DEFAULT_COMPACT_AT,
  };
  return {
    task: request.task,
    cwd,
    provider,
    model,
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    approval: request.approval ?? 'ask',
    limits: { ...defaults.limits, ...request.limits },
    guards: { ...DEFAULT_GUARDS, ...defaults.guards, ...request.guards },
    prices,
    modelInfo,
    context,
    windowAssumed: !modelInfo.windowKnown && asked.window === undefined && recordedWindow === undefined,
    ...(request.attachments ? { attachments: request.attachments } : {}),
    ...(request.compactFirst ? { compactFirst: true } : {}),
    trusted: request.trusted ?? false,
    unsandboxedFullAuto: optIn.optedIn,
    baseEnv: env,
    warnings: [...defaults.warnings, ...(warning ? [warning] : []), ...(optIn.warning ? [optIn.warning] : [])],
  };
}

function providerFromEnv(env: NodeJS.ProcessEnv): Provider {
  const named = env.AGIO_PROVIDER;
  if (named === undefined) return env.ANTHROPIC_API_KEY && !env.OPENAI_API_KEY ? 'anthropic' : 'openai';
  const parsed = Provider.safeParse(named);
  if (!parsed.success)
    throw new UsageError(`--provider (or AGIO_PROVIDER) must be one of ${Provider.options.join(', ')}; got "${named}"`);
  return parsed.data;
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
