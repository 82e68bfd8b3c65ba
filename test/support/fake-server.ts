/**
 * Scripted TCP servers on 127.0.0.1 for tests of the harness's client side: `onConnection` decides what
 * each accepted socket gets. Every server and socket is kept so that `closeFakeServers` (registered by
 * the test file with `after`, once its own clients are closed) ends them all.
 */
import net from 'node:net';
import { once } from 'node:events';

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

/** Starts a server on an ephemeral loopback port; returns the port. */
export async function fakeServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {}); // a client may reset the connection (floods, destroyed clients)
    onConnection(socket);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

export async function closeFakeServers(): Promise<void> {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
}
