/**
 * A connection whose handler died (issue #14): the Session names it ("stopped answering ... its handler
 * may have died") even when an event caused by another user arrives after the request, which answers
 * nothing; and a server that merely ignores a request while its connection still answers is told apart.
 * The server here is a few lines of canonical: registration, PING, and one deadly or ignored command.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { createSession } from '../../../harness/session/session.ts';
import type { Session } from '../../../harness/session/session-api.ts';

/** After registration (the first line, the nick), /NICK kills the connection's handler (after one event line); /LIST is ignored. */
async function startServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let registered = false;
    let dead = false;
    socket.write('HELLO tiny 1\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (dead) continue;
        const [word, arg] = line.split(' ');
        // The first line is the nick (canonical registration); then /NICK is deadly, /PING answered, the rest ignored.
        if (!registered) {
          registered = true;
          socket.write(`OK WELCOME ${line}\n`);
        } else if (word === '/NICK') {
          dead = true;
          socket.write('JOIN #room_x bob_x\n'); // another user's join, already on its way: then nothing, ever
        } else if (word === '/PING') socket.write(`PONG ${arg ?? ''}`.trimEnd() + '\n');
        // anything else (/LIST): ignored, the connection still answers
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const server = await startServer();
const sessions: Session[] = [];
after(async () => {
  for (const s of sessions) await s.closeAll();
  await server.close();
});

function session(): Session {
  const s = createSession({ target: { host: '127.0.0.1', port: server.port }, profile: 'canonical', timeoutMs: 3000, quietMs: 100, pristine: false });
  sessions.push(s);
  return s;
}

it('an event arriving after the request does not hide a handler that died on it', { timeout: 20_000 }, async () => {
  const s = session();
  await s.register('alice');
  await assert.rejects(s.run('alice', 'nick', { nick: s.nick('alicia') }), (error: Error) => {
    assert.match(error.message, /but it did not arrive: the server stopped answering on this connection after "\/NICK alicia_[^"]+": nothing arrived for it, nor for a barrier request sent after it.*its handler may have died/);
    return true;
  });
});

it('a request ignored by a connection that still answers is said to be ignored, not a dead handler', { timeout: 20_000 }, async () => {
  const s = session();
  await s.register('alice');
  await assert.rejects(s.run('alice', 'list'), /a barrier request sent after it was answered, so the server ignored the request/);
});
