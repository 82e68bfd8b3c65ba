/**
 * How often a running grader rewrites its grade files (grading/grade-run.ts, ProgressWrites): after every
 * scenario while a write is quick, at most about a tenth of the time when writes are slow; a write whose
 * files go out in the background counts until they are written, and the final write can wait for it.
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
      writes.timed(() => {
        count++;
      });
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

  it('a write whose files go out in the background: none is due until they are written, then 9x its whole time later', async () => {
    let now = 0;
    const writes = new ProgressWrites(() => now);
    let finish = (): void => {};
    const files = new Promise<void>((resolve) => (finish = resolve));
    writes.timed(() => {
      now += 10; // rendering, on the event loop
      return files;
    });
    now += 1000;
    assert.equal(writes.due(), false, 'still writing');
    let idle = false;
    const waiting = writes.idle().then(() => (idle = true));
    await Promise.resolve();
    assert.equal(idle, false, 'the final write waits');
    now += 30; // the files are written 1040 ms after the start
    finish();
    await waiting;
    assert.equal(idle, true);
    assert.equal(writes.due(), false);
    now += 9 * 1040 - 1;
    assert.equal(writes.due(), false);
    now += 1;
    assert.equal(writes.due(), true);
  });

  it('a background part that fails does not stop the next writes', async () => {
    let now = 0;
    const writes = new ProgressWrites(() => now);
    writes.timed(() => Promise.reject(new Error('disk full')));
    await writes.idle();
    assert.equal(writes.due(), true);
  });
});

