/**
 * The server-wide limits of PROTOCOL.md §7 that bound the whole process, not one connection: bytes of
 * waiting files, bytes of history of every channel, connections per address; and the idle timeout's
 * core half. Sock puppets must not be able to add up what each per-connection limit allows.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '../../../reference-server/core/index.ts';
import { Sim } from './sim.ts';

const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

describe('server-wide bytes of waiting files (maxPendingFileBytes)', () => {
  it('an announced size counts at once; one more /SEND past the total is ERR LIMIT, whoever the recipient', () => {
    const sim = new Sim({ maxPendingFileBytes: 10, maxFileBytes: 8 });
    const [ann, bob, cy] = [sim.user('ann'), sim.user('bob'), sim.user('cy')];
    sim.channel('#r', ann, bob, cy);
    assert.equal(sim.send(ann, '/SEND bob a 6'), 'OK SEND bob a 6');
    assert.equal(sim.code(cy, '/SEND ann b 5'), 'LIMIT', 'bob is owed 6, 6 + 5 > 10');
    assert.equal(sim.send(cy, '/SEND ann b 4'), 'OK SEND ann b 4');
    assert.equal(sim.state.pendingFileBytes, 10);
  });

  it('the bytes come back when a file is received, abandoned, replaced, or its recipient leaves', () => {
    const sim = new Sim({ maxPendingFileBytes: 6, maxFileBytes: 6 });
    const [ann, bob] = [sim.user('ann'), sim.user('bob')];
    sim.channel('#r', ann, bob);
    sim.send(ann, '/SEND bob a 6');
    assert.equal(sim.send(ann, '/SEND bob a 3'), 'OK SEND bob a 3', 'a replaced upload gives its bytes back');
    assert.equal(sim.state.pendingFileBytes, 3);
    sim.send(ann, `/DATA ${b64(3)}`);
    assert.equal(sim.state.pendingFileBytes, 3, 'the complete file keeps the reservation');
    sim.drainAll();
    assert.match(sim.send(bob, '/RECV a'), /^OK RECV a 3 ann$/);
    assert.equal(sim.state.pendingFileBytes, 0, 'received: given back');
    sim.send(ann, '/SEND bob c 6');
    sim.send(ann, '/DATA !!!');
    assert.equal(sim.state.pendingFileBytes, 0, 'abandoned (bad base64): given back');
    sim.send(ann, '/SEND bob d 2');
    sim.send(ann, `/DATA ${b64(2)}`);
    sim.send(ann, '/SEND bob e 4');
    assert.equal(sim.state.pendingFileBytes, 6);
    sim.drop(bob);
    assert.equal(sim.state.pendingFileBytes, 4, 'the departed recipient\'s waiting file is dropped, the open upload to them still reserved');
    sim.send(ann, `/DATA ${b64(4)}`);
    assert.equal(sim.state.pendingFileBytes, 0, 'completed for a recipient who left: dropped and given back');
  });

  it('16 sock puppets x their per-recipient limit cannot pass the server-wide total', () => {
    const sim = new Sim({ maxPendingFileBytes: 64, maxFileBytes: 8, maxPendingFiles: 8 });
    const sender = sim.user('sender');
    const puppets = Array.from({ length: 16 }, (_, i) => sim.user(`p${i}`));
    sim.channel('#r', sender, ...puppets);
    let accepted = 0;
    for (let i = 0; i < 16; i++) {
      for (let f = 0; f < 8; f++) {
        if (sim.send(sender, `/SEND p${i} f${f} 8`).startsWith('OK')) {
          sim.send(sender, `/DATA ${b64(8)}`);
          accepted++;
        }
      }
    }
    assert.equal(accepted, 8, '64 bytes of 8-byte files');
    assert.ok(sim.state.pendingFileBytes <= 64);
  });
});

describe('server-wide bytes of history (maxHistoryBytes)', () => {
  it('past the budget the oldest messages of the whole server are forgotten first; /HISTORY still answers', () => {
    const line = 'x'.repeat(100); // charged 100 + nick + 64 bytes of overhead
    const sim = new Sim({ maxHistoryBytes: 3 * (100 + 3 + 64), historySize: 100 });
    const ann = sim.user('ann');
    sim.send(ann, '/JOIN #a');
    sim.send(ann, `${line} 1`.slice(-100));
    sim.send(ann, '/JOIN #b');
    for (let i = 2; i <= 4; i++) sim.send(ann, `${line} ${i}`.slice(-100));
    assert.ok(sim.state.historyBudget.bytes <= 3 * 167);
    sim.send(ann, '/CURRENT #a');
    assert.deepEqual(sim.lines(ann, '/HISTORY 20'), ['OK HISTORY #a 0'], "#a's message was the server's oldest");
    sim.send(ann, '/CURRENT #b');
    assert.equal(sim.lines(ann, '/HISTORY 20').length, 4, '#b keeps its three');
  });

  it('a channel that empties gives its history bytes back', () => {
    const sim = new Sim();
    const ann = sim.user('ann');
    for (let c = 0; c < 50; c++) {
      sim.send(ann, `/JOIN #c${c}`);
      for (let i = 0; i < 10; i++) sim.send(ann, 'y'.repeat(1000));
    }
    assert.ok(sim.state.historyBudget.bytes > 50 * 10 * 1000);
    for (let c = 0; c < 50; c++) sim.send(ann, `/CURRENT #c${c}`), sim.send(ann, '/LEAVE');
    assert.equal(sim.state.channels.size, 0);
    assert.equal(sim.state.historyBudget.bytes, 0);
  });

  it('the per-channel ring still forgets its own oldest, and its bytes with them', () => {
    const sim = new Sim({ historySize: 2 });
    const ann = sim.user('ann');
    sim.send(ann, '/JOIN #r');
    for (const text of ['one', 'two', 'three']) sim.send(ann, text);
    assert.deepEqual(sim.lines(ann, '/HISTORY 9'), ['HISTORY #r ann two', 'HISTORY #r ann three', 'OK HISTORY #r 2']);
    assert.equal(sim.state.historyBudget.bytes, 2 * (3 + 64) + 3 + 5);
  });

  it('messages a ring forgot are not kept for the budget: a busy channel holds bounded records', () => {
    const sim = new Sim({ historySize: 5 });
    const ann = sim.user('ann');
    const bob = sim.user('bob');
    sim.send(ann, '/JOIN #quiet');
    sim.send(ann, 'the only message of #quiet, older than everything after it');
    sim.send(bob, '/JOIN #busy');
    for (let i = 0; i < 5000; i++) sim.send(bob, `message ${i}`);
    // One live entry of #quiet, then #busy's last five (plus at most a compaction's slack of dead ones).
    assert.ok(sim.state.historyBudget.recordsHeld <= 6 + 2 * 1024, `records held: ${sim.state.historyBudget.recordsHeld}`);
    assert.deepEqual(sim.lines(bob, '/HISTORY 2'), ['HISTORY #busy bob message 4998', 'HISTORY #busy bob message 4999', 'OK HISTORY #busy 2']);
    assert.deepEqual(sim.lines(ann, '/HISTORY 2'), ['HISTORY #quiet ann the only message of #quiet, older than everything after it', 'OK HISTORY #quiet 1']);
    assert.equal(sim.state.historyBudget.bytes, (3 + 58 + 64) + 5 * (3 + 64) + 5 * 12);
  });

  it('a single busy channel: the records it forgot are passed at once', () => {
    const sim = new Sim({ historySize: 3 });
    const ann = sim.user('ann');
    sim.send(ann, '/JOIN #one');
    for (let i = 0; i < 3000; i++) sim.send(ann, `m${i}`);
    assert.equal(sim.state.historyBudget.recordsHeld, 3);
  });
});

describe('connections per address (maxConnectionsPerAddress)', () => {
  it('one more from the same address is ERR SERVER_FULL and closed; other addresses are unaffected; a departure frees a slot', () => {
    const sim = new Sim({ maxConnectionsPerAddress: 2 });
    const a1 = sim.connect('10.0.0.1');
    sim.connect('10.0.0.1');
    const a3 = sim.connect('10.0.0.1');
    assert.match(sim.drain(a3)[0]!, /^ERR SERVER_FULL /);
    assert.ok(sim.closed.has(a3));
    const b1 = sim.connect('10.0.0.2');
    assert.match(sim.drain(b1)[0]!, /^HELLO /);
    sim.drop(a1);
    const a4 = sim.connect('10.0.0.1');
    assert.match(sim.drain(a4)[0]!, /^HELLO /);
  });

  it('0 (the default) counts nothing', () => {
    const sim = new Sim();
    for (let i = 0; i < 20; i++) assert.match(sim.drain(sim.connect('10.0.0.1'))[0]!, /^HELLO /);
    assert.equal(sim.state.connectionsByAddress.size, 0);
  });
});

describe('idle timeout (the core half; the timer is the network layer\'s)', () => {
  it('an idle registered user gets ERR TIMEOUT, others see QUIT, the connection is closed', () => {
    const sim = new Sim();
    const [ann, bob] = [sim.user('ann'), sim.user('bob')];
    sim.channel('#r', ann, bob);
    sim.apply(core.idleExpired(sim.state, ann));
    assert.ok(sim.closed.has(ann));
    assert.deepEqual(sim.drain(bob), ['QUIT ann', 'OWNER #r bob']);
    assert.deepEqual(core.idleExpired(sim.state, ann), [], 'an unknown connection: nothing');
  });
});

describe('options', () => {
  it('the new limits are validated', () => {
    assert.throws(() => core.createServerState({ maxPendingFileBytes: 0 }), RangeError);
    assert.throws(() => core.createServerState({ maxHistoryBytes: 1.5 }), RangeError);
    assert.throws(() => core.createServerState({ maxConnectionsPerAddress: -1 }), RangeError);
  });
});
