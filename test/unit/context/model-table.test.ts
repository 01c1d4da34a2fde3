import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BUILTIN_MODELS,
  lookupModel,
  mergeTables,
  UNKNOWN_MODEL_DEFAULTS,
  unknownModelNotice,
} from '../../../server/src/models/model-table.ts';

test('dated snapshots find their family by the longest prefix', () => {
  const m = lookupModel(BUILTIN_MODELS, 'gpt-4o-mini-2024-07-18');
  assert.equal(m.key, 'gpt-4o-mini');
  assert.equal(m.contextWindow, 128_000);
  assert.deepEqual(m.price, { input: 0.15, output: 0.6, cachedInput: 0.075 });
  assert.equal(lookupModel(BUILTIN_MODELS, 'claude-sonnet-4-5-20250929').contextWindow, 200_000);
});

test('an unknown model gets the safe defaults, no price, and a notice that says how to set them', () => {
  const m = lookupModel(BUILTIN_MODELS, 'qwen2.5-coder:7b');
  assert.equal(m.windowKnown, false);
  assert.equal(m.contextWindow, UNKNOWN_MODEL_DEFAULTS.contextWindow);
  assert.equal(m.price, undefined);
  assert.match(
    unknownModelNotice('qwen2.5-coder:7b', m),
    /assumes 32,768 tokens.*does not count its cost.*--context-window/s,
  );
});

test('overrides merge field by field: a window alone keeps the built-in prices', () => {
  const t = mergeTables(
    BUILTIN_MODELS,
    { 'gpt-4o': { contextWindow: 64_000 } },
    { 'my-model': { input: 1, output: 2, contextWindow: 8_000 } },
  );
  const m = lookupModel(t, 'gpt-4o');
  assert.equal(m.contextWindow, 64_000);
  assert.equal(m.price?.input, 2.5);
  assert.deepEqual(lookupModel(t, 'my-model-v2').price, { input: 1, output: 2 });
  assert.equal(lookupModel(t, 'my-model-v2').windowKnown, true);
  // Prices without a window: the cost counts, the window is assumed.
  assert.equal(lookupModel(mergeTables({ x: { input: 1, output: 1 } }), 'x').windowKnown, false);
});
