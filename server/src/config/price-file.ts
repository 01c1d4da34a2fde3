// The user's model-table file ({"model-prefix": {"input": 1, "output": 2, "cachedInput": 0.1,
// "contextWindow": 128000}}) at $AGIO_PRICES or <config dir>/agio/prices.json, JSON with comments like
// every settings file, over the built-in table. A broken file is a warning, never a stopped run.
import { BUILTIN_MODELS, mergeTables, ModelTable } from '../models/model-table.ts';
import { readJsoncFile } from './jsonc-file.ts';

export function loadPriceTable(file: string | undefined): { table: ModelTable; warning?: string } {
  if (!file) return { table: BUILTIN_MODELS };
  const loaded = readJsoncFile(file, ModelTable, 'price table');
  if ('warning' in loaded)
    return loaded.warning ? { table: BUILTIN_MODELS, warning: loaded.warning } : { table: BUILTIN_MODELS };
  return { table: mergeTables(BUILTIN_MODELS, loaded.data) };
}
