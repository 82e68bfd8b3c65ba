/**
 * The turn log and the per-connection queues that point into it (reference-server/net/turn-output.ts):
 * each queue gives back exactly its own lines in order, whether they are runs of shared lines, lines
 * of its own, or a mix; queues holding the same single run share one Buffer within a flush.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OutputQueue, TurnLog } from '../../../reference-server/net/turn-output.ts';

const line = (text: string): Buffer => Buffer.from(`${text}\n`);
const text = (data: Buffer | undefined): string => data?.toString('utf8') ?? '(nothing)';

function share(log: TurnLog, queues: OutputQueue[], content: string): void {
  const data = line(content);
  const index = log.append(data);
  for (const queue of queues) queue.pushRun(index, index + 1, data.length);
}

describe('turn output: shared runs and own lines', () => {
  it('gives each queue its own lines in order, and one Buffer to queues with the same run', () => {
    const log = new TurnLog();
    const [a, b, sender, late] = [new OutputQueue(), new OutputQueue(), new OutputQueue(), new OutputQueue()];
    share(log, [a, b], 'MSG one');
    sender.pushOwn(line('OK one'));
    share(log, [a, b], 'MSG two');
    sender.pushOwn(line('OK two'));
    share(log, [a, b, sender], 'JOIN carol');
    late.pushOwn(line('HELLO'));
    share(log, [a, b, late], 'MSG three');

    assert.equal(a.bytes, Buffer.byteLength('MSG one\nMSG two\nJOIN carol\nMSG three\n'));
    log.beginFlush();
    const fromA = a.take(log);
    const fromB = b.take(log);
    assert.equal(text(fromA), 'MSG one\nMSG two\nJOIN carol\nMSG three\n');
    assert.equal(fromA, fromB, 'the same run is concatenated once');
    assert.equal(text(sender.take(log)), 'OK one\nOK two\nJOIN carol\n');
    assert.equal(text(late.take(log)), 'HELLO\nMSG three\n');
    for (const q of [a, b, sender, late]) {
      assert.ok(q.isEmpty);
      assert.equal(q.bytes, 0);
      assert.equal(q.take(log), undefined);
    }
    log.endFlush(false);
  });

  it('a queue that misses a line in the middle gets two runs, not the missing line', () => {
    const log = new TurnLog();
    const [all, some] = [new OutputQueue(), new OutputQueue()];
    share(log, [all, some], '1');
    share(log, [all], '2');
    share(log, [all, some], '3');
    log.beginFlush();
    assert.equal(text(all.take(log)), '1\n2\n3\n');
    assert.equal(text(some.take(log)), '1\n3\n');
    log.endFlush(false);
  });

  it('starts each turn afresh once no queue refers to the log, and keeps it while one does', () => {
    const log = new TurnLog();
    const [a, b] = [new OutputQueue(), new OutputQueue()];
    share(log, [a, b], 'turn 1');
    log.beginFlush();
    assert.equal(text(a.take(log)), 'turn 1\n');
    share(log, [a], 'queued while flushing'); // a line produced during the flush, for the next turn
    assert.equal(text(b.take(log)), 'turn 1\n');
    log.endFlush(true);
    share(log, [a, b], 'turn 2');
    log.beginFlush();
    assert.equal(text(a.take(log)), 'queued while flushing\nturn 2\n');
    assert.equal(text(b.take(log)), 'turn 2\n');
    log.endFlush(false);
    share(log, [a, b], 'turn 3');
    log.beginFlush();
    assert.equal(text(a.take(log)), 'turn 3\n');
    assert.equal(text(b.take(log)), 'turn 3\n');
    log.endFlush(false);
  });

  it('clear() forgets what was queued', () => {
    const log = new TurnLog();
    const q = new OutputQueue();
    share(log, [q], 'x');
    q.pushOwn(line('y'));
    q.clear();
    assert.ok(q.isEmpty);
    log.beginFlush();
    assert.equal(q.take(log), undefined);
  });
});
