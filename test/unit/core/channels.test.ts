/** §4 channels, ownership and the lobby; §5.3 LIST, §5.4 JOIN, §5.5 LEAVE, §5.8 WHO, §5.12 CURRENT. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.ts';

function three(): { sim: Sim; a: number; b: number; c: number } {
  const sim = new Sim();
  return { sim, a: sim.user('alice'), b: sim.user('bob'), c: sim.user('carol') };
}

describe('/JOIN (§5.4)', () => {
  it('creates a channel with its creator as owner; later joiners are members and the others see JOIN', () => {
    const { sim, a, b, c } = three();
    assert.equal(sim.send(a, '/JOIN #room'), 'OK JOIN #room owner');
    assert.equal(sim.send(b, '/JOIN #room'), 'OK JOIN #room member');
    assert.deepEqual(sim.last, ['OK JOIN #room member']);
    assert.deepEqual(sim.drain(a), ['JOIN #room bob']);
    assert.equal(sim.send(c, '/JOIN #room'), 'OK JOIN #room member');
    assert.deepEqual(sim.drain(a), ['JOIN #room carol']);
    assert.deepEqual(sim.drain(b), ['JOIN #room carol']);
    assert.equal(sim.send(c, '/WHO'), 'OK WHO #room ~alice bob carol');
  });

  it('refuses an invalid channel name', () => {
    const { sim, a } = three();
    for (const name of ['a b', 'x'.repeat(33), 'caf\u00e9', 'a/b', 'a;b', 'a,b', 'a@b']) {
      assert.equal(sim.code(a, `/JOIN ${name}`), name.includes(' ') ? 'SYNTAX' : 'CHANNEL_INVALID', name);
    }
    for (const name of ['x', 'room', '#room', '#Room', 'a.b-c_d#1', 'y'.repeat(32)]) {
      assert.equal(sim.send(a, `/JOIN ${name}`), `OK JOIN ${name} owner`, name);
    }
  });

  it('ALREADY_MEMBER leaves the current channel unchanged (§8.5)', () => {
    const { sim, a } = three();
    sim.send(a, '/JOIN #one');
    sim.send(a, '/JOIN #two');
    assert.equal(sim.code(a, '/JOIN #one'), 'ALREADY_MEMBER');
    assert.equal(sim.send(a, '/CURRENT'), 'OK CURRENT #two');
  });

  it('lets a user be a member of several channels and receive messages of each, labelled', () => {
    const { sim, a, b } = three();
    sim.channel('#one', a, b);
    sim.channel('#two', a, b);
    sim.send(a, '/CURRENT #one');
    sim.send(a, 'to one');
    sim.send(a, '/CURRENT #two');
    sim.send(a, 'to two');
    assert.deepEqual(sim.drain(b), ['MSG #one alice to one', 'MSG #two alice to two']);
  });
});

describe('/LEAVE (§5.5) and succession (§4.3)', () => {
  it('puts the user in the lobby, even with other memberships, and tells the remaining members (§8.6)', () => {
    const { sim, a, b } = three();
    sim.channel('#one', a, b);
    sim.channel('#two', a, b);
    assert.equal(sim.send(b, '/LEAVE'), 'OK LEAVE #two');
    assert.deepEqual(sim.last, ['OK LEAVE #two']);
    assert.deepEqual(sim.drain(a), ['LEAVE #two bob']);
    assert.equal(sim.code(b, '/CURRENT'), 'NO_CHANNEL');
    assert.equal(sim.code(b, 'hello'), 'NO_CHANNEL');
    assert.equal(sim.send(b, '/CURRENT #one'), 'OK CURRENT #one');
    assert.equal(sim.code(b, '/CURRENT #two'), 'NOT_MEMBER');
  });

  it('answers NO_CHANNEL in the lobby', () => {
    const { sim, a } = three();
    assert.equal(sim.code(a, '/LEAVE'), 'NO_CHANNEL');
  });

  it('passes ownership to the earliest-joined remaining member, not to a later granted admin: LEAVE then OWNER', () => {
    const { sim, a, b, c } = three();
    sim.channel('#room', a, b, c);
    sim.send(a, '/GRANT carol');
    sim.drainAll();
    assert.equal(sim.send(a, '/LEAVE'), 'OK LEAVE #room');
    assert.deepEqual(sim.drain(b), ['LEAVE #room alice', 'OWNER #room bob']);
    assert.deepEqual(sim.drain(c), ['LEAVE #room alice', 'OWNER #room bob']);
    assert.equal(sim.send(c, '/WHO'), 'OK WHO #room ~bob @carol');
    assert.equal(sim.send(b, '/REVOKE carol'), 'OK REVOKE #room carol');
  });

  it('a granted admin who becomes owner is marked ~ only', () => {
    const { sim, a, b, c } = three();
    sim.channel('#room', a, b, c);
    sim.send(a, '/GRANT bob');
    sim.send(a, '/LEAVE');
    assert.equal(sim.send(c, '/WHO'), 'OK WHO #room ~bob carol');
    assert.equal(sim.code(b, '/REVOKE bob'), 'NOT_ALLOWED');
  });

  it('a member who leaves and joins again is a plain member, last in join order (§4.4)', () => {
    const { sim, a, b, c } = three();
    sim.channel('#room', a, b, c);
    sim.send(a, '/GRANT bob');
    sim.send(b, '/LEAVE');
    sim.send(b, '/JOIN #room');
    assert.equal(sim.send(a, '/WHO'), 'OK WHO #room ~alice carol bob');
    sim.send(a, '/LEAVE');
    assert.equal(sim.send(b, '/WHO'), 'OK WHO #room ~carol bob');
  });

  it('an empty channel disappears with its history; joining its name creates a new one (§4.5, §8.16)', () => {
    const { sim, a, b } = three();
    sim.channel('#room', a, b);
    sim.send(a, 'remember me');
    sim.send(b, '/LEAVE');
    sim.send(a, '/LEAVE');
    assert.equal(sim.send(a, '/LIST'), 'OK LIST');
    assert.equal(sim.stats().channels, 0);
    assert.equal(sim.send(b, '/JOIN #room'), 'OK JOIN #room owner');
    assert.equal(sim.send(b, '/HISTORY'), 'OK HISTORY #room 0');
  });
});

describe('/WHO, /LIST, /CURRENT', () => {
  it('/WHO lists members in join order with ~owner and @granted admin, caller included (§5.8)', () => {
    const sim = new Sim();
    const [a, b, c, d] = ['alice', 'bob', 'carol', 'dave'].map((n) => sim.user(n)) as [number, number, number, number];
    sim.channel('#room', a, b, c, d);
    sim.send(a, '/GRANT carol');
    assert.equal(sim.send(d, '/WHO'), 'OK WHO #room ~alice bob @carol dave');
    assert.equal(sim.code(sim.user('eve'), '/WHO'), 'NO_CHANNEL');
  });

  it('/LIST sorts every channel by code point, works in the lobby, OK LIST alone when none (§5.3)', () => {
    const { sim, a, b } = three();
    assert.equal(sim.send(a, '/LIST'), 'OK LIST');
    for (const name of ['b', '#b', 'B', '#a', 'a', '.x', '9']) sim.send(a, `/JOIN ${name}`);
    assert.equal(sim.send(b, '/LIST'), 'OK LIST #a #b .x 9 B a b');
  });

  it('/CURRENT shows or selects the current channel, without events (§5.12)', () => {
    const { sim, a, b } = three();
    assert.equal(sim.code(a, '/CURRENT'), 'NO_CHANNEL');
    sim.channel('#one', a, b);
    sim.channel('#two', a, b);
    assert.equal(sim.send(a, '/CURRENT'), 'OK CURRENT #two');
    assert.equal(sim.send(a, '/CURRENT #one'), 'OK CURRENT #one');
    assert.equal(sim.send(a, '/CURRENT #one'), 'OK CURRENT #one');
    assert.equal(sim.send(a, 'hi'), 'OK SAY #one');
    assert.equal(sim.code(a, '/CURRENT #three'), 'NOT_MEMBER');
    assert.equal(sim.code(a, '/CURRENT bad/name'), 'CHANNEL_INVALID');
    assert.equal(sim.send(a, '/CURRENT'), 'OK CURRENT #one');
    assert.deepEqual(sim.drain(b), ['MSG #one alice hi']);
  });
});
