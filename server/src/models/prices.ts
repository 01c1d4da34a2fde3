// Prices in USD per million tokens and what a call costs. The built-in table is in model-table.ts; the
// user's file is read by config/price-file.ts.
import { z } from 'zod';
import type { Usage } from './types.ts';

export const Price = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof Price>;

/** Cost of one call. `inputTokens` includes the cached ones, which are billed at the cached rate. */
export function costOf(price: Price | undefined, u: Usage): number {
  if (!price) return 0;
  const cached = Math.min(u.cachedTokens, u.inputTokens);
  const cachedRate = price.cachedInput ?? price.input;
  return ((u.inputTokens - cached) * price.input + cached * cachedRate + u.outputTokens * price.output) / 1_000_000;
}
