/** §5.6 plain messages, §5.7 /MSG, §5.17 /HISTORY. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '../../../reference-server/core/index.ts';
import { Sim } from './sim.ts';

function room(): { sim: Sim; a: number; b: number; c: number; d: number } {
  const sim = new Sim();
  const [a, b, c, d] = ['alice', 'bob', 'carol', 'dave'].map((n) => sim.user(n)) as [number, number, number, number];
  sim.channel('#room', a, b, c);
  return { sim, a, b, c, d };
}

describe('plain messages (§5.6)', () => {
  it('reaches every other member as MSG, never the sender (OK SAY), nor non-members (§8.3)', () => {
    const { sim, a, b, c, d } = room();
    assert.deepEqual(sim.lines(a, '  hello   world  '), ['OK SAY #room']);
    assert.deepEqual(sim.drain(b), ['MSG #room alice hello   world']);
    assert.deepEqual(sim.drain(c), ['MSG #room alice hello   world']);
    assert.deepEqual(sim.drain(d), []);
  });

  it('is one send effect to the shared member array, except the sender', () => {
    const { sim, a } = room();
    const effects = sim.apply(coreSay(sim, a, 'x'));
    const sends = effects.filter((e) => e.kind === 'send' && e.line.startsWith('MSG'));
    assert.equal(sends.length, 1);
    const first = sends[0]!;
    assert.ok(first.kind === 'send' && first.except === a && first.to.length === 3);
    const again = sim.apply(coreSay(sim, a, 'y')).find((e) => e.kind === 'send' && e.line.startsWith('MSG'));
    assert.ok(again?.kind === 'send' && first.kind === 'send' && again.to === first.to, 'recipient array is cached');
  });

  it('in the lobby answers NO_CHANNEL and reaches nobody (§8.4)', () => {
    const { sim, b, d } = room();
    assert.equal(sim.code(d, 'anyone?'), 'NO_CHANNEL');
    assert.deepEqual(sim.drain(b), []);
  });

  it('goes to the current channel only', () => {
    const { sim, a, b, d } = room();
    sim.send(a, '/JOIN #other');
    sim.send(d, '/JOIN #other');
    sim.drainAll();
    sim.send(a, 'in other');
    assert.deepEqual(sim.drain(b), []);
    assert.deepEqual(sim.drain(d), ['MSG #other alice in other']);
    sim.send(a, '/CURRENT #room');
    sim.send(a, 'in room');
    assert.deepEqual(sim.drain(b), ['MSG #room alice in room']);
    assert.deepEqual(sim.drain(d), []);
  });
});

function coreSay(sim: Sim, conn: number, text: string) {
  return core.lineReceived(sim.state, conn, text);
}

describe('/MSG (§5.7)', () => {
  it('sends PRIV <sender> <text> to one target; OK MSG <nick> to the sender', () => {
    const { sim, a, b, c } = room();
    assert.equal(sim.send(a, '/MSG bob  hi  there'), 'OK MSG bob');
    assert.deepEqual(sim.drain(b), ['PRIV alice hi  there']);
    assert.deepEqual(sim.drain(c), []);
  });

  it('sends once to each of several targets, duplicates removed, self allowed (§8.12)', () => {
    const { sim, a, b, c } = room();
    assert.deepEqual(sim.lines(a, '/MSG bob;carol;bob;alice yo'), ['PRIV alice yo', 'OK MSG bob;carol;alice']);
    assert.deepEqual(sim.drain(b), ['PRIV alice yo']);
    assert.deepEqual(sim.drain(c), ['PRIV alice yo']);
  });

  it('is all or nothing: one target outside the current channel means NO_SUCH_NICK and nobody receives (§8.13)', () => {
    const { sim, a, b, c } = room();
    const reply = sim.send(a, '/MSG bob;dave;carol hi');
    assert.match(reply, /^ERR NO_SUCH_NICK dave/);
    assert.equal(sim.code(a, '/MSG nobody hi'), 'NO_SUCH_NICK');
    assert.deepEqual(sim.drain(b), []);
    assert.deepEqual(sim.drain(c), []);
  });

  it('targets must be in the current channel, not merely in another shared one', () => {
    const { sim, a, d } = room();
    sim.channel('#other', d, a);
    sim.send(a, '/CURRENT #room');
    assert.equal(sim.code(a, '/MSG dave hi'), 'NO_SUCH_NICK');
    assert.deepEqual(sim.drain(d), []);
  });

  it('empty target elements and missing text are SYNTAX; the lobby is NO_CHANNEL', () => {
    const { sim, a, d } = room();
    for (const line of ['/MSG bob;;carol hi', '/MSG bob; hi', '/MSG ;bob hi', '/MSG ; hi', '/MSG bob']) {
      assert.equal(sim.code(a, line), 'SYNTAX', line);
    }
    assert.equal(sim.code(d, '/MSG bob hi'), 'NO_CHANNEL');
    assert.equal(sim.code(d, '/MSG bob;;x hi'), 'SYNTAX');
  });
});

describe('/HISTORY (§5.17)', () => {
  it('returns the last 20 plain messages by default, oldest first, as HISTORY lines then OK HISTORY <ch> <count>', () => {
    const { sim, a, b } = room();
    for (let i = 1; i <= 25; i++) sim.send(i % 2 ? a : b, `m${i}`);
    const lines = sim.lines(b, '/HISTORY');
    assert.equal(lines.length, 21);
    assert.equal(lines[0], 'HISTORY #room bob m6');
    assert.equal(lines[19], 'HISTORY #room alice m25');
    assert.equal(lines[20], 'OK HISTORY #room 20');
  });

  it('returns n messages when asked, fewer when fewer exist, and keeps only plain messages', () => {
    const { sim, a, b } = room();
    sim.send(a, 'one');
    sim.send(a, '/MSG bob private');
    sim.send(b, '//slash');
    sim.send(a, '/HISTORY 1'); // not a message
    assert.deepEqual(sim.lines(a, '/HISTORY 2'), ['HISTORY #room alice one', 'HISTORY #room bob /slash', 'OK HISTORY #room 2']);
    assert.deepEqual(sim.lines(a, '/HISTORY 100'), ['HISTORY #room alice one', 'HISTORY #room bob /slash', 'OK HISTORY #room 2']);
  });

  it('accepts n from 1 to 100 only', () => {
    const { sim, a, d } = room();
    for (const n of ['0', '101', '-1', 'x', '1.5', '+3', '99999']) assert.equal(sim.code(a, `/HISTORY ${n}`), 'SYNTAX', n);
    for (const n of ['1', '100', '007']) assert.match(sim.send(a, `/HISTORY ${n}`), /^OK HISTORY #room 0$/, n);
    assert.equal(sim.code(d, '/HISTORY'), 'NO_CHANNEL');
  });

  it('remembers the last historySize messages per channel (oldest forgotten)', () => {
    const sim = new Sim({ historySize: 3 });
    const a = sim.user('alice');
    sim.send(a, '/JOIN #room');
    for (const text of ['1', '2', '3', '4', '5']) sim.send(a, text);
    assert.deepEqual(sim.lines(a, '/HISTORY'), ['HISTORY #room alice 3', 'HISTORY #room alice 4', 'HISTORY #room alice 5', 'OK HISTORY #room 3']);
    const big = new Sim();
    const b = big.user('bob');
    big.send(b, '/JOIN #r');
    for (let i = 1; i <= 130; i++) big.send(b, `x${i}`);
    const lines = big.lines(b, '/HISTORY 100');
    assert.equal(lines[0], 'HISTORY #r bob x31');
    assert.equal(lines.at(-1), 'OK HISTORY #r 100');
  });

  it('keeps the nick the message was sent under', () => {
    const { sim, a } = room();
    sim.send(a, 'before');
    sim.send(a, '/NICK ann');
    sim.send(a, 'after');
    assert.deepEqual(sim.lines(a, '/HISTORY'), ['HISTORY #room alice before', 'HISTORY #room ann after', 'OK HISTORY #room 2']);
  });
});
