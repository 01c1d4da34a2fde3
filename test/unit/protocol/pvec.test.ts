// The persistent vector under the fold: reads match a plain array through every trie depth, and
// updates never touch older versions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emptyVec,
  findLastIndex,
  forEachIn,
  get,
  last,
  push,
  set,
  toArray,
  vecOf,
  type PVec,
} from '../../../server/src/protocol/pvec.ts';

test('push and get agree with an array across trie levels', () => {
  let v = emptyVec<number>();
  const n = 40_000; // beyond 32 + 32² + 32³ boundaries' first levels
  for (let i = 0; i < n; i++) v = push(v, i * 3);
  assert.equal(v.size, n);
  for (const i of [0, 31, 32, 33, 1023, 1024, 1055, 1056, 1057, 32_767, 32_768, 33_823, 33_824, n - 1])
    assert.equal(get(v, i), i * 3, `index ${i}`);
  assert.equal(get(v, n), undefined);
  assert.equal(get(v, -1), undefined);
  assert.equal(last(v), (n - 1) * 3);
  assert.deepStrictEqual(
    toArray(v),
    Array.from({ length: n }, (_, i) => i * 3),
  );
});

test('set returns a new version and leaves the old one as it was', () => {
  const versions: PVec<number>[] = [];
  let v = vecOf(Array.from({ length: 2000 }, (_, i) => i));
  for (const i of [0, 500, 1055, 1999]) {
    versions.push(v);
    v = set(v, i, -i - 1);
  }
  assert.equal(get(versions[0]!, 0), 0);
  assert.equal(get(versions[1]!, 0), -1);
  assert.equal(get(versions[1]!, 500), 500);
  assert.equal(get(v, 500), -501);
  assert.equal(get(v, 1055), -1056);
  assert.equal(get(versions[3]!, 1999), 1999);
  assert.equal(get(v, 1999), -2000);
  assert.throws(() => set(v, 2000, 0), RangeError);
});

test('vectors built by the same pushes are deep-equal, and helpers walk ranges', () => {
  const a = vecOf([1, 2, 3]);
  let b = emptyVec<number>();
  for (const x of [1, 2, 3]) b = push(b, x);
  assert.deepStrictEqual(a, b);
  const seen: Array<[number, number]> = [];
  forEachIn(vecOf(Array.from({ length: 100 }, (_, i) => i)), 30, 35, (x, i) => seen.push([x, i]));
  assert.deepStrictEqual(seen, [
    [30, 30],
    [31, 31],
    [32, 32],
    [33, 33],
    [34, 34],
  ]);
  assert.equal(
    findLastIndex(vecOf([1, 2, 1, 3]), (x) => x === 1),
    2,
  );
  assert.equal(
    findLastIndex(vecOf([1]), (x) => x === 9),
    -1,
  );
});
