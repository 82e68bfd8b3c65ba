import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, percentiles } from '../../../bench/stats.ts';

test('nearest-rank percentiles over the filled part of the array only', () => {
  const values = new Float64Array(200).fill(1e9); // unfilled tail must be ignored
  for (let i = 0; i < 100; i++) values[i] = 100 - i; // 100 .. 1, unsorted
  assert.deepEqual(percentiles(values, 100, [50, 99, 100, 0]), [50, 99, 100, 1]);
});

test('percentiles of nothing are NaN', () => {
  assert.ok(percentiles(new Float64Array(0), 0, [50]).every(Number.isNaN));
});

test('median of odd and even counts, ignoring non-finite values', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([Number.NaN, 5]), 5);
  assert.ok(Number.isNaN(median([])));
});
