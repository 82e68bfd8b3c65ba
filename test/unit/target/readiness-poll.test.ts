/** Readiness is polled fast at first (a restarted server is used as soon as it listens), then at most 20 times a second. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readinessPollMs } from '../../../harness/target/probe.ts';

test('readiness polls 5, 10, 20, 40 ms apart, then every 50 ms', () => {
  assert.deepEqual(Array.from({ length: 8 }, (_, i) => readinessPollMs(i)), [5, 10, 20, 40, 50, 50, 50, 50]);
  assert.equal(readinessPollMs(1000), 50);
});
