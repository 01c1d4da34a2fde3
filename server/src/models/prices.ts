// Prices in USD per million tokens, what a call costs, and the user's model-table file
// ({"model-prefix": {"input": 1, "output": 2, "cachedInput": 0.1, "contextWindow": 128000}}) at
// $AGIO_PRICES or <config dir>/agio/prices.json. The built-in table is in model-table.ts.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Usage } from './types.ts';
import { BUILTIN_MODELS, mergeTables, ModelTable } from './model-table.ts';

export const Price = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof Price>;

export function loadPriceTable(file: string | undefined): { table: ModelTable; warning?: string } {
  if (!file) return { table: BUILTIN_MODELS };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { table: BUILTIN_MODELS };
    return { table: BUILTIN_MODELS, warning: `could not read price table ${file}: ${(err as Error).message}` };
  }
  const parsed = ModelTable.safeParse(safeJson(text));
  if (!parsed.success) {
    return { table: BUILTIN_MODELS, warning: `ignoring price table ${file}: ${z.prettifyError(parsed.error)}` };
  }
  return { table: mergeTables(BUILTIN_MODELS, parsed.data) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Cost of one call. `inputTokens` includes the cached ones, which are billed at the cached rate. */
export function costOf(price: Price | undefined, u: Usage): number {
  if (!price) return 0;
  const cached = Math.min(u.cachedTokens, u.inputTokens);
  const cachedRate = price.cachedInput ?? price.input;
  return ((u.inputTokens - cached) * price.input + cached * cachedRate + u.outputTokens * price.output) / 1_000_000;
}
