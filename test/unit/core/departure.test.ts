/** §5.9 /BYE, §1.7 drops, QUIT once per user (§8.18), OWNER after QUIT (§2.2), TIMEOUT and SERVER_FULL (§7). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '../../../reference-server/core/index.ts';
import { Sim } from './sim.ts';

describe('/BYE and drops', () => {
  it('/BYE: OK BYE, then close; QUIT once to each user sharing any channel; OWNER after QUIT', () => {
    const sim = new Sim();
    const [a, b, c, d] = ['alice', 'bob', 'carol', 'dave'].map((n) => sim.user(n)) as [number, number, number, number];
    sim.channel('#one', a, b, c);
    sim.channel('#two', a, b);
    sim.channel('#three', c, a);
    assert.deepEqual(sim.lines(a, '/BYE'), ['OK BYE']);
    assert.ok(sim.closed.has(a));
    assert.deepEqual(sim.drain(b), ['QUIT alice', 'OWNER #one bob', 'OWNER #two bob']);
    assert.deepEqual(sim.drain(c), ['QUIT alice', 'OWNER #one bob']);
    assert.deepEqual(sim.drain(d), []);
    assert.equal(sim.send(c, '/WHO'), 'OK WHO #three ~carol');
    assert.deepEqual(sim.stats(), { connections: 3, registered: 3, channels: 3 });
  });

  it('the close effect comes after the QUIT/OWNER effects in the same list', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    const effects = sim.apply(coreLine(sim, a, '/BYE'));
    assert.deepEqual(
      effects.map((e) => (e.kind === 'send' ? e.line : e.kind)),
      ['OK BYE', 'QUIT alice', 'OWNER #room bob', 'close'],
    );
  });

  it('a drop is a /BYE for everybody else, with no reply; the nick is freed; a second close is a no-op (§8.15)', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    sim.drop(a);
    assert.deepEqual(sim.drain(a), []);
    assert.deepEqual(sim.drain(b), ['QUIT alice', 'OWNER #room bob']);
    assert.deepEqual(sim.drop(a), []);
    assert.equal(sim.send(sim.connect(), 'alice'), 'OK WELCOME alice');
  });

  it('a member who is not the owner leaving causes no OWNER; the last member leaving removes the channel', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    sim.drop(b);
    assert.deepEqual(sim.drain(a), ['QUIT bob']);
    sim.drop(a);
    assert.equal(sim.stats().channels, 0);
  });

  it('a user sharing no channel causes no QUIT; an unregistered drop causes nothing', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.send(a, '/JOIN #a');
    sim.send(b, '/JOIN #b');
    sim.drop(a);
    assert.deepEqual(sim.drain(b), []);
    const c = sim.connect();
    assert.deepEqual(sim.drop(c), []);
    assert.deepEqual(sim.stats(), { connections: 1, registered: 1, channels: 1 });
  });
});

describe('limits enforced by the core (§7)', () => {
  it('registration timeout: ERR TIMEOUT then close if unregistered; nothing once registered', () => {
    const sim = new Sim();
    const c = sim.connect();
    sim.drain(c);
    sim.expire(c);
    assert.equal(sim.drain(c)[0]?.split(' ')[1], 'TIMEOUT');
    assert.ok(sim.closed.has(c));
    assert.equal(sim.stats().connections, 0);
    const a = sim.user('alice');
    assert.deepEqual(sim.expire(a), []);
    assert.deepEqual(sim.expire(c), []);
  });

  it('SERVER_FULL beyond maxConnections (registered or not), then close; room again after a departure', () => {
    const sim = new Sim({ maxConnections: 2 });
    const a = sim.user('alice');
    sim.connect();
    const c = sim.connect();
    assert.equal(sim.drain(c)[0]?.split(' ')[1], 'SERVER_FULL');
    assert.ok(sim.closed.has(c));
    assert.equal(sim.stats().connections, 2);
    sim.send(a, '/BYE');
    const d = sim.connect();
    assert.deepEqual(sim.drain(d), ['HELLO chat-conformance 1']);
  });

  it('refuses invalid options', () => {
    assert.throws(() => new Sim({ maxConnections: 0 }), RangeError);
    assert.throws(() => new Sim({ historySize: 1.5 }), RangeError);
    assert.throws(() => new Sim({ serverName: 'two words' }), RangeError);
    assert.doesNotThrow(() => new Sim({ operPassword: undefined, maxFileBytes: undefined }));
  });
});

function coreLine(sim: Sim, conn: number, line: string) {
  return core.lineReceived(sim.state, conn, line);
}
