/**
 * The Session with non-canonical situations: a server that refuses a connection instead of greeting,
 * and a seed-style dialect (no "/", free-text French replies without newlines, colours, no barrier).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { closeFakeServers, fakeServer } from '../../support/fake-server.ts';
import { createSession } from '../../../harness/session/session.ts';
import { parseProfile } from '../../../harness/dialect/load-profile.ts';
import type { HarnessParameters, Session } from '../../../harness/session/session-api.ts';
import type { Profile } from '../../../harness/dialect/profile-types.ts';

const sessions: Session[] = [];
after(async () => {
  for (const session of sessions) await session.closeAll();
  await closeFakeServers();
});

function session(port: number, profile?: Profile, extra: Partial<HarnessParameters> = {}): Session {
  const created = createSession(
    { target: { host: '127.0.0.1', port }, profile: 'canonical', timeoutMs: 2000, quietMs: 150, pristine: false, ...extra },
    { profile },
  );
  sessions.push(created);
  return created;
}

describe('connection refused by the server instead of a greeting', () => {
  it('connect() leaves the refusal for nextReply, then the close is observed', async () => {
    const port = await fakeServer((socket) => socket.end('ERR SERVER_FULL too many connections\n'));
    const s = session(port);
    await s.connect('alice');
    const refusal = await s.nextReply('alice');
    assert.deepEqual({ ok: refusal.ok, code: refusal.code }, { ok: false, code: 'SERVER_FULL' });
    await s.expectClosed('alice');
    assert.equal(s.isConnected('alice'), false);
  });
});

/** A tiny server in the seed dialect of /work/shared/seed: commands without "/", text without newlines. */
async function seedStyleServer(): Promise<number> {
  const members: Array<{ socket: net.Socket; nick: string }> = [];
  return fakeServer((socket) => {
    let nick: string | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const line = text.replace(/\n$/, '');
      if (!nick) {
        nick = line;
        return;
      }
      if (line.startsWith('JOIN ')) {
        members.push({ socket, nick });
        return; // silent on success
      }
      if (line.startsWith('message')) {
        for (const member of members) if (member.socket !== socket) member.socket.write(`\u001b[1m${nick}\u001b[0m: ${line.slice('message'.length)}`);
        return;
      }
      if (line.startsWith('KICK ')) {
        socket.write("Calme toi t'es pas l'administrateur du groupe");
        return;
      }
      socket.write('Commande inconnue');
    });
  });
}

const seedLike = parseProfile(
  JSON.stringify({
    name: 'seed-like',
    wire: { framing: 'stream', stripAnsi: true },
    register: [{ send: '{nick}' }],
    replies: { error: [{ match: "Calme toi t'es pas l'administrateur", code: 'NOT_ADMIN' }, 'Commande inconnue'] },
    commands: {
      join: { send: 'JOIN {channel}', silent: true },
      say: { send: 'message{text}', silent: true },
      kick: { send: 'KICK {nick}', silent: true },
    },
    events: { message: '(?<from>[A-Za-z][\\w-]*): (?<text>[^\\n]*?)(?=[A-Za-z][\\w-]*: |$)' },
    capabilities: { lobby: false, rawWire: false, errorCodes: true },
  }),
  'seed-like.json',
);

describe('a seed-style dialect (stream framing, silent successes, free-text errors, no barrier)', () => {
  it('registers, joins and talks; events are matched in the accumulated text with colours stripped', async () => {
    const port = await seedStyleServer();
    const s = session(port, seedLike);
    assert.equal((await s.register('alice')).ok, true);
    assert.equal((await s.register('bob')).ok, true);
    assert.equal((await s.run('alice', 'join', { channel: s.channel('#room') })).ok, true);
    assert.equal((await s.run('bob', 'join', { channel: s.channel('#room') })).ok, true);
    await s.run('bob', 'say', { text: 'salut' });
    const event = await s.expectEvent('alice', 'message', { from: s.nick('bob'), text: 'salut' });
    assert.deepEqual(event, { from: s.nick('bob'), text: 'salut' });
    await s.expectNoEvent('bob', 'message'); // after the quiet period: no barrier in this dialect
    assert.doesNotMatch(s.transcript(), /PING/);
  });

  it('a free-text error maps to its code', async () => {
    const port = await seedStyleServer();
    const s = session(port, seedLike);
    await s.register('bob');
    // No lobby in this dialect: only after a join does a kick mean what the scenarios mean by it.
    await s.run('bob', 'join', { channel: s.channel('#room') });
    const refused = await s.run('bob', 'kick', { nick: s.nick('alice') });
    assert.deepEqual({ ok: refused.ok, code: refused.code }, { ok: false, code: 'NOT_ADMIN' });
  });
});

describe('a dialect without a lobby', () => {
  it('a channel command before the first join is not gradable, and nothing is sent', async () => {
    const port = await seedStyleServer();
    const s = session(port, seedLike);
    await s.register('bob');
    await assert.rejects(s.run('bob', 'kick', { nick: s.nick('alice') }), /has no lobby .* "kick" before bob's first join cannot be graded/);
    assert.doesNotMatch(s.transcript(), /KICK/);
  });
});

describe('a line sent before the request is never its reply (PROTOCOL.md §2.1: one reply per request)', () => {
  it('a stray OK and ERR that came before /LIST and before registering are not taken as their answers', async () => {
    const port = await fakeServer((socket) => {
      socket.setEncoding('utf8');
      // Unasked lines right after the greeting: they look like the answers the harness will wait for.
      socket.write('HELLO fake 1\nOK WELCOME alice_forged\nERR NICK_IN_USE forged\nOK LIST #forged\n');
      let buffered = '';
      socket.on('data', (text: string) => {
        buffered += text;
        for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          // The real answers come later, after a pause, so the stray ones are there first.
          if (line === '/LIST') setTimeout(() => socket.write('OK LIST #real\n'), 150);
          else if (!line.startsWith('/')) setTimeout(() => socket.write(`OK WELCOME ${line}\n`), 150);
        }
      });
    });
    const s = session(port);
    const welcome = await s.register('alice');
    assert.equal(welcome.ok, true);
    assert.equal(welcome.fields.nick, s.nick('alice'), 'the welcome that answered the nick, not the forged one');
    const { channels } = await s.list('alice');
    assert.deepEqual(channels, ['#real']);
  });
});
