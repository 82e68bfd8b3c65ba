/**
 * The last run's scenario durations (harness/run/scenario-durations.ts): what --parallel's scheduler starts
 * first. They are kept per server; a missing or broken file means plan order; "long" is relative to the
 * run's median.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { durationKey, KEPT_TARGETS, loadDurations, longScenarios, saveDurations } from '../../../harness/run/scenario-durations.ts';
import { durationsTarget } from '../../../harness/run/runner.ts';

const scenario = (name: string, durationMs: number, uri = 'features/limits.feature') => ({ uri, name, durationMs });
const EMBEDDED = 'embedded\nprofile canonical';

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durations-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'cache', 'durations.json');
}

test('durations are saved, merged with the file, the longest of same-named scenarios kept', (t) => {
  const file = tempFile(t);
  assert.deepEqual(loadDurations(file, EMBEDDED), {}, 'no file: nothing known');
  saveDurations(file, EMBEDDED, [scenario('waits', 800), scenario('quick', 4), scenario('row', 3), scenario('row', 9)]);
  saveDurations(file, EMBEDDED, [scenario('other', 6, 'features/who.feature'), scenario('quick', 5)]);
  const known = loadDurations(file, EMBEDDED);
  assert.equal(known[durationKey({ uri: 'features/limits.feature', name: 'waits' })], 800, 'kept from the first run');
  assert.equal(known[durationKey({ uri: 'features/limits.feature', name: 'quick' })], 5, 'the later run wins');
  assert.equal(known[durationKey({ uri: 'features/limits.feature', name: 'row' })], 9, 'same name: the longest');
  assert.equal(known[durationKey({ uri: 'features/who.feature', name: 'other' })], 6);
  fs.writeFileSync(file, '{ not json');
  assert.deepEqual(loadDurations(file, EMBEDDED), {}, 'a broken file: nothing known');
  fs.writeFileSync(file, JSON.stringify({ version: 2, targets: { [EMBEDDED]: { savedAt: 1, durations: { a: 'x', b: -1, c: 12 } } } }));
  assert.deepEqual(loadDurations(file, EMBEDDED), { c: 12 }, 'only non-negative numbers are read');
  fs.writeFileSync(file, JSON.stringify({ 'features/limits.feature\twaits': 800 }));
  assert.deepEqual(loadDurations(file, EMBEDDED), {}, 'the flat file of earlier versions: nothing known');
});

test('each server has its own durations: a slow server\'s do not reorder a run against another', (t) => {
  const file = tempFile(t);
  const spawned = durationsTarget({ target: { kind: 'spawned', command: 'python3 server.py {port}', startTimeoutMs: 5000, operPassword: undefined }, profile: 'canonical' });
  saveDurations(file, spawned, [scenario('console', 400), scenario('quick', 300)]);
  saveDurations(file, EMBEDDED, [scenario('console', 5), scenario('quick', 4)]);
  assert.equal(loadDurations(file, spawned)[durationKey({ uri: 'features/limits.feature', name: 'console' })], 400);
  assert.equal(loadDurations(file, EMBEDDED)[durationKey({ uri: 'features/limits.feature', name: 'console' })], 5);
  assert.equal(durationsTarget({ target: { kind: 'embedded' }, profile: 'canonical' }), EMBEDDED);
  assert.notEqual(durationsTarget({ target: { kind: 'embedded' }, profile: 'irc' }), EMBEDDED, 'another profile is another run');
  assert.notEqual(durationsTarget({ target: { kind: 'embedded' }, profile: 'canonical', client: 'node c.mjs {host} {port}' }), EMBEDDED, 'so is a client-driven one');
});

test(`the ${KEPT_TARGETS} servers saved last are kept, the others forgotten`, (t) => {
  const file = tempFile(t);
  for (let i = 0; i <= KEPT_TARGETS; i++) saveDurations(file, `server ${i}`, [scenario('s', i)], 1000 + i);
  assert.deepEqual(loadDurations(file, 'server 0'), {}, 'the oldest is gone');
  for (let i = 1; i <= KEPT_TARGETS; i++) assert.equal(Object.keys(loadDurations(file, `server ${i}`)).length, 1, `server ${i} kept`);
  saveDurations(file, 'server 1', [scenario('s', 7)], 5000);
  saveDurations(file, 'server 99', [scenario('s', 7)], 5001);
  assert.equal(Object.keys(loadDurations(file, 'server 1')).length, 1, 'saving again makes a server recent');
  assert.deepEqual(loadDurations(file, 'server 2'), {}, 'the oldest one left goes next');
});

test('long means at least 50 ms and ten times the median: on a slow server, not every scenario', () => {
  const fast = { a: 5, b: 6, c: 7, g: 4, h: 3, d: 105, e: 805, f: 40 };
  assert.deepEqual([...longScenarios(fast)].sort(), ['d', 'e'], 'a 100 ms framing pause is long; 40 ms is not');
  const slow = { a: 1300, b: 1400, c: 1500, d: 1600, e: 20000 };
  assert.deepEqual([...longScenarios(slow)], ['e'], 'relative to the median of a slow server');
  assert.deepEqual([...longScenarios({})], []);
});
