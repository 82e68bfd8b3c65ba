/**
 * The Session against the real reference server (reference-server/index.ts), canonical profile:
 * the barrier and event routing on a server that flushes once per event-loop turn, where replies
 * and events of one command often share a TCP segment.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../../reference-server/index.ts';
import { createSession } from '../../../harness/session/session.ts';
import type { Session } from '../../../harness/session/session-api.ts';

let server: RunningServer;
const sessions: Session[] = [];
before(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, log: () => {}, operPassword: 'op-secret' });
});
after(async () => {
  for (const session of sessions) await session.closeAll();
  await server.close();
});

function session(): Session {
  const created = createSession({ target: { host: '127.0.0.1', port: server.port }, profile: 'canonical', timeoutMs: 3000, quietMs: 100, pristine: false });
  sessions.push(created);
  return created;
}

describe('Session against the reference server', () => {
  it('a kick: the target and the others see it, the kicker does not, and the target is in the lobby', async () => {
    const s = session();
    for (const user of ['alice', 'bob', 'carol']) {
      await s.register(user);
      await s.run(user, 'join', { channel: s.channel('#room') });
    }
    const kick = await s.run('alice', 'kick', { nick: s.nick('bob') });
    assert.deepEqual(kick.fields, { channel: s.channel('#room'), nick: s.nick('bob') });
    const by = s.nick('alice');
    await s.expectEvent('bob', 'kicked', { channel: s.channel('#room'), nick: s.nick('bob'), by });
    await s.expectEvent('carol', 'kicked', { nick: s.nick('bob'), by });
    await s.expectNoEvent('alice', 'kicked');
    const lobby = await s.run('bob', 'say', { text: 'anyone?' });
    assert.deepEqual({ ok: lobby.ok, code: lobby.code }, { ok: false, code: 'NO_CHANNEL' });
  });

  it('two scenarios on one server never see each other, even with the same logical names', async () => {
    const first = session();
    const second = session();
    for (const s of [first, second]) {
      await s.register('alice');
      assert.equal((await s.run('alice', 'join', { channel: s.channel('#room') })).fields.role, 'owner');
    }
    await first.run('alice', 'say', { text: 'first only' });
    await second.expectNoEvent('alice');
  });

  it('history data lines, multi-target msg and a file transfer', async () => {
    const s = session();
    for (const user of ['alice', 'bob', 'carol']) {
      await s.register(user);
      await s.run(user, 'join', { channel: s.channel('#room') });
    }
    await s.run('alice', 'say', { text: 'one' });
    await s.run('alice', 'say', { text: 'two words' });
    const history = await s.run('bob', 'history', { count: '2' });
    assert.deepEqual(history.data, [
      { channel: s.channel('#room'), from: s.nick('alice'), text: 'one' },
      { channel: s.channel('#room'), from: s.nick('alice'), text: 'two words' },
    ]);
    const msg = await s.msg('alice', [s.nick('bob'), s.nick('carol'), s.nick('bob')], 'psst');
    assert.equal(msg.fields.nicks, `${s.nick('bob')};${s.nick('carol')}`);
    await s.expectEvent('bob', 'private', { from: s.nick('alice'), text: 'psst' });
    await s.expectNoEvent('bob', 'private');
    await s.run('alice', 'send', { nick: s.nick('bob'), name: 'a.txt', size: '5' });
    await s.run('alice', 'data', { base64: Buffer.from('hello').toString('base64') });
    await s.expectEvent('bob', 'file', { from: s.nick('alice'), name: 'a.txt', size: '5' });
    const recv = await s.run('bob', 'recv', { name: 'a.txt' });
    assert.equal(Buffer.from(recv.data.map((d) => d.base64).join(''), 'base64').toString(), 'hello');
  });

  it('a raw line split into parts is one command; an over-long line is refused and the connection stays', async () => {
    const s = session();
    await s.register('alice');
    await s.sendRaw('alice', '', { parts: ['/JO', `IN ${s.channel('#room')}\r`, '\n'], pauseMsBetweenParts: 5 });
    assert.equal((await s.nextReply('alice')).fields.role, 'owner');
    await s.sendRaw('alice', `${'x'.repeat(5000)}\n`);
    assert.equal((await s.nextReply('alice')).code, 'LINE_TOO_LONG');
    assert.equal(s.isConnected('alice'), true);
  });
});
