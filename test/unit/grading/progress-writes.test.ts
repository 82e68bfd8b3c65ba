/**
 * How often a running grader rewrites its grade files (grading/grade-run.ts, ProgressWrites): after every
 * scenario while a write is quick, at most about a tenth of the time when writes are slow.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressWrites } from '../../../grading/grade-run.ts';

describe('grade files rewritten during a run', () => {
  it('a quick write (under a millisecond) is due again at once: every scenario is written', () => {
    let now = 1000;
    const writes = new ProgressWrites(() => now);
    let count = 0;
    for (let scenario = 0; scenario < 5; scenario++) {
      assert.ok(writes.due());
      writes.timed(() => count++);
      now += 50; // the next scenario
    }
    assert.equal(count, 5);
  });

  it('after a write that took 40 ms, none is due for 360 ms, then one is', () => {
    let now = 0;
    const writes = new ProgressWrites(() => now);
    writes.timed(() => {
      now += 40;
    });
    now += 359;
    assert.equal(writes.due(), false);
    now += 1;
    assert.equal(writes.due(), true);
  });
});
