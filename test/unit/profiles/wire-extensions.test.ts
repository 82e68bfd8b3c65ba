/**
 * The profile wire extensions of issue #15, each exercised through a Session against a translator fixture
 * (the reference core behind a dialect, test/fixtures/dialect-servers/) with its hand-written profile:
 * names that fit (tokens: letters and digits, short nicks), value mapping (tokens: ranks and numeric
 * errors; bracket: a role said in words), regex separators (tokens: WHO 2 alice 0 bob), one line that is
 * several events (tokens: LEAVE room alice bob), idle framing and split (bracket: glued [TAG] replies and a
 * header-less WHO), no line terminator with a pause between sends (bracket), and a template that drops an
 * argument (not gradable rather than sent).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSession } from '../../../harness/session/session.ts';
import { loadProfile, parseProfile } from '../../../harness/dialect/load-profile.ts';
import { Dialect } from '../../../harness/dialect/dialect.ts';
import { NameMap } from '../../../harness/session/names.ts';
import { profileWarnings } from '../../../harness/cli/profile-check.ts';
import { NotGradableError, type Session } from '../../../harness/session/session-api.ts';
import type { Profile } from '../../../harness/dialect/profile-types.ts';
import { startDialectServer, type DialectServer } from '../../fixtures/dialect-servers/support/dialect-server.ts';
import { tokensTranslator } from '../../fixtures/dialect-servers/tokens-translator.ts';
import { bracketTranslator } from '../../fixtures/dialect-servers/bracket-translator.ts';
import { ircTranslator } from '../../fixtures/dialect-servers/irc-translator.ts';

const servers: DialectServer[] = [];
const sessions: Session[] = [];
after(async () => {
  for (const s of sessions) await s.closeAll();
  for (const server of servers) await server.close();
});

function session(port: number, profile: Profile): Session {
  const s = createSession({ target: { host: '127.0.0.1', port }, profile: profile.name, timeoutMs: 3000, quietMs: 200, pristine: false }, { profile });
  sessions.push(s);
  return s;
}

async function serve(translator: Parameters<typeof startDialectServer>[0]): Promise<number> {
  const server = await startDialectServer(translator);
  servers.push(server);
  return server.port;
}

describe('names that fit the server (profile "names")', () => {
  it('keeps only allowed characters, within the length, with the prefix', () => {
    const names = new NameMap('k3f2x', { nick: { allowed: 'A-Za-z0-9', maxLength: 8 }, channel: { prefix: '#', allowed: 'A-Za-z0-9#', maxLength: 12 } });
    assert.equal(names.nick('alice'), 'alik3f2x');
    assert.equal(names.channel('#room'), '#roomk3f2x');
    assert.equal(new NameMap('k3f2x', { channel: { prefix: '#' } }).channel('room'), '#room_k3f2x', 'the prefix is added when the feature name lacks it');
    assert.notEqual(names.nick('alina'), names.nick('alice'), 'a collision after truncation gets a counter');
    const crowd = Array.from({ length: 120 }, (_, i) => names.nick(`guest${i + 1}`));
    assert.equal(new Set(crowd).size, crowd.length, 'every generated name is distinct');
    for (const nick of crowd) assert.match(nick, /^[A-Za-z][A-Za-z0-9]{0,7}$/, nick);
    assert.equal(names.logical('alik3f2x'), 'alice');
  });

  it('a profile whose allowed characters exclude the suffix is refused', () => {
    const raw = JSON.parse(JSON.stringify({ name: 'x', register: [{ send: '{nick}' }], replies: {}, commands: {}, events: {}, capabilities: { lobby: true, rawWire: false, errorCodes: false }, names: { nick: { allowed: 'A-Z' } } }));
    assert.throws(() => parseProfile(JSON.stringify(raw), 'x.json'), /names\.nick\.allowed: must allow lower-case letters and digits/);
  });
});

describe('tokens dialect: values, regex separator, expand, names', () => {
  it('reads ranks as roles, numeric errors as codes, and LEAVE room alice bob as a departure AND a new owner', async () => {
    const port = await serve(tokensTranslator());
    const s = session(port, loadProfile('tokens'));
    for (const user of ['alice', 'bob', 'carol']) assert.equal((await s.register(user)).ok, true, user);
    assert.match(s.nick('alice'), /^[A-Za-z0-9]{1,8}$/);
    const room = s.channel('#room');
    assert.match(room, /^[A-Za-z0-9]{1,10}$/);
    const join = await s.run('alice', 'join', { channel: room });
    assert.deepEqual(join.fields, { channel: room, role: 'owner' }, 'JOIN room 2 alice: rank 2 is owner (values.role)');
    assert.equal((await s.run('bob', 'join', { channel: room })).fields.role, 'member');
    await s.run('carol', 'join', { channel: room });
    const { members } = await s.who('alice');
    assert.deepEqual(members, [
      { nick: s.nick('alice'), role: 'owner' },
      { nick: s.nick('bob'), role: 'member' },
      { nick: s.nick('carol'), role: 'member' },
    ], 'WHO 2 alice 0 bob 0 carol, split by the regex separator');
    const refused = await s.run('bob', 'kick', { nick: s.nick('carol') });
    assert.deepEqual({ ok: refused.ok, code: refused.code }, { ok: false, code: 'NOT_ADMIN' }, 'ERR 4 is NOT_ADMIN (values.code)');
    await s.discardReceived();
    await s.run('alice', 'leave');
    await s.expectEventsInOrder('carol', [
      { event: 'left', fields: { channel: room, nick: s.nick('alice') } },
      { event: 'owner', fields: { channel: room, nick: s.nick('bob') } },
    ]);
    await s.expectNoEvent('carol');
  });
});

describe('bracket dialect: no terminator, pause between sends, idle framing, split, role in words', () => {
  it('registers, joins, reads a header-less WHO and glued events', async () => {
    const port = await serve(bracketTranslator());
    const s = session(port, loadProfile('bracket'));
    for (const user of ['alice', 'bob', 'carol']) assert.equal((await s.register(user)).ok, true, user);
    const room = s.channel('#room');
    assert.deepEqual((await s.run('alice', 'join', { channel: room })).fields, { channel: room, role: 'owner' }, '"as admin!" means owner');
    assert.equal((await s.run('bob', 'join', { channel: room })).fields.role, 'member', '", welcome!" means member');
    await s.run('carol', 'join', { channel: room });
    const { members } = await s.who('alice');
    assert.deepEqual(members.map((m) => m.role), ['owner', 'member', 'member'], 'alice*\\nbob\\ncarol, one idle unit');
    await s.discardReceived();
    await s.run('alice', 'leave');
    await s.expectEventsInOrder('carol', [
      { event: 'left', fields: { channel: room, nick: s.nick('alice') } },
      { event: 'owner', fields: { channel: room, nick: s.nick('bob') } },
    ]);
  });

  it('without the pause, two commands sent together reach the server as one chunk and are refused', async () => {
    const port = await serve(bracketTranslator());
    const profile = loadProfile('bracket');
    const hasty = { ...profile, sendPauseMs: 0 };
    assert.ok(profileWarnings(hasty).some((w) => /wire\.lineEnding is ""/.test(w)), 'profile:check warns');
    // The profile's 40 ms pause is for a server in a process of its own. This one shares the test's process:
    // on a loaded machine the process can resume after the pause with the pause's timer due before the
    // server's read of the first command, which then arrives glued to the second. A longer pause here.
    const paced = session(port, { ...profile, sendPauseMs: 300 });
    const rushed = session(port, hasty);
    for (const s of [paced, rushed]) await s.register('alice');
    const pings = async (s: Session) => Promise.all([s.run('alice', 'ping', { token: 'one' }), s.run('alice', 'ping', { token: 'two' })]);
    assert.deepEqual((await pings(paced)).map((r) => r.fields.token), ['one', 'two']);
    await assert.rejects(pings(rushed), /did not arrive|ERROR|unknown/i);
  });
});

describe('irc dialect: a channel prefix, numerics mapped to codes', () => {
  it('joins #-prefixed channels and reads 482 as NOT_ADMIN', async () => {
    const port = await serve(ircTranslator());
    const s = session(port, loadProfile('irc'));
    for (const user of ['alice', 'bob']) await s.register(user);
    const room = s.channel('room');
    assert.match(room, /^#/);
    assert.equal((await s.run('alice', 'join', { channel: room })).ok, true);
    await s.run('bob', 'join', { channel: room });
    await s.expectEvent('alice', 'joined', { channel: room, nick: s.nick('bob') });
    const refused = await s.run('bob', 'kick', { nick: s.nick('alice') });
    assert.deepEqual({ ok: refused.ok, code: refused.code }, { ok: false, code: 'NOT_ADMIN' });
  });
});

describe('a template that drops an argument', () => {
  it('is not used for a scenario that gives the argument: not gradable instead', () => {
    const profile = parseProfile(
      JSON.stringify({
        name: 'drops',
        register: [{ send: '{nick}' }],
        replies: { error: '^ERR' },
        commands: { history: 'HISTORY', current: ['CURRENT {channel}', 'CURRENT'] },
        events: {},
        capabilities: { lobby: true, rawWire: false, errorCodes: false },
      }),
      'drops.json',
    );
    const dialect = new Dialect(profile);
    assert.equal(dialect.render('history'), 'HISTORY\n');
    assert.throws(() => dialect.render('history', { count: '5' }), (e: unknown) => e instanceof NotGradableError && /leaves out an argument is not used/.test(e.message));
    assert.equal(dialect.render('current', { channel: 'x' }), 'CURRENT x\n');
    assert.equal(dialect.render('current'), 'CURRENT\n');
    assert.ok(profileWarnings(profile).some((w) => /commands\.history: no template uses \{count\}/.test(w)));
  });
});
