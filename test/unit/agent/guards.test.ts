import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isTrip,
  MIN_USEFUL_OUTPUT,
  planNextCall,
  ProgressGuard,
  RepeatedErrorGuard,
} from '../../../server/src/agent/guards.ts';
import { emptyTotals } from '../../../server/src/agent/totals.ts';

test('the circuit breaker trips on the Nth identical failure in a row, not before', () => {
  const g = new RepeatedErrorGuard(3);
  assert.equal(g.record('edit', false, 'old_string not found in a.ts'), undefined);
  assert.equal(g.record('edit', false, 'old_string not found in a.ts'), undefined);
  const trip = g.record('edit', false, 'old_string not found in a.ts');
  assert.deepEqual([trip?.limit, trip?.value, trip?.max], ['repeated_error', 3, 3]);
  assert.match(trip!.detail, /edit failed the same way 3 times in a row: old_string not found in a\.ts/);
});

test('a success, another error or another tool starts the count again', () => {
  const g = new RepeatedErrorGuard(2);
  assert.equal(g.record('bash', false, 'exit 1'), undefined);
  assert.equal(g.record('bash', true, 'ok'), undefined);
  assert.equal(g.record('bash', false, 'exit 1'), undefined);
  assert.equal(g.record('bash', false, 'exit 2'), undefined, 'a different failure');
  assert.equal(g.record('read', false, 'exit 2'), undefined, 'the same text from another tool');
  assert.equal(g.record('read', false, 'exit 2')?.value, 2);
});

const call = (name: string, argsJson: string, output: string, ok = true) => ({ name, argsJson, ok, output });

test('no progress: turns repeating earlier calls with the same results trip after K, in any key order', () => {
  const g = new ProgressGuard(2);
  assert.equal(g.record({ text: '', calls: [call('read', '{"path":"a","offset":1}', 'A')] }), undefined, 'new');
  assert.equal(
    g.record({ text: '', calls: [call('read', '{"offset":1,"path":"a"}', 'A')] }),
    undefined,
    'first repeat',
  );
  const trip = g.record({ text: '', calls: [call('read', '{"path":"a","offset":1}', 'A')] });
  assert.deepEqual([trip?.limit, trip?.value], ['no_progress', 2]);
});

test('no progress: a changed result, a new call or new text is progress and resets the count', () => {
  const g = new ProgressGuard(2);
  g.record({ text: '', calls: [call('bash', '{"command":"npm test"}', 'FAIL 3')] });
  assert.equal(g.record({ text: '', calls: [call('bash', '{"command":"npm test"}', 'FAIL 3')] }), undefined);
  assert.equal(
    g.record({ text: '', calls: [call('bash', '{"command":"npm test"}', 'FAIL 2')] }),
    undefined,
    'output changed',
  );
  assert.equal(g.record({ text: '', calls: [call('bash', '{"command":"npm test"}', 'FAIL 2')] }), undefined);
  assert.equal(
    g.record({ text: 'Trying another fix', calls: [call('bash', '{"command":"npm test"}', 'FAIL 2')] }),
    undefined,
    'new text',
  );
  assert.equal(g.record({ text: '', calls: [call('bash', '{"command":"npm test"}', 'FAIL 2')] }), undefined);
  assert.ok(
    g.record({ text: 'Trying another fix', calls: [call('bash', '{"command":"npm test"}', 'FAIL 2')] }),
    'repeated text is not new',
  );
  g.reset();
  assert.equal(
    g.record({ text: '', calls: [call('bash', '{"command":"npm test"}', 'FAIL 2')] }),
    undefined,
    'after reset, counting starts again',
  );
});

test('projection: a call whose input alone crosses the cost budget is known before it is made', () => {
  const price = { input: 2, output: 8, cachedInput: 0.5 }; // $ per million tokens
  const totals = { ...emptyTotals(), inputTokens: 90_000, outputTokens: 1_000, costUsd: 0.99 };
  // Previous prompt 100k tokens at the cached rate ($0.05) + 1000 new tokens raised a tenth to 1100 at
  // $2/M ($0.0022): $1.0422 before any output, over $1.04.
  const over = planNextCall({ maxCostUsd: 1.04 }, totals, price, { reported: 100_000, added: 1000 }, 4096);
  assert.ok(isTrip(over) && over.limit === 'cost', JSON.stringify(over));
  assert.match(over.detail, /input alone costs at least \$0\.0522/);
  // With $1.05: $0.0078 left pays for 975 output tokens at $8/M, so the call is made with that cap.
  assert.deepEqual(planNextCall({ maxCostUsd: 1.05 }, totals, price, { reported: 100_000, added: 1000 }, 4096), {
    maxOutputTokens: 975,
    cappedBy: 'cost',
  });
  assert.deepEqual(
    planNextCall({ maxCostUsd: 0.01 }, totals, undefined, { reported: 100_000, added: 0 }, 4096),
    { maxOutputTokens: 4096 },
    'no price, no cost projection',
  );
});

test('the token budget (input + output) caps the next call at what it leaves, or stops it when that is too little', () => {
  const totals = { ...emptyTotals(), inputTokens: 2_000, outputTokens: 100 }; // 2100 used
  // 3000 - 2100 - (400 + 100 raised to 110) = 390 left for the reply: under the model's 4096.
  assert.deepEqual(planNextCall({ maxTokens: 3000 }, totals, undefined, { reported: 400, added: 100 }, 4096), {
    maxOutputTokens: 390,
    cappedBy: 'tokens',
  });
  // Plenty left: the model's own cap, and no budget named.
  assert.deepEqual(planNextCall({ maxTokens: 100_000 }, totals, undefined, { reported: 400, added: 100 }, 4096), {
    maxOutputTokens: 4096,
  });
  // 3000 - 2100 - 700 = 200 left, under the 256 a useful reply needs: not made, projected 2100 + 700 + 256.
  const low = planNextCall({ maxTokens: 3000 }, totals, undefined, { reported: 700, added: 0 }, 4096);
  assert.ok(isTrip(low));
  assert.deepEqual([low.limit, low.value, low.max], ['tokens', 3056, 3000]);
  assert.match(low.detail, /sends about 700 input tokens, which leaves 200 for its reply/);
  // A model whose whole cap is 150 needs only 150 of it.
  assert.deepEqual(planNextCall({ maxTokens: 3000 }, totals, undefined, { reported: 700, added: 0 }, 150), {
    maxOutputTokens: 150,
  });
  // The input alone crosses: not made.
  const gone = planNextCall(
    { maxTokens: 150_000 },
    { ...totals, inputTokens: 90_000 },
    undefined,
    { reported: 60_000, added: 0 },
    4096,
  );
  assert.ok(isTrip(gone));
  assert.deepEqual([gone.limit, gone.value], ['tokens', 90_000 + 100 + 60_000 + MIN_USEFUL_OUTPUT]);
});
