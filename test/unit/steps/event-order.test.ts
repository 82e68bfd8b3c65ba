/**
 * The two Session checks the features rely on beyond single events, against a scripted fake server:
 * - expectEventsInOrder (PROTOCOL.md §2.2: a departing owner's LEAVE/QUIT before the OWNER) passes on
 *   the right order with unrelated events in between, and FAILS on the wrong order;
 * - discardReceived (run by the World when a When starts): what arrived before it no longer counts,
 *   what arrives after it does, and a connection with a half-sent line gets no barrier request.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSession } from '../../../harness/session/session.ts';
import { closeFakeServers, fakeServer } from '../../support/fake-server.ts';
import type { Session } from '../../../harness/session/session-api.ts';

const sessions: Session[] = [];
after(async () => {
  for (const session of sessions) await session.closeAll();
  await closeFakeServers();
});

interface Script {
  /** Lines pushed right after the welcome. */
  afterWelcome?: string[];
  /** The events and final reply sent for a command line (keyed by its command word); default `OK SAY`. */
  on?: Record<string, string[]>;
  /** Lines pushed before the PONG of the first, second... ping (one entry per ping, then none). */
  beforePongs?: string[][];
}

/** Registration, PING and scripted events; every received line is recorded. */
async function scriptedServer(script: Script): Promise<{ port: number; received: string[] }> {
  const received: string[] = [];
  const port = await fakeServer((socket) => {
    socket.write('HELLO fake 1\n');
    let buffer = '';
    let registered = false;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        received.push(line);
        const [word = '', token] = line.split(' ');
        if (!registered) {
          registered = true;
          socket.write([`OK WELCOME ${word}`, ...(script.afterWelcome ?? [])].map((l) => `${l}\n`).join(''));
        } else if (word === '/PING') {
          const events = script.beforePongs?.shift() ?? [];
          socket.write([...events, token ? `PONG ${token}` : 'PONG'].map((l) => `${l}\n`).join(''));
        } else {
          const lines = script.on?.[word] ?? ['OK SAY #room_ord'];
          socket.write(lines.map((l) => `${l}\n`).join(''));
        }
      }
    });
  });
  return { port, received };
}

/** Real names are `<logical>_ord` with this suffix. */
function session(port: number): Session {
  const created = createSession(
    { target: { host: '127.0.0.1', port }, profile: 'canonical', timeoutMs: 1500, quietMs: 100, pristine: false },
    { nameSuffix: 'ord' },
  );
  sessions.push(created);
  return created;
}

const LEAVE = { event: 'left', fields: { channel: '#room_ord', nick: 'alice_ord' } } as const;
const OWNER = { event: 'owner', fields: { channel: '#room_ord', nick: 'bob_ord' } } as const;

describe('Session.expectEventsInOrder', () => {
  it('passes when the events come in the listed order, unrelated events in between', async () => {
    const { port } = await scriptedServer({ afterWelcome: ['LEAVE #room_ord alice_ord', 'JOIN #other_ord carol_ord', 'OWNER #room_ord bob_ord'] });
    const s = session(port);
    assert.equal((await s.register('bob')).ok, true);
    const seen = await s.expectEventsInOrder('bob', [LEAVE, OWNER]);
    assert.deepEqual(seen.map((fields) => fields['nick']), ['alice_ord', 'bob_ord']);
    await s.expectEvent('bob', 'joined', { nick: 'carol_ord' }); // the unrelated event was not consumed
  });

  it('fails when a later event arrives before an earlier one', async () => {
    const { port } = await scriptedServer({ afterWelcome: ['OWNER #room_ord bob_ord', 'LEAVE #room_ord alice_ord'] });
    const s = session(port);
    await s.register('bob');
    await assert.rejects(s.expectEventsInOrder('bob', [LEAVE, OWNER]), (error: Error) => {
      assert.match(error.message, /received "OWNER #room_ord bob_ord" \(a "owner" event.*\) before a "left" event/);
      assert.match(error.message, /§2\.2/);
      return true;
    });
  });

  it('fails at once when only the later event came, instead of waiting for the earlier one', async () => {
    const { port } = await scriptedServer({ afterWelcome: ['OWNER #room_ord bob_ord'] });
    const s = session(port);
    await s.register('bob');
    await assert.rejects(s.expectEventsInOrder('bob', [LEAVE, OWNER]), /before a "left" event/);
  });

  it('times out naming what it waited for when the second event never comes', async () => {
    const { port } = await scriptedServer({ afterWelcome: ['LEAVE #room_ord alice_ord'] });
    const s = session(port);
    await s.register('bob');
    await assert.rejects(s.expectEventsInOrder('bob', [LEAVE, OWNER]), /expected a "owner" event.*, after a "left" event/);
  });
});

describe('Session.discardReceived', () => {
  it('forgets what arrived before it, and later events still count', async () => {
    const { port } = await scriptedServer({ afterWelcome: ['OWNER #room_ord bob_ord'], on: { '/LEAVE': ['LEAVE #room_ord alice_ord', 'OK LEAVE #room_ord'] } });
    const s = session(port);
    await s.register('bob');
    await s.discardReceived();
    await s.expectNoEvent('bob');
    await s.run('bob', 'leave');
    await assert.rejects(s.expectNoEvent('bob'), /should not have received any event, but received "LEAVE #room_ord alice_ord"/);
  });

  it('without it, the earlier event is still there for a negative check to find', async () => {
    const { port } = await scriptedServer({ afterWelcome: ['OWNER #room_ord bob_ord'] });
    const s = session(port);
    await s.register('bob');
    await assert.rejects(s.expectNoEvent('bob'), /received "OWNER #room_ord bob_ord"/);
  });

  it('waits for what is still on its way before forgetting (the barrier)', async () => {
    // The event is sent just before the PONG of the discard's barrier: only a discard that waited
    // for that PONG forgets it.
    const { port } = await scriptedServer({ beforePongs: [['OWNER #room_ord bob_ord']] });
    const s = session(port);
    await s.register('bob');
    await s.discardReceived('bob');
    await s.expectNoEvent('bob');
  });

  it('sends no barrier request to a connection with a half-sent line, and keeps what it received', async () => {
    const { port, received } = await scriptedServer({ afterWelcome: ['OWNER #room_ord bob_ord'] });
    const s = session(port);
    await s.register('bob');
    await s.sendRaw('bob', 'hel');
    await s.discardReceived();
    await s.sendRaw('bob', 'lo\n');
    await s.nextReply('bob');
    assert.ok(received.includes('hello'), `the half line was completed by something else: ${JSON.stringify(received)}`);
    await s.expectEvent('bob', 'owner', { nick: 'bob_ord' });
  });
});
