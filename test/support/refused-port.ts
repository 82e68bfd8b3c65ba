/**
 * A port on 127.0.0.1 that refuses connections and that no other process can listen on while it is held:
 * for a test of "nobody listens there". A port freePort() returned a moment ago may be handed to a server
 * another test file starts meanwhile (the unit tests run four files at once); this one is the local port of
 * an open client connection, which a listener cannot bind (the client socket has no SO_REUSEADDR), while a
 * connection to it finds no listener and is refused.
 */
import net from 'node:net';
import { once } from 'node:events';

export async function refusedPort(): Promise<{ port: number; release: () => void }> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const peer = await accepted;
  server.close(); // no listener any more; the connection stays, and holds the client's port
  return {
    port: client.localPort!,
    release: () => {
      client.destroy();
      peer.destroy();
    },
  };
}
