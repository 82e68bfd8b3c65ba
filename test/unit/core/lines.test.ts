/** §1.4-§1.6 line handling and §5 command-line syntax: case, blanks, `//`, unknown words, arity. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '../../../reference-server/core/index.ts';
import { Sim } from './sim.ts';

describe('line handling', () => {
  it('ignores empty and blank lines without reply, before and after registration (§1.6)', () => {
    const sim = new Sim();
    const c = sim.connect();
    sim.drain(c);
    for (const line of ['', ' ', '\t', ' \t  ']) assert.deepEqual(sim.lines(c, line), []);
    sim.send(c, 'alice');
    for (const line of ['', '   ', '\t\t']) assert.deepEqual(sim.lines(c, line), []);
  });

  it('answers BAD_ENCODING to control characters other than TAB, and keeps the connection (§1.5)', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    for (const line of ['hi\x00there', 'a\x1b[31mred', 'x\x7f', '\x01', 'bell\x07', '/JOIN #x\x0b', 'a\rb']) {
      assert.equal(sim.code(a, line), 'BAD_ENCODING', JSON.stringify(line));
    }
    assert.deepEqual(sim.drain(b), []);
    assert.equal(sim.send(a, 'tab\there'), 'OK SAY #room');
    assert.deepEqual(sim.drain(b), ['MSG #room alice tab\there']);
    const c = sim.connect();
    assert.equal(sim.code(c, 'al\x00ice'), 'BAD_ENCODING');
  });

  it('answers lines the network layer rejected with their error (§1.4, §1.5)', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    assert.deepEqual(sim.rejected(a, 'LINE_TOO_LONG').length, 1);
    assert.match(sim.drain(a)[0]!, /^ERR LINE_TOO_LONG /);
    sim.rejected(a, 'BAD_ENCODING');
    assert.match(sim.drain(a)[0]!, /^ERR BAD_ENCODING /);
    const c = sim.connect();
    sim.drain(c);
    sim.rejected(c, 'LINE_TOO_LONG');
    assert.match(sim.drain(c)[0]!, /^ERR LINE_TOO_LONG /);
    assert.deepEqual(sim.rejected(999, 'BAD_ENCODING'), []);
  });

  it('treats command words case-insensitively, nicks and channels case-sensitively (§8.1)', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    assert.equal(sim.send(a, '/join #room'), 'OK JOIN #room owner');
    assert.equal(sim.send(a, '/Join #Room'), 'OK JOIN #Room owner');
    assert.equal(sim.code(a, '/JOIN #room'), 'ALREADY_MEMBER');
    assert.equal(sim.send(a, '/pInG'), 'PONG');
    assert.equal(sim.code(a, '/joın #x'), 'UNKNOWN_COMMAND'); // dotless i is not ASCII
  });

  it('sends `//text` as the plain message `/text`', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    assert.equal(sim.send(a, '//shrug'), 'OK SAY #room');
    assert.equal(sim.send(a, '//'), 'OK SAY #room');
    assert.deepEqual(sim.drain(b), ['MSG #room alice /shrug', 'MSG #room alice /']);
  });

  it('answers UNKNOWN_COMMAND to an unknown word and to a lone "/" (§8.2)', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    assert.equal(sim.code(a, '/'), 'UNKNOWN_COMMAND');
    assert.equal(sim.code(a, '/FOO bar'), 'UNKNOWN_COMMAND');
    assert.equal(sim.code(a, '/ JOIN'), 'UNKNOWN_COMMAND');
  });

  it('ignores leading and trailing spaces and tabs and accepts several spaces between arguments', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    assert.equal(sim.send(a, ' \t/JOIN    #room  \t'), 'OK JOIN #room owner');
    assert.equal(sim.send(a, '  /PING   tok  '), 'PONG tok');
  });

  it('answers SYNTAX to every command given too many or too few arguments', () => {
    const sim = new Sim({ operPassword: 'pw' });
    const a = sim.user('alice');
    const b = sim.user('bob');
    sim.channel('#room', a, b);
    sim.send(a, '/OPER pw');
    const wrong = [
      '/HELP x', '/PING a b', '/LIST x', '/JOIN', '/JOIN a b', '/LEAVE x', '/WHO x', '/MSG', '/MSG bob',
      '/BYE x', '/KICK', '/KICK a b', '/REN', '/REN a b', '/CURRENT a b', '/NICK', '/NICK a b', '/GRANT',
      '/GRANT a b', '/REVOKE', '/REVOKE a b', '/SEND', '/SEND bob f', '/SEND bob f 1 x', '/DATA', '/DATA a b',
      '/RECV', '/RECV a b', '/HISTORY 1 2', '/OPER', '/OPER a b', '/GLOBAL', '/KILL', '/KILL a b', '/BAN',
      '/BAN a b', '/UNBAN', '/UNBAN a b',
    ];
    for (const line of wrong) assert.equal(sim.code(a, line), 'SYNTAX', line);
    assert.deepEqual(sim.drain(b), []);
    assert.ok(!sim.closed.has(a));
  });

  it('checks the argument count before the lobby: SYNTAX wins over NO_CHANNEL (§6 order)', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    for (const line of ['/LEAVE x', '/WHO x', '/KICK', '/REN', '/GRANT', '/REVOKE', '/MSG bob', '/SEND a b']) {
      assert.equal(sim.code(a, line), 'SYNTAX', line);
    }
  });

  it('ignores lines for connections it does not know', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    sim.send(a, '/BYE');
    assert.deepEqual(core.lineReceived(sim.state, a, '/PING'), []);
    assert.deepEqual(core.lineReceived(sim.state, 999, 'hello'), []);
    assert.deepEqual(core.registrationExpired(sim.state, 999), []);
    assert.deepEqual(core.lineRejected(sim.state, 999, 'LINE_TOO_LONG'), []);
    assert.deepEqual(core.connectionClosed(sim.state, a), []); // already gone: idempotent
    assert.deepEqual(core.connectionClosed(sim.state, 999), []);
  });
});

describe('/HELP, /PING (§5.2, §5.13)', () => {
  it('/HELP sends HELP data lines then OK HELP', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    const lines = sim.lines(a, '/HELP');
    assert.ok(lines.length > 20);
    assert.ok(lines.slice(0, -1).every((l) => l.startsWith('HELP ')));
    assert.equal(lines.at(-1), 'OK HELP');
  });

  it('/PING answers PONG or PONG <token> with the token verbatim', () => {
    const sim = new Sim();
    const a = sim.user('alice');
    assert.equal(sim.send(a, '/PING'), 'PONG');
    assert.equal(sim.send(a, '/PING Ab-1;x'), 'PONG Ab-1;x');
  });
});
