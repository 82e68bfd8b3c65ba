/**
 * The flush of one event-loop turn concatenates a queue once and reuses the result for the next
 * connection whose queue holds the very same Buffers (server.ts, takeShared). These tests make one turn
 * produce queues that are identical, that differ only in an earlier line, and that have the same length
 * but other lines, and check that every client still receives exactly its own lines, in order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../../reference-server/index.ts';
import { join, user } from './helpers.ts';

describe('server: output shared between recipients of one turn', () => {
  it('gives each recipient its own lines in order, whether its queue matches another one or not', async (t) => {
    const server = await startServer({ port: 0, log: () => {} });
    t.after(() => server.close());
    const carol = await user(t, server.port, 'carol');
    const alice = await user(t, server.port, 'alice');
    const bob = await user(t, server.port, 'bob');
    const erin = await user(t, server.port, 'erin');
    const frank = await user(t, server.port, 'frank');
    const grace = await user(t, server.port, 'grace');
    const harry = await user(t, server.port, 'harry');
    const dave = await user(t, server.port, 'dave');
    await join(carol, '#shared');
    for (const client of [alice, bob, erin, frank, grace, harry]) await join(client, '#shared');
    await join(carol, '#other');
    await join(dave, '#other');
    for (const client of [carol, alice, bob, erin, frank, grace, harry, dave]) await client.sync(); // drains JOIN events

    // One write, so (in practice) one turn. Flush order follows first output: alice, bob, erin, frank,
    // grace, harry, dave.
    // alice [PRIV, one, two] and bob [PRIV', one, two]: same length, differ in the first line only.
    // erin and frank [one, two]: the very same Buffers, frank gets erin's concatenation.
    // grace [one, two, PRIV] and harry [one, two, PRIV']: same length, differ in the last line only.
    // dave [three, four]: same length as erin's queue, other lines.
    await carol.write(
      '/CURRENT #shared\n/MSG alice for-alice\n/MSG bob for-bob\none\ntwo\n/MSG grace for-grace\n/MSG harry for-harry\n' +
        '/CURRENT #other\nthree\nfour\n',
    );

    // The sender's replies first: until they arrive, nobody else sends a line that could join that turn.
    assert.deepEqual(await carol.sync('c'), [
      'OK CURRENT #shared',
      'OK MSG alice',
      'OK MSG bob',
      'OK SAY #shared',
      'OK SAY #shared',
      'OK MSG grace',
      'OK MSG harry',
      'OK CURRENT #other',
      'OK SAY #other',
      'OK SAY #other',
    ]);
    assert.deepEqual(await alice.sync('a'), ['PRIV carol for-alice', 'MSG #shared carol one', 'MSG #shared carol two']);
    assert.deepEqual(await bob.sync('b'), ['PRIV carol for-bob', 'MSG #shared carol one', 'MSG #shared carol two']);
    assert.deepEqual(await erin.sync('e'), ['MSG #shared carol one', 'MSG #shared carol two']);
    assert.deepEqual(await frank.sync('f'), ['MSG #shared carol one', 'MSG #shared carol two']);
    assert.deepEqual(await grace.sync('g'), ['MSG #shared carol one', 'MSG #shared carol two', 'PRIV carol for-grace']);
    assert.deepEqual(await harry.sync('h'), ['MSG #shared carol one', 'MSG #shared carol two', 'PRIV carol for-harry']);
    assert.deepEqual(await dave.sync('d'), ['MSG #other carol three', 'MSG #other carol four']);
  });

  it('does not reuse one turn\'s output in the next turn', async (t) => {
    const server = await startServer({ port: 0, log: () => {} });
    t.after(() => server.close());
    const sender = await user(t, server.port, 'sender');
    const first = await user(t, server.port, 'first');
    const second = await user(t, server.port, 'second');
    for (const client of [sender, first, second]) await join(client, '#turns');
    for (const client of [sender, first, second]) await client.sync();

    for (let round = 0; round < 3; round++) {
      await sender.write(`r${round}a\nr${round}b\n`);
      assert.deepEqual(await sender.sync(`s${round}`), ['OK SAY #turns', 'OK SAY #turns']);
      for (const client of [first, second]) {
        assert.deepEqual(await client.sync(`x${round}`), [`MSG #turns sender r${round}a`, `MSG #turns sender r${round}b`]);
      }
    }
  });
});
