/**
 * A deliberately small canonical server for the Session's tests: registration, JOIN, plain messages,
 * WHO, LIST, HELP, PING, BYE and drops, following docs/PROTOCOL.md for those commands only. It lets the
 * harness be tested without depending on the reference server; it is not a reference for anything.
 */
import net from 'node:net';
import { once } from 'node:events';

interface Client {
  socket: net.Socket;
  nick?: string;
  current?: string;
}

export interface FakeServer {
  port: number;
  close(): Promise<void>;
}

export async function startFakeCanonicalServer(): Promise<FakeServer> {
  const clients = new Set<Client>();
  const channels = new Map<string, Client[]>(); // members in join order; the first is the owner
  const send = (client: Client, line: string) => client.socket.write(`${line}\n`);

  function depart(client: Client) {
    clients.delete(client);
    const notified = new Set<Client>();
    for (const [name, members] of channels) {
      const index = members.indexOf(client);
      if (index < 0) continue;
      members.splice(index, 1);
      for (const member of members) notified.add(member);
      if (members.length === 0) channels.delete(name);
    }
    for (const member of notified) send(member, `QUIT ${client.nick}`);
  }

  function handle(client: Client, line: string) {
    if (line.trim() === '') return;
    const [word = '', ...rest] = line.trim().split(/ +/);
    if (!client.nick && !word.startsWith('/')) {
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,15}$/.test(word)) return send(client, 'ERR NICK_INVALID bad nick');
      if ([...clients].some((c) => c.nick === word)) return send(client, 'ERR NICK_IN_USE taken');
      client.nick = word;
      return send(client, `OK WELCOME ${word}`);
    }
    if (!word.startsWith('/')) {
      if (!client.current) return send(client, 'ERR NO_CHANNEL you are in the lobby');
      for (const member of channels.get(client.current)!) if (member !== client) send(member, `MSG ${client.current} ${client.nick} ${line.trim()}`);
      return send(client, `OK SAY ${client.current}`);
    }
    switch (word.toUpperCase()) {
      case '/PING':
        return send(client, rest[0] ? `PONG ${rest[0]}` : 'PONG');
      case '/HELP':
        send(client, 'HELP /JOIN <channel>');
        send(client, 'HELP /WHO');
        return send(client, 'OK HELP');
      case '/BYE':
        send(client, 'OK BYE');
        depart(client);
        return client.socket.end();
      case '/LIST':
        return send(client, ['OK LIST', ...[...channels.keys()].sort()].join(' '));
      case '/JOIN': {
        const name = rest[0]!;
        const members = channels.get(name) ?? [];
        if (members.includes(client)) return send(client, 'ERR ALREADY_MEMBER already');
        for (const member of members) send(member, `JOIN ${name} ${client.nick}`);
        members.push(client);
        channels.set(name, members);
        client.current = name;
        return send(client, `OK JOIN ${name} ${members.length === 1 ? 'owner' : 'member'}`);
      }
      case '/WHO': {
        if (!client.current) return send(client, 'ERR NO_CHANNEL lobby');
        const members = channels.get(client.current)!;
        return send(client, `OK WHO ${client.current} ${members.map((m, i) => (i === 0 ? `~${m.nick}` : m.nick)).join(' ')}`);
      }
      case '/JOINWRONG': // a reply of the wrong shape, for the malformed-reply test
        return send(client, `OK JOIN ${rest[0]}`);
      default:
        return send(client, `ERR UNKNOWN_COMMAND ${word}`);
    }
  }

  const server = net.createServer((socket) => {
    const client: Client = { socket };
    clients.add(client);
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (text: string) => {
      buffer += text;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        handle(client, buffer.slice(0, newline).replace(/\r$/, ''));
        buffer = buffer.slice(newline + 1);
      }
    });
    socket.on('close', () => {
      if (clients.has(client)) depart(client);
    });
    send(client, 'HELLO fake 1');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const client of clients) client.socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
