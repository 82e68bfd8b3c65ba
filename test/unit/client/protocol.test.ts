import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalDialect, splitFields } from '../../../reference-client/protocol.ts';
import { dialectFromProfile } from '../../../reference-client/protocol-profile.ts';
import { parseProfile } from '../../../harness/dialect/load-profile.ts';

const classify = (line: string) => canonicalDialect.classify(line, undefined);

describe('canonical dialect: classifying received lines (§2)', () => {
  test('events keep the text field whole, spaces included', () => {
    assert.deepEqual(classify('MSG #room bob hello   there '), {
      kind: 'event',
      event: 'message',
      fields: { channel: '#room', from: 'bob', text: 'hello   there ' },
    });
    assert.deepEqual(classify('KICK #room carol alice'), { kind: 'event', event: 'kicked', fields: { channel: '#room', nick: 'carol', by: 'alice' } });
    assert.deepEqual(classify('FILE alice a.txt 12'), { kind: 'event', event: 'file', fields: { from: 'alice', name: 'a.txt', size: '12' } });
  });

  test('final replies: OK with per-command fields, ERR with code and reason, PONG', () => {
    assert.deepEqual(classify('OK JOIN #room owner'), { kind: 'reply', ok: true, command: 'join', fields: { channel: '#room', role: 'owner' } });
    assert.deepEqual(classify('OK WHO #room ~alice @bob carol'), {
      kind: 'reply',
      ok: true,
      command: 'who',
      fields: { channel: '#room', members: '~alice @bob carol' },
    });
    assert.deepEqual(classify('OK LIST'), { kind: 'reply', ok: true, command: 'list', fields: { channels: '' } });
    assert.deepEqual(classify('OK WELCOME alice'), { kind: 'reply', ok: true, command: 'register', fields: { nick: 'alice' } });
    assert.deepEqual(classify('ERR NICK_IN_USE somebody has it'), {
      kind: 'reply',
      ok: false,
      code: 'NICK_IN_USE',
      fields: { code: 'NICK_IN_USE', reason: 'somebody has it' },
    });
    assert.deepEqual(classify('PONG t1'), { kind: 'reply', ok: true, command: 'ping', fields: { token: 't1' } });
  });

  test('data lines, the greeting, and lines it does not know', () => {
    assert.deepEqual(classify('FILEDATA a.txt aGk='), { kind: 'data', data: 'filedata', fields: { name: 'a.txt', base64: 'aGk=' } });
    assert.deepEqual(classify('HELP /JOIN <channel>: join'), { kind: 'data', data: 'help', fields: { text: '/JOIN <channel>: join' } });
    assert.deepEqual(classify('HELLO chat-conformance 1'), { kind: 'greeting', fields: { server: 'chat-conformance', version: '1' } });
    assert.deepEqual(classify('MSG #room'), { kind: 'unknown' }, 'an event with missing fields is not made up');
    assert.deepEqual(classify('Bienvenue !'), { kind: 'unknown' });
  });

  test('the answer to a barrier is marked only when its token is the awaited one', () => {
    const answer = canonicalDialect.classify('PONG c1', { barrierToken: 'c1' });
    assert.equal(answer.kind === 'reply' && answer.barrier, true);
    const other = canonicalDialect.classify('PONG c2', { barrierToken: 'c1' });
    assert.equal(other.kind === 'reply' && other.barrier, false);
  });
});

describe('canonical dialect: rendering commands (§5)', () => {
  const render = canonicalDialect.render;
  test('commands with optional arguments, multi-target messages, and plain text starting with /', () => {
    assert.equal(render({ name: 'current', args: {} }), '/CURRENT');
    assert.equal(render({ name: 'current', args: { channel: '#a' } }), '/CURRENT #a');
    assert.equal(render({ name: 'msg', args: { nicks: 'bob;carol', text: 'hi  you' } }), '/MSG bob;carol hi  you');
    assert.equal(render({ name: 'say', args: { text: '/shrug' } }), '//shrug');
    assert.equal(render({ name: 'say', args: { text: 'hello' } }), 'hello');
    assert.equal(render({ name: 'register', args: { nick: 'alice' } }), '/NICK alice');
    assert.equal(render({ name: 'send', args: { nick: 'bob', name: 'f.txt', size: '3' } }), '/SEND bob f.txt 3');
  });

  test('a DATA line of a full chunk stays under the 4096-byte line limit (§1.4)', () => {
    const base64 = Buffer.alloc(canonicalDialect.dataChunkBytes, 0xff).toString('base64');
    const line = render({ name: 'data', args: { base64 } })!;
    assert.ok(Buffer.byteLength(line) <= 4096, `${Buffer.byteLength(line)} bytes`);
  });

  test('splitFields keeps the rest of the line in the last field', () => {
    assert.deepEqual(splitFields('a b c d', 3), ['a', 'b', 'c d']);
    assert.equal(splitFields('a', 2), undefined);
  });
});

/** A made-up loose dialect: free-text replies, silent messages, a barrier, no raw wire, no multi-target. */
const LOOSE = parseProfile(
  JSON.stringify({
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
  }),
  'loose (test)',
);

describe('a profile dialect (through the harness engine)', () => {
  const loose = dialectFromProfile(LOOSE);

  test('renders by template, refuses what the profile cannot express', () => {
    assert.equal(loose.render({ name: 'join', args: { channel: '#x' } }), 'JOIN #x');
    assert.equal(loose.render({ name: 'register', args: { nick: 'zoe' } }), 'NICK zoe');
    assert.equal(loose.render({ name: 'msg', args: { nicks: 'bob', text: 'hi' } }), 'TELL bob hi');
    assert.equal(loose.render({ name: 'msg', args: { nicks: 'bob;carol', text: 'hi' } }), undefined, 'no nickSeparator: no multi-target');
    assert.equal(loose.render({ name: 'who', args: {} }), undefined);
    assert.equal(loose.renderRaw('/WHATEVER'), undefined, 'rawWire is false');
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
