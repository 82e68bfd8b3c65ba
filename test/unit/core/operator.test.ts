/** §5.18 operator commands and the server console; BANNED on connect. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.ts';

function opers() {
  const sim = new Sim({ operPassword: 's3cret' });
  const a = sim.user('alice', '10.0.0.1');
  const b = sim.user('bob', '10.0.0.2');
  const c = sim.user('carol', '10.0.0.3');
  return { sim, a, b, c };
}

describe('/OPER', () => {
  it('OK OPER with the password, BAD_PASSWORD otherwise, and always without a server password', () => {
    const { sim, a } = opers();
    assert.equal(sim.code(a, '/OPER wrong'), 'BAD_PASSWORD');
    assert.equal(sim.code(a, '/GLOBAL hi'), 'NOT_OPER');
    assert.equal(sim.send(a, '/OPER s3cret'), 'OK OPER');
    assert.equal(sim.send(a, '/GLOBAL hi'), 'OK GLOBAL');
    const none = new Sim();
    const x = none.user('x');
    assert.equal(none.code(x, '/OPER '), 'SYNTAX');
    assert.equal(none.code(x, '/OPER undefined'), 'BAD_PASSWORD');
    assert.equal(none.code(x, '/OPER s3cret'), 'BAD_PASSWORD');
  });

  it('every operator command is NOT_OPER without /OPER, after SYNTAX', () => {
    const { sim, a, b } = opers();
    for (const line of ['/GLOBAL hi', '/KILL bob', '/BAN bob', '/UNBAN 1.2.3.4', '/KILL nobody']) {
      assert.equal(sim.code(a, line), 'NOT_OPER', line);
    }
    assert.equal(sim.code(a, '/KILL'), 'SYNTAX');
    assert.deepEqual(sim.drain(b), []);
  });

  it('operator status ends with the connection', () => {
    const { sim, a } = opers();
    sim.send(a, '/OPER s3cret');
    sim.send(a, '/BYE');
    const again = sim.user('alice');
    assert.equal(sim.code(again, '/GLOBAL hi'), 'NOT_OPER');
  });
});

describe('/GLOBAL', () => {
  it('reaches every other registered user, in a channel or not, but not unregistered connections', () => {
    const { sim, a, b, c } = opers();
    const pending = sim.connect();
    sim.drain(pending);
    sim.channel('#room', b, c);
    sim.send(a, '/OPER s3cret');
    assert.deepEqual(sim.lines(a, '/GLOBAL  server going down  soon'), ['OK GLOBAL']);
    assert.deepEqual(sim.drain(b), ['GLOBAL alice server going down  soon']);
    assert.deepEqual(sim.drain(c), ['GLOBAL alice server going down  soon']);
    assert.deepEqual(sim.drain(pending), []);
  });
});

describe('/KILL and /BAN', () => {
  it('/KILL: KILLED to the target, then close; QUIT and OWNER to the others; OK KILL to the operator', () => {
    const { sim, a, b, c } = opers();
    sim.channel('#room', b, c);
    sim.send(a, '/OPER s3cret');
    assert.deepEqual(sim.lines(a, '/KILL bob'), ['OK KILL bob']);
    const got = sim.drain(b);
    assert.equal(got.length, 1);
    assert.match(got[0]!, /^KILLED alice \S/);
    assert.ok(sim.closed.has(b));
    assert.deepEqual(sim.drain(c), ['QUIT bob', 'OWNER #room carol']);
    assert.equal(sim.code(a, '/KILL bob'), 'NO_SUCH_NICK');
    assert.equal(sim.send(sim.connect('10.0.0.2'), 'bob'), 'OK WELCOME bob'); // not banned
  });

  it('the operator sharing a channel gets no QUIT for its own kill, but does get OWNER if it becomes owner', () => {
    const { sim, a, b, c } = opers();
    sim.channel('#room', b, a, c);
    sim.send(a, '/OPER s3cret');
    assert.deepEqual(sim.lines(a, '/KILL bob'), ['OWNER #room alice', 'OK KILL bob']);
    assert.deepEqual(sim.drain(c), ['QUIT bob', 'OWNER #room alice']);
  });

  it('killing oneself is NOT_ALLOWED; an unknown or unregistered nick is NO_SUCH_NICK', () => {
    const { sim, a } = opers();
    sim.send(a, '/OPER s3cret');
    assert.equal(sim.code(a, '/KILL alice'), 'NOT_ALLOWED');
    assert.equal(sim.code(a, '/BAN alice'), 'NOT_ALLOWED');
    assert.equal(sim.code(a, '/KILL nobody'), 'NO_SUCH_NICK');
    assert.equal(sim.code(a, '/BAN nobody'), 'NO_SUCH_NICK');
    assert.ok(!sim.closed.has(a));
  });

  it('/BAN: like /KILL, OK BAN <nick> <address>, and new connections from the address get ERR BANNED and close', () => {
    const { sim, a, b, c } = opers();
    sim.channel('#room', b, c);
    sim.send(a, '/OPER s3cret');
    assert.equal(sim.send(a, '/BAN bob'), 'OK BAN bob 10.0.0.2');
    assert.match(sim.drain(b)[0]!, /^KILLED alice /);
    assert.ok(sim.closed.has(b));
    assert.deepEqual(sim.drain(c), ['QUIT bob', 'OWNER #room carol']);
    const again = sim.connect('10.0.0.2');
    assert.equal(sim.drain(again)[0]?.split(' ')[1], 'BANNED');
    assert.ok(sim.closed.has(again));
    assert.equal(sim.stats().connections, 2);
    const other = sim.connect('10.0.0.9');
    assert.deepEqual(sim.drain(other), ['HELLO chat-conformance 1']);
    assert.equal(sim.send(a, '/UNBAN 10.0.0.2'), 'OK UNBAN 10.0.0.2');
    assert.equal(sim.send(a, '/UNBAN 10.0.0.2'), 'OK UNBAN 10.0.0.2'); // also when not banned
    const back = sim.connect('10.0.0.2');
    assert.deepEqual(sim.drain(back), ['HELLO chat-conformance 1']);
  });
});

describe('the server console', () => {
  it('runs GLOBAL, KILL, BAN and UNBAN with or without "/", as `*`, logging the outcome', () => {
    const { sim, a, b, c } = opers();
    sim.channel('#room', a, b);
    sim.console('GLOBAL maintenance at noon');
    for (const conn of [a, b, c]) assert.deepEqual(sim.drain(conn), ['GLOBAL * maintenance at noon']);
    assert.equal(sim.logs.at(-1), 'console: OK GLOBAL');

    sim.console('/kill alice');
    assert.match(sim.drain(a)[0]!, /^KILLED \* /);
    assert.deepEqual(sim.drain(b), ['QUIT alice', 'OWNER #room bob']);
    assert.equal(sim.logs.at(-1), 'console: OK KILL alice');

    sim.console('  ban   carol ');
    assert.ok(sim.closed.has(c));
    assert.equal(sim.logs.at(-1), 'console: OK BAN carol 10.0.0.3');
    sim.console('UNBAN 10.0.0.3');
    assert.equal(sim.logs.at(-1), 'console: OK UNBAN 10.0.0.3');
  });

  it('logs errors and does nothing else for unknown words, bad arguments and unknown nicks', () => {
    const { sim, b } = opers();
    for (const [line, code] of [['KILL nobody', 'NO_SUCH_NICK'], ['KILL', 'SYNTAX'], ['GLOBAL', 'SYNTAX'],
      ['JOIN #room', 'UNKNOWN_COMMAND'], ['/', 'UNKNOWN_COMMAND'], ['KILL a\x01', 'BAD_ENCODING']] as const) {
      const effects = sim.console(line);
      assert.deepEqual(effects.map((e) => e.kind), ['log'], line);
      assert.match(sim.logs.at(-1)!, new RegExp(`^console: ERR ${code} `), line);
    }
    assert.deepEqual(sim.console('   '), []);
    assert.deepEqual(sim.drain(b), []);
  });
});
