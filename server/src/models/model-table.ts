// The model table: each model's context window, output cap and prices (USD per million tokens), by
// longest model-name prefix so dated snapshots ("gpt-4o-2024-08-06") find their family. Users extend
// or override entries field by field: a JSON file at $AGIO_PRICES or <config dir>/agio/prices.json
// (CLI), `agio.models` / `agio.prices` (VS Code settings), `--context-window` (CLI).
import { z } from 'zod';
import type { Price } from './prices.ts';
import { ModelInfoOverride } from '../protocol/methods.ts';

// One schema for an entry, declared with the protocol (the editor's settings send the same shape).
export const ModelEntry = ModelInfoOverride;
export type ModelEntry = z.infer<typeof ModelEntry>;
export const ModelTable = z.record(z.string(), ModelEntry);
export type ModelTable = z.infer<typeof ModelTable>;

/** Published list prices and limits; check them against the provider's page when in doubt. */
export const BUILTIN_MODELS: ModelTable = {
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25, contextWindow: 128_000, maxOutput: 16_384 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075, contextWindow: 128_000, maxOutput: 16_384 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5, contextWindow: 1_047_576, maxOutput: 32_768 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1, contextWindow: 1_047_576, maxOutput: 32_768 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025, contextWindow: 1_047_576, maxOutput: 32_768 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125, contextWindow: 400_000, maxOutput: 128_000 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025, contextWindow: 400_000, maxOutput: 128_000 },
  o3: { input: 2, output: 8, cachedInput: 0.5, contextWindow: 200_000, maxOutput: 100_000 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275, contextWindow: 200_000, maxOutput: 100_000 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5, contextWindow: 200_000, maxOutput: 32_000 },
  'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5, contextWindow: 200_000, maxOutput: 64_000 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3, contextWindow: 200_000, maxOutput: 64_000 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1, contextWindow: 200_000, maxOutput: 64_000 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08, contextWindow: 200_000, maxOutput: 8_192 },
  'deepseek-chat': { input: 0.27, output: 1.1, cachedInput: 0.07, contextWindow: 64_000, maxOutput: 8_192 },
};

/** What an unknown model is assumed to have: small enough that a request never overflows a real
 * model's window (compaction just comes early), and said once so the user can set the real figure. */
export const UNKNOWN_MODEL_DEFAULTS = { contextWindow: 32_768, maxOutput: 4_096 } as const;

export interface ModelInfo {
  /** The table key that matched, or undefined for an unknown model. */
  key: string | undefined;
  contextWindow: number;
  maxOutput: number;
  /** False when no entry gave a window and UNKNOWN_MODEL_DEFAULTS apply (the user is told once). */
  windowKnown: boolean;
  /** Undefined when the input or output price is unknown: cost is then not counted. */
  price: Price | undefined;
}

/** Later tables override earlier ones field by field (a settings entry with only a window keeps the prices). */
export function mergeTables(...tables: (ModelTable | undefined)[]): ModelTable {
  const out: ModelTable = {};
  for (const t of tables) {
    for (const [key, entry] of Object.entries(t ?? {})) out[key] = { ...out[key], ...entry };
  }
  return out;
}

export function lookupModel(table: ModelTable, model: string): ModelInfo {
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  const e = best === undefined ? {} : table[best]!;
  const price =
    e.input !== undefined && e.output !== undefined
      ? { input: e.input, output: e.output, ...(e.cachedInput !== undefined ? { cachedInput: e.cachedInput } : {}) }
      : undefined;
  return {
    key: best,
    contextWindow: e.contextWindow ?? UNKNOWN_MODEL_DEFAULTS.contextWindow,
    maxOutput: e.maxOutput ?? UNKNOWN_MODEL_DEFAULTS.maxOutput,
    windowKnown: e.contextWindow !== undefined,
    price,
  };
}

/** The notice for a model whose window Agio had to assume. */
export function unknownModelNotice(model: string, info: ModelInfo): string {
  return (
    `Agio does not know the context window of "${model}", so it assumes ${info.contextWindow.toLocaleString('en-US')} tokens ` +
    `(and ${info.maxOutput.toLocaleString('en-US')} output tokens)${info.price ? '' : ', and does not count its cost'}. ` +
    'Set the real figures with --context-window, the agio.contextWindow / agio.models settings, or a "contextWindow" entry in prices.json.'
  );
}
