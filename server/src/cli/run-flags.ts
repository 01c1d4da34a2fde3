// `agio run` / `agio resume` flags as a run request: strings parsed into numbers and enums, seconds
// into milliseconds, here and nowhere else. Resolving the request (settings files, environment, model
// table) is the same for every front end: config/resolve-run.ts.
import { ApprovalMode, Guards, Provider, type Limits } from '../protocol/events.ts';
import type { ContextSettings, RunRequest } from '../protocol/methods.ts';
import { UsageError } from '../config/usage-error.ts';

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

export function runRequestFromFlags(
  task: string,
  flags: RunFlags,
  extra: { trusted: boolean; compactFirst?: boolean; unsandboxedFullAuto?: boolean },
): RunRequest {
  const limits: Limits = {};
  const steps = parseNumber(flags['max-steps'], '--max-steps', true);
  if (steps !== undefined) limits.maxSteps = steps;
  const time = parseNumber(flags['max-time'], '--max-time', false);
  if (time !== undefined) limits.maxTimeMs = time * 1000;
  const tokens = parseNumber(flags['max-tokens'], '--max-tokens', true);
  if (tokens !== undefined) limits.maxTokens = tokens;
  const cost = parseNumber(flags['max-cost'], '--max-cost', false);
  if (cost !== undefined) limits.maxCostUsd = cost;
  const guards: Partial<Guards> = {};
  const idle = parseNumber(flags['stream-timeout'], '--stream-timeout', false);
  if (idle !== undefined) guards.streamIdleMs = Math.round(idle * 1000);
  const repeated = parseNumber(flags['max-repeated-errors'], '--max-repeated-errors', true);
  if (repeated !== undefined) guards.repeatedErrors = repeated;
  const noProgress = parseNumber(flags['no-progress-turns'], '--no-progress-turns', true);
  if (noProgress !== undefined) guards.noProgressTurns = noProgress;
  if (flags['on-no-progress'] !== undefined)
    guards.onNoProgress = parseEnum(Guards.shape.onNoProgress, flags['on-no-progress'], '--on-no-progress');
  const context: ContextSettings = {};
  const window = parseNumber(flags['context-window'], '--context-window', true);
  if (window !== undefined) context.window = window;
  const maxOutput = parseNumber(flags['max-output'], '--max-output', true);
  if (maxOutput !== undefined) context.maxOutput = maxOutput;
  const compactAt = parseNumber(flags['compact-at'], '--compact-at', false);
  if (compactAt !== undefined) {
    if (compactAt <= 0 || compactAt > 1)
      throw new UsageError(
        `--compact-at must be a share of the window above 0 and at most 1, e.g. 0.8; got ${compactAt}`,
      );
    context.compactAt = compactAt;
  }
  const baseUrl = flags['base-url'];
  if (baseUrl !== undefined && !/^https?:\/\//.test(baseUrl))
    throw new UsageError(`--base-url must be an http(s) URL, got "${baseUrl}"`);
  return {
    task,
    ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
    ...(flags.provider !== undefined
      ? { provider: parseEnum(Provider, flags.provider, '--provider (or AGIO_PROVIDER)') }
      : {}),
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    approval: parseEnum(ApprovalMode, flags.approval ?? 'ask', '--approval'),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(Object.keys(guards).length > 0 ? { guards } : {}),
    ...(Object.keys(context).length > 0 ? { context } : {}),
    trusted: extra.trusted,
    ...(extra.compactFirst ? { compactFirst: true } : {}),
    ...(extra.unsandboxedFullAuto ? { unsandboxedFullAuto: true } : {}),
  };
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
