/** §5.1 registration, §3.1 nick rules, commands before registration, §5.14 /NICK. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.ts';

describe('registration (§5.1)', () => {
  it('greets a new connection with HELLO <server-name> <version>, first and once', () => {
    const sim = new Sim();
    const c = sim.connect();
    assert.deepEqual(sim.drain(c), ['HELLO chat-conformance 1']);
    const custom = new Sim({ serverName: 'other', protocolVersion: '7' });
    const d = custom.connect();
    assert.deepEqual(custom.drain(d), ['HELLO other 7']);
  });

  it('registers with a bare nick or with /NICK <nick>, the user then in the lobby', () => {
    const sim = new Sim();
    const a = sim.connect();
    assert.equal(sim.send(a, 'alice'), 'OK WELCOME alice');
    const b = sim.connect();
    assert.equal(sim.send(b, '/NICK bob'), 'OK WELCOME bob');
    assert.equal(sim.code(b, '/CURRENT'), 'NO_CHANNEL');
    assert.deepEqual(sim.stats(), { connections: 2, registered: 2, channels: 0 });
  });

  it('accepts exactly the nicks of §3.1', () => {
    const sim = new Sim();
    for (const nick of ['a', 'Z', 'a1', 'a_b-c', 'abcdefghijklmnop']) {
      const c = sim.connect();
      assert.equal(sim.send(c, nick), `OK WELCOME ${nick}`, nick);
    }
    const c = sim.connect();
    for (const nick of ['1a', '_a', '-a', 'abcdefghijklmnopq', 'a.b', 'a#b', 'é', 'a b', '//x']) {
      assert.equal(sim.code(c, nick), 'NICK_INVALID', nick);
    }
  });

  it('refuses a nick in use, case-sensitively, and lets the client retry on the same connection', () => {
    const sim = new Sim();
    sim.user('alice');
    const c = sim.connect();
    assert.equal(sim.code(c, 'alice'), 'NICK_IN_USE');
    assert.equal(sim.code(c, '/NICK alice'), 'NICK_IN_USE');
    assert.equal(sim.code(c, '1bad'), 'NICK_INVALID');
    assert.equal(sim.send(c, 'Alice'), 'OK WELCOME Alice');
    assert.ok(!sim.closed.has(c));
  });

  it('frees a nick when its user disconnects', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    sim.send(a, '/BYE');
    const c = sim.connect();
    assert.equal(sim.send(c, 'alice'), 'OK WELCOME alice');
  });

  it('before registration /PING, /HELP and /BYE work and other commands are NOT_REGISTERED', () => {
    const sim = new Sim();
    const c = sim.connect();
    sim.drain(c);
    assert.equal(sim.send(c, '/PING x'), 'PONG x');
    assert.equal(sim.send(c, '/HELP'), 'OK HELP');
    for (const line of ['/LIST', '/JOIN #room', '/LEAVE', '/WHO', '/MSG a b', '/KICK a', '/REN x', '/CURRENT',
      '/GRANT a', '/REVOKE a', '/SEND a f 1', '/DATA AA==', '/RECV f', '/HISTORY', '/OPER pw', '/GLOBAL hi',
      '/KILL a', '/BAN a', '/UNBAN 1.2.3.4', '/JOIN']) {
      assert.equal(sim.code(c, line), 'NOT_REGISTERED', line);
    }
    assert.equal(sim.code(c, '/FOO'), 'UNKNOWN_COMMAND');
    assert.equal(sim.send(c, '/BYE'), 'OK BYE');
    assert.ok(sim.closed.has(c));
    assert.deepEqual(sim.stats(), { connections: 0, registered: 0, channels: 0 });
  });

  it('/NICK without exactly one argument is SYNTAX, before and after registration', () => {
    const sim = new Sim();
    const c = sim.connect();
    assert.equal(sim.code(c, '/NICK'), 'SYNTAX');
    assert.equal(sim.code(c, '/NICK a b'), 'SYNTAX');
    sim.send(c, 'alice');
    assert.equal(sim.code(c, '/NICK'), 'SYNTAX');
    assert.equal(sim.code(c, '/NICK a b'), 'SYNTAX');
  });

  it('a registered user sending a bare word sends a message, not a nick', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    assert.equal(sim.code(a, 'bob'), 'NO_CHANNEL');
  });
});

describe('/NICK after registration (§5.14)', () => {
  it('answers OK NICK <old> <new> and tells every user sharing a channel once', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    const c = sim.user('carol');
    const d = sim.user('dave');
    sim.channel('#one', a, b, c);
    sim.channel('#two', a, b);
    assert.equal(sim.send(a, '/NICK alicia'), 'OK NICK alice alicia');
    assert.deepEqual(sim.last, ['OK NICK alice alicia']); // the actor gets no NICK event
    assert.deepEqual(sim.drain(b), ['NICK alice alicia']);
    assert.deepEqual(sim.drain(c), ['NICK alice alicia']);
    assert.deepEqual(sim.drain(d), []);
  });

  it('refuses an invalid nick, a nick in use and the own nick, with no effect', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    assert.equal(sim.code(a, '/NICK 9x'), 'NICK_INVALID');
    assert.equal(sim.code(a, '/NICK bob'), 'NICK_IN_USE');
    assert.equal(sim.code(a, '/NICK alice'), 'NICK_IN_USE');
    assert.deepEqual(sim.drain(b), []);
  });

  it('moves memberships, ownership, admin rights and waiting files to the new nick, and frees the old one', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    const c = sim.user('carol');
    sim.channel('#room', a, b, c);
    sim.send(a, '/GRANT bob');
    sim.send(c, '/SEND bob f.txt 1');
    sim.send(c, '/DATA QQ==');
    sim.send(a, '/NICK ann');
    sim.send(b, '/NICK bo');
    assert.equal(sim.send(c, '/WHO'), 'OK WHO #room ~ann @bo carol');
    assert.equal(sim.send(b, '/KICK carol'), 'OK KICK #room carol');
    assert.equal(sim.send(b, '/RECV f.txt'), 'OK RECV f.txt 1 carol');
    const other = sim.connect();
    assert.equal(sim.send(other, 'alice'), 'OK WELCOME alice');
  });
});
