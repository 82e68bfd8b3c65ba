import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dialect, MalformedReplyError, type ReplyUnit } from '../../../harness/dialect/dialect.ts';
import { loadProfile, parseProfile } from '../../../harness/dialect/load-profile.ts';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../harness/dialect/catalogue.ts';
import { NotGradableError, type CommandName, type EventName } from '../../../harness/session/session-api.ts';

const canonical = new Dialect(loadProfile('canonical'));

/** Every canonical command: arguments, the wire line (docs/PROTOCOL.md §6), a success reply and its fields. */
const COMMANDS: Record<CommandName, { args: Record<string, string>; wire: string; ok: string; fields: Record<string, string> }> = {
  register: { args: { nick: 'alice' }, wire: '/NICK alice', ok: 'OK WELCOME alice', fields: { nick: 'alice' } },
  help: { args: {}, wire: '/HELP', ok: 'OK HELP', fields: {} },
  ping: { args: { token: 't1' }, wire: '/PING t1', ok: 'PONG t1', fields: { token: 't1' } },
  list: { args: {}, wire: '/LIST', ok: 'OK LIST #a #b', fields: { channels: '#a #b' } },
  join: { args: { channel: '#room' }, wire: '/JOIN #room', ok: 'OK JOIN #room member', fields: { channel: '#room', role: 'member' } },
  leave: { args: {}, wire: '/LEAVE', ok: 'OK LEAVE #room', fields: { channel: '#room' } },
  who: { args: {}, wire: '/WHO', ok: 'OK WHO #room ~alice @bob carol', fields: { channel: '#room', members: '~alice @bob carol' } },
  say: { args: { text: 'hello  world' }, wire: 'hello  world', ok: 'OK SAY #room', fields: { channel: '#room' } },
  msg: { args: { nicks: 'bob;carol', text: 'hi there' }, wire: '/MSG bob;carol hi there', ok: 'OK MSG bob;carol', fields: { nicks: 'bob;carol' } },
  bye: { args: {}, wire: '/BYE', ok: 'OK BYE', fields: {} },
  kick: { args: { nick: 'bob' }, wire: '/KICK bob', ok: 'OK KICK #room bob', fields: { channel: '#room', nick: 'bob' } },
  ren: { args: { channel: '#new' }, wire: '/REN #new', ok: 'OK REN #room #new', fields: { old: '#room', new: '#new' } },
  current: { args: { channel: '#b' }, wire: '/CURRENT #b', ok: 'OK CURRENT #b', fields: { channel: '#b' } },
  nick: { args: { nick: 'alicia' }, wire: '/NICK alicia', ok: 'OK NICK alice alicia', fields: { old: 'alice', new: 'alicia' } },
  grant: { args: { nick: 'bob' }, wire: '/GRANT bob', ok: 'OK GRANT #room bob', fields: { channel: '#room', nick: 'bob' } },
  revoke: { args: { nick: 'bob' }, wire: '/REVOKE bob', ok: 'OK REVOKE #room bob', fields: { channel: '#room', nick: 'bob' } },
  send: { args: { nick: 'bob', name: 'a.txt', size: '12' }, wire: '/SEND bob a.txt 12', ok: 'OK SEND bob a.txt 12', fields: { nick: 'bob', name: 'a.txt', size: '12' } },
  data: { args: { base64: 'aGVsbG8=' }, wire: '/DATA aGVsbG8=', ok: 'OK DATA 5 12', fields: { received: '5', size: '12' } },
  recv: { args: { name: 'a.txt' }, wire: '/RECV a.txt', ok: 'OK RECV a.txt 12 alice', fields: { name: 'a.txt', size: '12', from: 'alice' } },
  history: { args: { count: '5' }, wire: '/HISTORY 5', ok: 'OK HISTORY #room 2', fields: { channel: '#room', count: '2' } },
  oper: { args: { password: 's3cret' }, wire: '/OPER s3cret', ok: 'OK OPER', fields: {} },
  global: { args: { text: 'hear ye' }, wire: '/GLOBAL hear ye', ok: 'OK GLOBAL', fields: {} },
  kill: { args: { nick: 'bob' }, wire: '/KILL bob', ok: 'OK KILL bob', fields: { nick: 'bob' } },
  ban: { args: { nick: 'bob' }, wire: '/BAN bob', ok: 'OK BAN bob 127.0.0.1', fields: { nick: 'bob', address: '127.0.0.1' } },
  unban: { args: { address: '127.0.0.1' }, wire: '/UNBAN 127.0.0.1', ok: 'OK UNBAN 127.0.0.1', fields: { address: '127.0.0.1' } },
  unknown: { args: { word: 'FLY' }, wire: '/FLY', ok: 'OK FLY', fields: { command: 'FLY' } },
};

