/**
 * One read's lines to the same channel reach its members as one run, fanned out once (server.ts, fanOut;
 * turn-output.ts, Broadcast). These tests send bursts in ONE write (so, in practice, one read) in which
 * something else happens between two channel lines: a membership change, a private line to a member,
 * the sender's departure. Each member must still get exactly its lines, in the order they were produced,
 * and nothing after it left.
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../../reference-server/index.ts';
import { join, user, type LineClient } from './helpers.ts';

/** carol creates #burst (so she is its admin), then alice and bob join; every JOIN event drained. */
async function room(t: TestContext): Promise<{ carol: LineClient; alice: LineClient; bob: LineClient }> {
  const server = await startServer({ port: 0, log: () => {} });
  t.after(() => server.close());
  const carol = await user(t, server.port, 'carol');
  const alice = await user(t, server.port, 'alice');
  const bob = await user(t, server.port, 'bob');
  for (const client of [carol, alice, bob]) await join(client, '#burst');
  for (const client of [carol, alice, bob]) await client.sync();
  return { carol, alice, bob };
}

describe('server: a burst of channel lines is fanned out as one run', () => {
  it('a member kicked in the middle of a burst gets the lines before the kick and none after', async (t) => {
    const { carol, alice, bob } = await room(t);
    await carol.write('one\ntwo\n/KICK bob\nthree\n');
    assert.deepEqual(await carol.sync('c'), ['OK SAY #burst', 'OK SAY #burst', 'OK KICK #burst bob', 'OK SAY #burst']);
    assert.deepEqual(await alice.sync('a'), ['MSG #burst carol one', 'MSG #burst carol two', 'KICK #burst bob carol', 'MSG #burst carol three']);
    assert.deepEqual(await bob.sync('b'), ['MSG #burst carol one', 'MSG #burst carol two', 'KICK #burst bob carol']);
  });

  it('a private line to a member between two channel lines arrives between them', async (t) => {
    const { carol, alice, bob } = await room(t);
    await carol.write('one\n/MSG alice psst\ntwo\nthree\n');
    assert.deepEqual(await carol.sync('c'), ['OK SAY #burst', 'OK MSG alice', 'OK SAY #burst', 'OK SAY #burst']);
    assert.deepEqual(await alice.sync('a'), ['MSG #burst carol one', 'PRIV carol psst', 'MSG #burst carol two', 'MSG #burst carol three']);
    assert.deepEqual(await bob.sync('b'), ['MSG #burst carol one', 'MSG #burst carol two', 'MSG #burst carol three']);
  });

  it('a sender who leaves after a burst: the members get the burst, then its departure', async (t) => {
    const { carol, alice, bob } = await room(t);
    await carol.write('one\ntwo\n/BYE\n');
    for (const [client, mark] of [[alice, 'a'], [bob, 'b']] as const) {
      const lines = await client.sync(mark);
      assert.deepEqual(lines.slice(0, 2), ['MSG #burst carol one', 'MSG #burst carol two'], `${mark}: the burst first`);
      assert.ok(lines.slice(2).some((line) => line.startsWith('QUIT carol')), `${mark}: then carol's departure: ${lines.join(' | ')}`);
      assert.ok(!lines.slice(2).some((line) => line.startsWith('MSG ')), `${mark}: nothing said after /BYE`);
    }
  });

  it('bursts from two senders one after the other reach each member in order, each line once', async (t) => {
    const { carol, alice, bob } = await room(t);
    // Each sender's lines are a run of their own (its recipients leave the sender out): alice's run must
    // not extend carol's, or carol would get her own lines back and alice hers.
    await carol.write('c1\nc2\n');
    assert.deepEqual(await carol.sync('c'), ['OK SAY #burst', 'OK SAY #burst']);
    await alice.write('a1\na2\n');
    assert.deepEqual(await alice.sync('a'), ['MSG #burst carol c1', 'MSG #burst carol c2', 'OK SAY #burst', 'OK SAY #burst']);
    assert.deepEqual(await bob.sync('b'), ['MSG #burst carol c1', 'MSG #burst carol c2', 'MSG #burst alice a1', 'MSG #burst alice a2']);
    assert.deepEqual(await carol.sync('c2'), ['MSG #burst alice a1', 'MSG #burst alice a2']);
  });
});
