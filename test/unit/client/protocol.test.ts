import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectFromProfile, DialectUnavailableError, loadDialect } from '../../../reference-client/protocol-profile.ts';
import { parseProfile } from '../../../harness/dialect/load-profile.ts';

/** The client's dialect without --profile: profiles/canonical.json through the harness engine. */
const canonical = loadDialect();
const classify = (line: string) => canonical.classify(line, undefined);

describe('the default dialect is profiles/canonical.json: classifying received lines (§2)', () => {
  test('it is the canonical profile, and an unknown --profile is a usage error', () => {
    assert.equal(canonical.name, 'canonical');
    assert.equal(canonical.greets, true);
    assert.throws(() => loadDialect('no-such-profile'), DialectUnavailableError);
  });

  test('events keep the text field whole, spaces included', () => {
    assert.deepEqual(classify('MSG #room bob hello   there '), {
      kind: 'event',
      event: 'message',
      fields: { channel: '#room', from: 'bob', text: 'hello   there ' },
    });
    assert.deepEqual(classify('KICK #room carol alice'), { kind: 'event', event: 'kicked', fields: { channel: '#room', nick: 'carol', by: 'alice' } });
    assert.deepEqual(classify('FILE alice a.txt 12'), { kind: 'event', event: 'file', fields: { from: 'alice', name: 'a.txt', size: '12' } });
  });

  test('final replies to the awaited command: OK with its fields, ERR with code and reason, PONG', () => {
    const reply = (line: string, command: Parameters<typeof canonical.classify>[1]) => canonical.classify(line, command);
    assert.deepEqual(reply('OK JOIN #room owner', { command: 'join' }), { kind: 'reply', ok: true, command: 'join', fields: { channel: '#room', role: 'owner' } });
    assert.deepEqual(reply('OK WHO #room ~alice @bob carol', { command: 'who' }), {
      kind: 'reply',
      ok: true,
      command: 'who',
      fields: { channel: '#room', members: '~alice @bob carol' },
    });
    assert.deepEqual(reply('OK LIST', { command: 'list' }), { kind: 'reply', ok: true, command: 'list', fields: {} }, 'no channels: no list field');
    assert.deepEqual(reply('OK WELCOME alice', { command: 'register' }), { kind: 'reply', ok: true, command: 'register', fields: { nick: 'alice' } });
    assert.deepEqual(reply('ERR NICK_IN_USE somebody has it', { command: 'register' }), {
      kind: 'reply',
      ok: false,
      code: 'NICK_IN_USE',
      fields: { code: 'NICK_IN_USE', reason: 'somebody has it' },
    });
    assert.deepEqual(reply('PONG t1', { command: 'ping' }), { kind: 'reply', ok: true, command: 'ping', fields: { token: 't1' } });
    assert.deepEqual(reply('OK SAY #room', { command: 'join' }), { kind: 'reply', ok: true, command: 'join', fields: { details: 'OK SAY #room' } }, 'a success of another shape still ends the command');
    const refusal = classify('ERR TIMEOUT registration took too long');
    assert.equal(refusal.kind === 'reply' && !refusal.ok && refusal.code, 'TIMEOUT', 'a refusal nobody awaits (before a close) is still a reply');
  });

  test('data lines of the awaited command, the greeting, and lines it does not know', () => {
    assert.deepEqual(canonical.classify('FILEDATA a.txt aGk=', { command: 'recv' }), { kind: 'data', data: 'filedata', fields: { name: 'a.txt', base64: 'aGk=' } });
    assert.deepEqual(canonical.classify('FILEDATA a.txt', { command: 'recv' }), { kind: 'data', data: 'filedata', fields: { name: 'a.txt', base64: '' } }, 'the last, empty chunk');
    assert.deepEqual(canonical.classify('HELP /JOIN <channel>: join', { command: 'help' }), { kind: 'data', data: 'help', fields: { text: '/JOIN <channel>: join' } });
    assert.deepEqual(canonical.classify('HISTORY #room bob hi  there', { command: 'history' }), {
      kind: 'data',
      data: 'history',
      fields: { channel: '#room', from: 'bob', text: 'hi  there' },
    });
    assert.deepEqual(classify('HELLO chat-conformance 1'), { kind: 'greeting', fields: { server: 'chat-conformance', version: '1' } });
    assert.deepEqual(classify('MSG #room'), { kind: 'unknown' }, 'an event with missing fields is not made up');
    assert.deepEqual(classify('Bienvenue !'), { kind: 'unknown' });
  });

  test('the barrier is /PING; its answer is marked only when its token is the awaited one', () => {
    assert.equal(canonical.renderBarrier('c1'), '/PING c1');
    const answer = canonical.classify('PONG c1', { command: 'say', barrierToken: 'c1' });
    assert.equal(answer.kind === 'reply' && answer.barrier, true);
    const other = canonical.classify('PONG c2', { command: 'say', barrierToken: 'c1' });
    assert.notEqual(other.kind === 'reply' && other.barrier, true);
  });
});