/** Every canonical event as PROTOCOL.md §2.2 shows it, with its fields. */
const EVENTS: Record<EventName, { line: string; fields: Record<string, string> }> = {
  message: { line: 'MSG #room bob hello  world ', fields: { channel: '#room', from: 'bob', text: 'hello  world ' } },
  private: { line: 'PRIV bob psst', fields: { from: 'bob', text: 'psst' } },
  joined: { line: 'JOIN #room bob', fields: { channel: '#room', nick: 'bob' } },
  left: { line: 'LEAVE #room bob', fields: { channel: '#room', nick: 'bob' } },
  quit: { line: 'QUIT bob', fields: { nick: 'bob' } },
  kicked: { line: 'KICK #room carol alice', fields: { channel: '#room', nick: 'carol', by: 'alice' } },
  renamed: { line: 'RENAME #room #new', fields: { old: '#room', new: '#new' } },
  owner: { line: 'OWNER #room bob', fields: { channel: '#room', nick: 'bob' } },
  granted: { line: 'GRANT #room bob alice', fields: { channel: '#room', nick: 'bob', by: 'alice' } },
  revoked: { line: 'REVOKE #room bob alice', fields: { channel: '#room', nick: 'bob', by: 'alice' } },
  nick: { line: 'NICK alice alicia', fields: { old: 'alice', new: 'alicia' } },
  file: { line: 'FILE alice a.txt 12', fields: { from: 'alice', name: 'a.txt', size: '12' } },
  global: { line: 'GLOBAL * server going down', fields: { from: '*', text: 'server going down' } },
  killed: { line: 'KILLED * flooding', fields: { by: '*', reason: 'flooding' } },
};

function classify(command: CommandName | undefined, text: string): ReplyUnit | undefined {
  return canonical.finalReplyMatcher(command)(text)?.value;
}

describe('canonical dialect: rendering', () => {
  it('the tables cover every command and event', () => {
    assert.deepEqual(Object.keys(COMMANDS).sort(), [...COMMAND_NAMES].sort());
    assert.deepEqual(Object.keys(EVENTS).sort(), [...EVENT_NAMES].sort());
  });

  for (const [command, { args, wire }] of Object.entries(COMMANDS) as Array<[CommandName, (typeof COMMANDS)[CommandName]]>) {
    it(`renders ${command} as "${wire}"`, () => {
      assert.equal(canonical.render(command, args), `${wire}\n`);
    });
  }

  it('uses the argument-less alternative when an optional argument is absent', () => {
    assert.equal(canonical.render('current'), '/CURRENT\n');
    assert.equal(canonical.render('history', { count: undefined }), '/HISTORY\n');
    assert.equal(canonical.render('ping'), '/PING\n');
  });

  it('a missing required argument makes the command not gradable, with the reason', () => {
    assert.throws(() => canonical.render('join'), (error: Error) => error instanceof NotGradableError && /cannot express "join" with no arguments .*join takes: channel/.test(error.message));
  });

  it('renders the registration step and the barrier', () => {
    const step = loadProfile('canonical').register[0]!;
    assert.equal(step.kind, 'send');
    assert.equal(canonical.renderRegisterStep(step.kind === 'send' ? step.template : '', 'alice_k3'), 'alice_k3\n');
    assert.equal(canonical.barrierRequest('b1x'), '/PING b1x\n');
    assert.deepEqual(canonical.barrierMatcher('b1x')('PONG b1x')?.value, {});
    assert.equal(canonical.barrierMatcher('b1x')('PONG b1'), null);
    assert.equal(canonical.barrierMatcher('b.x')('PONG bax'), null, 'the token is matched literally');
  });
});

