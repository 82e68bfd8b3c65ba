/**
 * The last run's scenario durations (harness/run/scenario-durations.ts): what --parallel's scheduler starts
 * first. A missing or broken file means plan order; "long" is relative to the run's median.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durationKey, loadDurations, longScenarios, saveDurations } from '../../../harness/run/scenario-durations.ts';

const scenario = (name: string, durationMs: number, uri = 'features/limits.feature') => ({ uri, name, durationMs });

test('durations are saved, merged with the file, the longest of same-named scenarios kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durations-'));
  const file = path.join(dir, 'cache', 'durations.json');
  try {
    assert.deepEqual(loadDurations(file), {}, 'no file: nothing known');
    saveDurations(file, [scenario('waits', 800), scenario('quick', 4), scenario('row', 3), scenario('row', 9)]);
    saveDurations(file, [scenario('other', 6, 'features/who.feature'), scenario('quick', 5)]);
    const known = loadDurations(file);
    assert.equal(known[durationKey({ uri: 'features/limits.feature', name: 'waits' })], 800, 'kept from the first run');
    assert.equal(known[durationKey({ uri: 'features/limits.feature', name: 'quick' })], 5, 'the later run wins');
    assert.equal(known[durationKey({ uri: 'features/limits.feature', name: 'row' })], 9, 'same name: the longest');
    assert.equal(known[durationKey({ uri: 'features/who.feature', name: 'other' })], 6);
    fs.writeFileSync(file, '{ not json');
    assert.deepEqual(loadDurations(file), {}, 'a broken file: nothing known');
    fs.writeFileSync(file, JSON.stringify({ a: 'x', b: -1, c: 12 }));
    assert.deepEqual(loadDurations(file), { c: 12 }, 'only non-negative numbers are read');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('long means at least 250 ms and ten times the median: on a slow server, not every scenario', () => {
  const fast = { a: 5, b: 6, c: 7, d: 105, e: 805 };
  assert.deepEqual([...longScenarios(fast)].sort(), ['e'], '105 ms is not long enough to reorder');
  const slow = { a: 1300, b: 1400, c: 1500, d: 1600, e: 20000 };
  assert.deepEqual([...longScenarios(slow)], ['e'], 'relative to the median of a slow server');
  assert.deepEqual([...longScenarios({})], []);
});