describe('the default dialect: rendering commands (§5)', () => {
  const render = canonical.render;
  test('commands with optional arguments, multi-target messages, and plain text starting with /', () => {
    assert.equal(render({ name: 'current', args: {} }), '/CURRENT');
    assert.equal(render({ name: 'current', args: { channel: '#a' } }), '/CURRENT #a');
    assert.equal(render({ name: 'history', args: {} }), '/HISTORY');
    assert.equal(render({ name: 'msg', args: { nicks: 'bob;carol', text: 'hi  you' } }), '/MSG bob;carol hi  you');
    assert.equal(render({ name: 'say', args: { text: '/shrug' } }), '//shrug', '§5: a message starting with / goes out as //');
    assert.equal(render({ name: 'say', args: { text: 'a /b' } }), 'a /b');
    assert.equal(render({ name: 'say', args: { text: 'hello' } }), 'hello');
    assert.equal(render({ name: 'register', args: { nick: 'alice' } }), '/NICK alice');
    assert.equal(render({ name: 'send', args: { nick: 'bob', name: 'f.txt', size: '3' } }), '/SEND bob f.txt 3');
    assert.equal(render({ name: 'unknown', args: { word: 'FOO' } }), '/FOO');
    assert.equal(canonical.renderRaw('/JOIN'), '/JOIN', 'raw lines go out as typed');
    assert.equal(canonical.isSilent({ name: 'join', args: { channel: '#a' } }), false);
  });

  test('a DATA line of a full chunk stays under the 4096-byte line limit (§1.4)', () => {
    const base64 = Buffer.alloc(canonical.dataChunkBytes, 0xff).toString('base64');
    const line = render({ name: 'data', args: { base64 } })!;
    assert.ok(Buffer.byteLength(line) <= 4096, `${Buffer.byteLength(line)} bytes`);
  });
});

/** A made-up loose dialect: free-text replies, silent messages, a barrier, no raw wire, no multi-target. */
const LOOSE_SPEC = {
  name: 'loose',
  register: [{ send: 'NICK {nick}' }, { expect: '^welcome (?<nick>\\S+)$' }],
  replies: { ok: '^ok(?: (?<details>.*))?$', error: [{ match: '^sorry: (?<reason>.*)$', code: 'REFUSED' }] },
  commands: {
    join: { send: 'JOIN {channel}', ok: '^joined (?<channel>\\S+)$' },
    say: { send: '{text}', silent: true },
    msg: { send: 'TELL {nicks} {text}' },
  },
  events: { message: '^(?<from>\\S+)@(?<channel>\\S+): (?<text>.*)$' },
  capabilities: { barrier: { send: 'PING {token}', expect: '^PONG {token}$' }, lobby: true, rawWire: false, errorCodes: false },
};
const LOOSE = parseProfile(JSON.stringify(LOOSE_SPEC), 'loose (test)');

describe('a profile dialect (through the harness engine)', () => {
  const loose = dialectFromProfile(LOOSE);

  test('renders by template, refuses what the profile cannot express', () => {
    assert.equal(loose.render({ name: 'join', args: { channel: '#x' } }), 'JOIN #x');
    assert.equal(loose.render({ name: 'register', args: { nick: 'zoe' } }), 'NICK zoe');
    assert.equal(loose.render({ name: 'msg', args: { nicks: 'bob', text: 'hi' } }), 'TELL bob hi');
    assert.equal(loose.render({ name: 'msg', args: { nicks: 'bob;carol', text: 'hi' } }), undefined, 'no nickSeparator: no multi-target');
    assert.equal(loose.render({ name: 'who', args: {} }), undefined);
    assert.equal(loose.renderRaw('/WHATEVER'), undefined, 'rawWire is false');
    assert.equal(loose.render({ name: 'say', args: { text: '/shrug' } }), '/shrug', 'not rawWire: the canonical // is not assumed');
    assert.equal(loose.isSilent({ name: 'say', args: { text: 'x' } }), true);
    assert.equal(loose.renderBarrier('c0'), 'PING c0');
  });

  test('recognises replies in the context of the awaited command, and events', () => {
    assert.deepEqual(loose.classify('joined #x', { command: 'join' }), { kind: 'reply', ok: true, command: 'join', fields: { channel: '#x' } });
    assert.deepEqual(loose.classify('welcome zoe', { command: 'register' }), { kind: 'reply', ok: true, command: 'register', fields: { nick: 'zoe' } });
    const refused = loose.classify('sorry: no such channel', { command: 'join' });
    assert.equal(refused.kind === 'reply' && !refused.ok, true);
    assert.deepEqual(loose.classify('bob@#x: hi there', { command: 'join' }), {
      kind: 'event',
      event: 'message',
      fields: { from: 'bob', channel: '#x', text: 'hi there' },
    });
    assert.deepEqual(loose.classify('PONG c3', { command: 'say', barrierToken: 'c3' }), { kind: 'reply', ok: true, command: 'ping', fields: {}, barrier: true });
    assert.deepEqual(loose.classify('something else', undefined), { kind: 'unknown' });
  });
});

describe('a profile that strips ANSI escapes (wire.stripAnsi)', () => {
  test('the client strips what the harness strips (harness/wire/ansi.ts): an OSC title and a private CSI too', () => {
    const colourful = dialectFromProfile(parseProfile(JSON.stringify({ ...LOOSE_SPEC, name: 'colourful', wire: { stripAnsi: true } }), 'colourful (test)'));
    assert.deepEqual(colourful.classify('\u001b]0;chat\u0007\u001b[>4;2mjoined #x\u001b[0m', { command: 'join' }), {
      kind: 'reply',
      ok: true,
      command: 'join',
      fields: { channel: '#x' },
    });
  });
});