describe('canonical dialect: recognising replies', () => {
  for (const [command, { ok, fields }] of Object.entries(COMMANDS) as Array<[CommandName, (typeof COMMANDS)[CommandName]]>) {
    it(`recognises the success reply to ${command}: "${ok}"`, () => {
      assert.deepEqual(classify(command, ok), { kind: 'ok', fields, raw: ok });
    });
  }

  it('recognises an error reply with its code (and without a reason)', () => {
    assert.deepEqual(classify('join', 'ERR ALREADY_MEMBER you are already in #room'), {
      kind: 'error',
      code: 'ALREADY_MEMBER',
      fields: { code: 'ALREADY_MEMBER', reason: 'you are already in #room' },
      raw: 'ERR ALREADY_MEMBER you are already in #room',
    });
    assert.equal(classify('who', 'ERR NO_CHANNEL')?.kind, 'error');
  });

  it('recognises data lines of help, recv and history', () => {
    assert.deepEqual(classify('help', 'HELP /JOIN <channel>: join'), { kind: 'data', fields: { text: '/JOIN <channel>: join' }, raw: 'HELP /JOIN <channel>: join' });
    assert.deepEqual(classify('recv', 'FILEDATA a.txt aGVsbG8=')?.fields, { name: 'a.txt', base64: 'aGVsbG8=' });
    assert.deepEqual(classify('history', 'HISTORY #room bob hi all')?.fields, { channel: '#room', from: 'bob', text: 'hi all' });
    // A data line of another command is not this command's.
    assert.equal(classify('who', 'HELP something'), undefined);
  });

  it('leaves events alone while waiting for a reply', () => {
    for (const { line } of Object.values(EVENTS)) assert.equal(classify('join', line), undefined, line);
  });

  it('a success reply of the wrong shape fails at once instead of timing out', () => {
    assert.throws(() => classify('join', 'OK JOIN #room'), MalformedReplyError);
    assert.throws(() => classify('join', 'OK JOIN #room admin'), /the reply "OK JOIN #room admin" to join does not have the expected shape/);
  });

  it('without a command (nextReply), any final reply is recognised', () => {
    assert.deepEqual(classify(undefined, 'OK JOIN #r owner')?.fields, { channel: '#r', role: 'owner' }, "with the command's own fields");
    assert.deepEqual(classify(undefined, 'OK FLY high')?.fields, { command: 'FLY', details: 'high' });
    assert.equal(classify(undefined, 'PONG')?.kind, 'ok');
    assert.equal(classify(undefined, 'ERR LINE_TOO_LONG line over 4096 bytes')?.kind, 'error');
    assert.equal(classify(undefined, 'MSG #r bob hi'), undefined);
  });

  it('is strict: lower-case keywords and trailing spaces are not canonical', () => {
    assert.equal(classify('say', 'ok SAY #room'), undefined);
    assert.throws(() => classify('say', 'OK SAY #room '), MalformedReplyError);
  });

  it('parses WHO members with their roles and LIST channels', () => {
    const who = classify('who', COMMANDS.who.ok)!;
    assert.deepEqual(canonical.parseMembers(who.fields, []), [
      { nick: 'alice', role: 'owner' },
      { nick: 'bob', role: 'admin' },
      { nick: 'carol', role: 'member' },
    ]);
    assert.throws(() => canonical.parseMembers({ members: '~alice +bob' }, []), /WHO member "\+bob" does not have the expected shape/);
    assert.deepEqual(canonical.parseChannels(classify('list', 'OK LIST #a #b')!.fields, []), ['#a', '#b']);
    assert.deepEqual(canonical.parseChannels(classify('list', 'OK LIST')!.fields, []), []);
  });
});

describe('canonical dialect: recognising events', () => {
  for (const [event, { line, fields }] of Object.entries(EVENTS) as Array<[EventName, (typeof EVENTS)[EventName]]>) {
    it(`recognises ${event}: "${line}"`, () => {
      assert.deepEqual(canonical.matchEvent(event, line)?.fields, fields);
      assert.deepEqual(canonical.matchEvent(event, line, fields)?.fields, fields);
      assert.equal(canonical.anyEvent(line)?.event, event);
      assert.equal(canonical.matchEvent(event, `${line.toLowerCase()}x`), undefined);
    });
  }

  it('a field that differs means no match', () => {
    assert.equal(canonical.matchEvent('message', 'MSG #room bob hi', { from: 'carol' }), undefined);
    assert.equal(canonical.matchEvent('message', 'MSG #room bob hi', { text: 'h' }), undefined);
  });

  it('an event the profile lacks is not gradable', () => {
    const partial = new Dialect(
      parseProfile(
        JSON.stringify({
          name: 'partial',
          register: [{ send: '{nick}' }],
          replies: {},
          commands: { say: 'message{text}' },
          events: { message: '^(?<from>\\S+): (?<text>.*)$' },
          capabilities: { lobby: false, rawWire: false, errorCodes: false },
        }),
        'partial.json',
      ),
    );
    assert.throws(() => partial.eventMatcher('kicked'), (error: Error) => error instanceof NotGradableError && /cannot recognise the event "kicked"/.test(error.message));
    assert.throws(() => partial.render('join', { channel: '#r' }), /cannot express the command "join"/);
    assert.equal(partial.render('say', { text: 'hi' }), 'messagehi\n');
    // A field the pattern does not capture (channel) cannot be checked and is ignored.
    assert.deepEqual(partial.matchEvent('message', 'bob: hi', { channel: '#r', from: 'bob' })?.fields, { from: 'bob', text: 'hi' });
  });
});
