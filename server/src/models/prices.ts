// Price table in USD per million tokens. Users extend or override it with a JSON file
// ({"model-prefix": {"input": 1, "output": 2, "cachedInput": 0.1}}) at $AGIO_PRICES or
// <config dir>/agio/prices.json. Matching is by longest prefix of the model name, so dated
// snapshots ("gpt-4o-2024-08-06") find their family.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Usage } from './types.ts';

export const Price = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof Price>;
export const PriceTable = z.record(z.string(), Price);
export type PriceTable = z.infer<typeof PriceTable>;

/** List prices as published by the providers; check them against the provider's page when in doubt. */
export const BUILTIN_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'o3': { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
  'deepseek-chat': { input: 0.27, output: 1.1, cachedInput: 0.07 },
};

export function loadPriceTable(file: string | undefined): { table: PriceTable; warning?: string } {
  if (!file) return { table: BUILTIN_PRICES };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { table: BUILTIN_PRICES };
    return { table: BUILTIN_PRICES, warning: `could not read price table ${file}: ${(err as Error).message}` };
  }
  const parsed = PriceTable.safeParse(safeJson(text));
  if (!parsed.success) {
    return { table: BUILTIN_PRICES, warning: `ignoring price table ${file}: ${z.prettifyError(parsed.error)}` };
  }
  return { table: { ...BUILTIN_PRICES, ...parsed.data } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function findPrice(table: PriceTable, model: string): Price | undefined {
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/** Cost of one call. `inputTokens` includes the cached ones, which are billed at the cached rate. */
export function costOf(price: Price | undefined, u: Usage): number {
  if (!price) return 0;
  const cached = Math.min(u.cachedTokens, u.inputTokens);
  const cachedRate = price.cachedInput ?? price.input;
  return ((u.inputTokens - cached) * price.input + cached * cachedRate + u.outputTokens * price.output) / 1_000_000;
}
