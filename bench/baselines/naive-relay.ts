/**
 * Baseline (b): the simplest Node chat relay one would write, with no protocol logic.
 *
 * It speaks only the sliver of the canonical dialect the load generator uses (greeting, bare nick,
 * /JOIN, plain lines) and validates nothing. Each line is split with String.split, and every message
 * costs one socket.write per recipient: no shared buffer, no batching. This is the floor the
 * reference server must beat by 2x on the multi-client workloads (issue #8).
 *
 * Usage: node --import tsx bench/baselines/naive-relay.ts [--port 0]  (prints "listening on 127.0.0.1:<port>")
 */
import net from 'node:net';
import { parseArgs } from 'node:util';

interface Peer {
  socket: net.Socket;
  nick?: string;
  channel?: string;
}

export function startNaiveRelay(port: number, host = '127.0.0.1'): Promise<net.Server> {
  const members = new Set<Peer>();
  const server = net.createServer((socket) => {
    const peer: Peer = { socket };
    let buffered = '';
    socket.setEncoding('utf8');
    socket.write('HELLO naive-relay 1\n');
    socket.on('data', (data: string) => {
      const lines = (buffered + data).split('\n');
      buffered = lines.pop()!;
      for (const raw of lines) {
        const line = raw.replace(/\r$/, '');
        if (line === '') continue;
        if (peer.nick === undefined) {
          peer.nick = line;
          socket.write(`OK WELCOME ${line}\n`);
        } else if (line.startsWith('/JOIN ')) {
          peer.channel = line.slice(6);
          members.add(peer);
          socket.write(`OK JOIN ${peer.channel} member\n`);
        } else {
          for (const other of members) {
            if (other !== peer) other.socket.write(`MSG ${peer.channel} ${peer.nick} ${line}\n`);
          }
          socket.write(`OK SAY ${peer.channel}\n`);
        }
      }
    });
    socket.on('close', () => members.delete(peer));
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });
  const server = await startNaiveRelay(Number(values.port), values.host);
  const address = server.address() as net.AddressInfo;
  console.log(`listening on ${address.address}:${address.port}`);
}
