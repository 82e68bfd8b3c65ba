import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSession } from '../../../harness/session/session.ts';
import { loadProfile, parseProfile, resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { NameMap } from '../../../harness/session/names.ts';
import { NotGradableError, type HarnessParameters, type Session } from '../../../harness/session/session-api.ts';
import { startFakeCanonicalServer, type FakeServer } from './fake-canonical-server.ts';

let server: FakeServer;
const sessions: Session[] = [];
before(async () => {
  server = await startFakeCanonicalServer();
});
after(async () => {
  for (const session of sessions) await session.closeAll();
  await server.close();
});

function params(extra: Partial<HarnessParameters> = {}): HarnessParameters {
  return { target: { host: '127.0.0.1', port: server.port }, profile: 'canonical', timeoutMs: 3000, quietMs: 100, pristine: false, ...extra };
}

function session(extra: Partial<HarnessParameters> = {}, options: Parameters<typeof createSession>[1] = {}): Session {
  const created = createSession(params(extra), options);
  sessions.push(created);
  return created;
}

/** The canonical profile with `edit` applied. */
function canonicalVariant(edit: (profile: any) => void) {
  const profile = JSON.parse(readFileSync(resolveProfilePath('canonical'), 'utf8'));
  edit(profile);
  return parseProfile(JSON.stringify(profile), 'variant.json');
}

/** alice owns #room, bob joined it (alice's JOIN event for bob consumed). */
async function aliceAndBobInRoom(s: Session) {
  await s.register('alice');
  await s.register('bob');
  await s.run('alice', 'join', { channel: s.channel('#room') });
  await s.run('bob', 'join', { channel: s.channel('#room') });
  await s.expectEvent('alice', 'joined', { channel: s.channel('#room'), nick: s.nick('bob') });
}

describe('unique names', () => {
  it('maps logical names to valid, stable, reversible real names', () => {
    const names = new NameMap('k3f2');
    assert.equal(names.nick('alice'), 'alice_k3f2');
    assert.equal(names.nick('alice'), 'alice_k3f2');
    assert.equal(names.channel('#room'), '#room_k3f2');
    assert.equal(names.logical('alice_k3f2'), 'alice');
    assert.equal(names.logical('#room_k3f2'), '#room');
    assert.equal(names.logical('stranger'), 'stranger');
    for (const logical of ['alice', 'a-very-long-user-name-indeed', '9lives', 'Élodie']) {
      assert.match(names.nick(logical), /^[A-Za-z][A-Za-z0-9_-]{0,15}$/, logical);
    }
    assert.match(names.channel('#a-channel-name-that-is-far-too-long-for-the-protocol'), /^[A-Za-z0-9#_.-]{1,32}$/);
    assert.notEqual(names.nick('a-very-long-user-name-indeed'), names.nick('a-very-long-user-name-other'), 'truncation kept them apart?');
  });

  it('two scenarios never share real names', () => {
    assert.notEqual(new NameMap().nick('alice'), new NameMap().nick('alice'));
  });
});

describe('Session against a canonical server', () => {
  it('registers under the unique real nick and joins with the role', async () => {
    const s = session();
    const welcome = await s.register('alice');
    assert.equal(welcome.ok, true);
    assert.equal(welcome.fields.nick, s.nick('alice'));
    assert.notEqual(s.nick('alice'), 'alice');
    const join = await s.run('alice', 'join', { channel: s.channel('#room') });
    assert.deepEqual({ ok: join.ok, fields: join.fields }, { ok: true, fields: { channel: s.channel('#room'), role: 'owner' } });
    assert.match(s.transcript(), new RegExp(`\\+\\d+\\.\\d{3}s alice -> /JOIN ${s.channel('#room')}\\n\\+\\d+\\.\\d{3}s alice <- OK JOIN ${s.channel('#room')} owner`));
  });

  it('returns a refused registration as an error reply with its code', async () => {
    const s = session();
    await s.register('alice');
    const taken = await s.register('alice2', s.nick('alice'));
    assert.deepEqual({ ok: taken.ok, code: taken.code }, { ok: false, code: 'NICK_IN_USE' });
    const invalid = await s.register('carol', '1nvalid');
    assert.equal(invalid.code, 'NICK_INVALID');
  });

  it('delivers events to the right user and leaves them for expectEvent while replies are awaited', async () => {
    const s = session();
    await aliceAndBobInRoom(s);
    const said = await s.run('bob', 'say', { text: 'hello  there' });
    assert.deepEqual(said.fields, { channel: s.channel('#room') });
    const event = await s.expectEvent('alice', 'message', { from: s.nick('bob'), text: 'hello  there' });
    assert.equal(event.channel, s.channel('#room'));
  });

  it('expectNoEvent passes with a barrier when nothing came, and uses PING, not a sleep', async () => {
    const s = session();
    await aliceAndBobInRoom(s);
    await s.run('alice', 'say', { text: 'hi' });
    await s.expectNoEvent('alice', 'message'); // the sender never gets its own MSG
    // Bob's MSG may be logged between the PING and its PONG (the transcript interleaves users by time).
    assert.match(s.transcript(), /alice -> \/PING (b\w+)\n(?:.*\n)*?.*alice <- PONG \1$/m);
  });

  it('expectNoEvent fails, naming the event and showing the lines, when the event did arrive', async () => {
    const s = session();
    await aliceAndBobInRoom(s);
    await s.run('bob', 'say', { text: 'hi' });
    // The MSG to alice was queued before bob's OK SAY; the barrier makes sure it is in.
    await assert.rejects(s.expectNoEvent('alice', 'message', { from: s.nick('bob') }), (error: Error) => {
      assert.match(error.message, new RegExp(`^alice should not have received a "message" event with from "bob", but received "MSG ${s.channel('#room')} ${s.nick('bob')} hi" \\(a "message" event; checked after a barrier\\)`));
      assert.match(error.message, /Last lines received by alice/);
      return true;
    });
    // Any event, when none is named.
    await assert.rejects(s.expectNoEvent('alice'), /should not have received any event/);
    // A different sender does not match.
    await s.expectNoEvent('alice', 'message', { from: s.nick('carol') });
  });

  it('forceQuiet checks after the quiet period instead of a barrier', async () => {
    const s = session({ forceQuiet: true, fixedQuiet: true, quietMs: 50 });
    await aliceAndBobInRoom(s);
    await s.run('bob', 'say', { text: 'hi' });
    await assert.rejects(s.expectNoEvent('alice', 'message'), /checked after a quiet period of 50 ms/);
    await s.expectNoEvent('bob');
    assert.doesNotMatch(s.transcript(), /PING/);
  });

  it('expectEvent times out with the expectation in logical names and the last lines', async () => {
    const s = session({ timeoutMs: 200 });
    await aliceAndBobInRoom(s);
    await assert.rejects(s.expectEvent('alice', 'kicked', { nick: s.nick('bob') }), (error: Error) => {
      assert.match(error.message, /^alice: expected a "kicked" event with nick "bob" within 200 ms, but it did not arrive/);
      assert.match(error.message, /<- OK JOIN #room_\w+ owner/);
      return true;
    });
  });

  it('parses WHO and LIST, and collects data lines of HELP', async () => {
    const s = session();
    await aliceAndBobInRoom(s);
    const { members } = await s.who('bob');
    assert.deepEqual(members, [
      { nick: s.nick('alice'), role: 'owner' },
      { nick: s.nick('bob'), role: 'member' },
    ]);
    const { channels } = await s.list('alice');
    assert.ok(channels.includes(s.channel('#room')));
    const help = await s.run('alice', 'help');
    assert.deepEqual(help.data, [{ text: '/JOIN <channel>' }, { text: '/WHO' }]);
    const lobby = await s.who('carol').catch((e: Error) => e);
    assert.match(String(lobby), /carol has no connection in this scenario/);
  });

  it('sends raw lines and parts, and reads the reply with nextReply', async () => {
    const s = session();
    await s.register('alice');
    await s.sendRaw('alice', '/FLY\n');
    const unknown = await s.nextReply('alice');
    assert.deepEqual({ ok: unknown.ok, code: unknown.code }, { ok: false, code: 'UNKNOWN_COMMAND' });
    await s.sendRaw('alice', '', { parts: ['/PI', 'NG x\r', '\n'], pauseMsBetweenParts: 5 });
    assert.equal((await s.nextReply('alice')).raw, 'PONG x');
  });

  it('detects the close after BYE, and a drop is seen by the others', async () => {
    const s = session();
    await aliceAndBobInRoom(s);
    assert.equal((await s.run('bob', 'bye')).ok, true);
    await s.expectClosed('bob');
    assert.equal(s.isConnected('bob'), false);
    await s.register('carol');
    await s.run('carol', 'join', { channel: s.channel('#room') });
    await s.drop('carol');
    assert.equal(s.isConnected('carol'), false);
    await s.expectEvent('alice', 'quit', { nick: s.nick('bob') });
    await s.expectEvent('alice', 'quit', { nick: s.nick('carol') });
    await s.closeAll();
    await s.closeAll(); // twice is harmless
    assert.match(s.transcript(), /carol -- \(connection closed by the harness\)/);
  });

  it('a reply of the wrong shape fails at once with the reply shown', async () => {
    const s = session({ timeoutMs: 10000 }, { profile: canonicalVariant((p) => (p.commands.join.send = '/JOINWRONG {channel}')) });
    await s.register('alice');
    const started = Date.now();
    await assert.rejects(s.run('alice', 'join', { channel: s.channel('#room') }), /alice: the reply "OK JOIN #room_\w+" to join does not have the expected shape/);
    assert.ok(Date.now() - started < 10000, 'did not wait for the timeout');
  });

  it('a command, event or capability the profile lacks is not gradable, before anything is sent', async () => {
    const s = session(
      {},
      {
        profile: canonicalVariant((p) => {
          delete p.commands.kick;
          delete p.events.kicked;
          delete p.commands.msg.nickSeparator;
          p.capabilities.rawWire = false;
        }),
      },
    );
    await s.register('alice');
    await assert.rejects(s.run('alice', 'kick', { nick: s.nick('bob') }), (e: Error) => e instanceof NotGradableError && /cannot express the command "kick"/.test(e.message));
    await assert.rejects(s.expectEvent('alice', 'kicked'), NotGradableError);
    await assert.rejects(s.expectNoEvent('alice', 'kicked'), NotGradableError);
    await assert.rejects(s.sendRaw('alice', 'x\n'), /does not allow literal wire lines/);
    assert.throws(() => s.requireCapability('rawWire'), (e: Error) => e instanceof NotGradableError && /lacks the capability "rawWire"/.test(e.message));
    s.requireCapability('lobby');
    s.requireCapability('barrier');
    await assert.rejects(s.msg('alice', [s.nick('bob'), s.nick('carol')], 'hi'), /cannot express a private message to several users/);
    assert.doesNotMatch(s.transcript(), /KICK/);
  });

  it('a silent dialect: success is the absence of an error after the barrier', async () => {
    const s = session(
      {},
      {
        profile: canonicalVariant((p) => {
          // This fake server does answer OK lines; a silent dialect would not. They are simply left unread.
          p.commands.say = { send: '{text}', silent: true };
          p.commands.join = { send: '/JOIN {channel}', silent: true };
          p.register = [{ send: '{nick}' }];
        }),
      },
    );
    assert.equal((await s.register('alice')).ok, true);
    const refused = await s.run('alice', 'say', { text: 'in the lobby' });
    assert.deepEqual({ ok: refused.ok, code: refused.code }, { ok: false, code: 'NO_CHANNEL' });
    assert.equal((await s.run('alice', 'join', { channel: s.channel('#room') })).ok, true);
    assert.equal((await s.run('alice', 'say', { text: 'hi' })).ok, true);
  });

  it('loads the profile named in the parameters', () => {
    assert.equal(loadProfile('canonical'), loadProfile(resolveProfilePath('canonical')), 'compiled once, shared');
  });
});
