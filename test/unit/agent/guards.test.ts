import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressGuard, projectNextCall, RepeatedErrorGuard } from '../../../server/src/agent/guards.ts';
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

test('projection: a call whose input alone crosses the cost or token budget is known before it is made', () => {
  const price = { input: 2, output: 8, cachedInput: 0.5 }; // $ per million tokens
  const totals = { ...emptyTotals(), inputTokens: 90_000, outputTokens: 1_000, costUsd: 0.99 };
  // Previous prompt 100k tokens at the cached rate ($0.05) + 1000 new tokens at $2/M ($0.002).
  const over = projectNextCall({ maxCostUsd: 1.04 }, totals, price, 100_000, 1000);
  assert.equal(over?.limit, 'cost');
  assert.ok(Math.abs(over!.value - (0.99 + 0.05 + 0.002)) < 1e-9, String(over?.value));
  assert.equal(projectNextCall({ maxCostUsd: 1.05 }, totals, price, 100_000, 1000), undefined, 'fits: 1.042 < 1.05');
  const tokens = projectNextCall({ maxTokens: 150_000 }, totals, price, 60_000, 0);
  assert.deepEqual([tokens?.limit, tokens?.value], ['tokens', 151_000]);
  assert.equal(
    projectNextCall({ maxCostUsd: 0.01 }, totals, undefined, 100_000, 0),
    undefined,
    'no price, no cost projection',
  );
});
