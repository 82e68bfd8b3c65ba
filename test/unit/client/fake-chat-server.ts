/**
 * A small canonical-dialect server for the client's tests, until reference-server/index.ts lands.
 * It implements only what the client tests exercise (registration, JOIN/LEAVE/WHO/LIST, messages,
 * PING, BYE, SEND/DATA/RECV, HELP), following docs/PROTOCOL.md for those; it is NOT a reference.
 */
import net from 'node:net';

interface User {
  socket: net.Socket;
  nick?: string;
  channel?: string;
  upload?: { to: User; name: string; size: number; chunks: Buffer[]; received: number };
  files: Array<{ from: string; name: string; content: Buffer }>;
}

export interface FakeChatServer {
  port: number;
  /** Drops every connection without a word (the "server closed the connection" case). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFakeChatServer(): Promise<FakeChatServer> {
  const users = new Set<User>();
  const channels = new Map<string, User[]>(); // join order; [0] is the owner

  const send = (user: User, line: string): void => void user.socket.write(`${line}\n`);
  const members = (channel: string) => channels.get(channel) ?? [];
  const byNick = (nick: string) => [...users].find((u) => u.nick === nick);

  const leaveAll = (user: User) => {
    for (const [name, list] of channels) {
      const index = list.indexOf(user);
      if (index < 0) continue;
      list.splice(index, 1);
      for (const other of list) send(other, `QUIT ${user.nick}`);
      if (list.length === 0) channels.delete(name);
    }
  };

  const handle = (user: User, raw: string): void => {
    const line = raw.trim();
    if (line === '') return;
    const isCommand = line.startsWith('/') && !line.startsWith('//');
    const [word = '', ...args] = isCommand ? line.slice(1).split(/ +/) : [];
    const cmd = word.toUpperCase();
    if (cmd === 'PING') return send(user, args[0] ? `PONG ${args[0]}` : 'PONG');
    if (cmd === 'BYE') {
      send(user, 'OK BYE');
      user.socket.end();
      return;
    }
    if (cmd === 'HELP') {
      send(user, 'HELP /JOIN <channel>: join a channel');
      send(user, 'HELP /WHO: members of the current channel');
      return send(user, 'OK HELP');
    }
    if (user.nick === undefined) {
      const nick = isCommand && cmd === 'NICK' ? args[0] : isCommand ? undefined : line;
      if (isCommand && cmd !== 'NICK') return send(user, 'ERR NOT_REGISTERED register first');
      if (nick === undefined || !/^[A-Za-z][A-Za-z0-9_-]{0,15}$/.test(nick)) return send(user, 'ERR NICK_INVALID bad nick');
      if (byNick(nick)) return send(user, 'ERR NICK_IN_USE taken');
      user.nick = nick;
      return send(user, `OK WELCOME ${nick}`);
    }
    if (!isCommand) {
      if (user.channel === undefined) return send(user, 'ERR NO_CHANNEL join a channel first');
      const text = line.startsWith('//') ? line.slice(1) : line;
      for (const m of members(user.channel)) if (m !== user) send(m, `MSG ${user.channel} ${user.nick} ${text}`);
      return send(user, `OK SAY ${user.channel}`);
    }
    switch (cmd) {
      case 'JOIN': {
        if (args.length !== 1) return send(user, 'ERR SYNTAX usage: /JOIN <channel>');
        const name = args[0]!;
        const list = channels.get(name) ?? [];
        const created = list.length === 0;
        for (const m of list) send(m, `JOIN ${name} ${user.nick}`);
        list.push(user);
        channels.set(name, list);
        user.channel = name;
        return send(user, `OK JOIN ${name} ${created ? 'owner' : 'member'}`);
      }
      case 'LIST':
        return send(user, ['OK LIST', ...[...channels.keys()].sort()].join(' '));
      case 'WHO': {
        if (user.channel === undefined) return send(user, 'ERR NO_CHANNEL none');
        const list = members(user.channel).map((m, i) => (i === 0 ? `~${m.nick}` : m.nick));
        return send(user, `OK WHO ${user.channel} ${list.join(' ')}`);
      }
      case 'MSG': {
        const text = line.replace(/^\/\S+ +\S+ +/, '');
        const targets = (args[0] ?? '').split(';');
        const found = targets.map((t) => members(user.channel ?? '').find((m) => m.nick === t));
        if (found.some((m) => m === undefined)) return send(user, 'ERR NO_SUCH_NICK nobody');
        for (const m of new Set(found)) send(m!, `PRIV ${user.nick} ${text}`);
        return send(user, `OK MSG ${args[0]}`);
      }
      case 'SEND': {
        const [nick, name, size] = args;
        const to = members(user.channel ?? '').find((m) => m.nick === nick);
        if (to === undefined) return send(user, `ERR NO_SUCH_NICK ${nick}`);
        if (Number(size) > 1048576) return send(user, 'ERR FILE_TOO_LARGE too large');
        user.upload = { to, name: name!, size: Number(size), chunks: [], received: 0 };
        return send(user, `OK SEND ${nick} ${name} ${size}`);
      }
      case 'DATA': {
        const up = user.upload;
        if (up === undefined) return send(user, 'ERR NOT_ALLOWED no upload');
        const bytes = Buffer.from(args[0] ?? '', 'base64');
        up.chunks.push(bytes);
        up.received += bytes.length;
        send(user, `OK DATA ${up.received} ${up.size}`);
        if (up.received === up.size) {
          up.to.files.push({ from: user.nick, name: up.name, content: Buffer.concat(up.chunks) });
          send(up.to, `FILE ${user.nick} ${up.name} ${up.size}`);
          user.upload = undefined;
        }
        return;
      }
      case 'RECV': {
        const index = user.files.findIndex((f) => f.name === args[0]);
        if (index < 0) return send(user, `ERR NO_SUCH_FILE ${args[0]}`);
        const [file] = user.files.splice(index, 1);
        for (let offset = 0; offset < file!.content.length; offset += 3072) {
          send(user, `FILEDATA ${file!.name} ${file!.content.subarray(offset, offset + 3072).toString('base64')}`);
        }
        return send(user, `OK RECV ${file!.name} ${file!.content.length} ${file!.from}`);
      }
      default:
        return send(user, `ERR UNKNOWN_COMMAND ${cmd}`);
    }
  };

  const server = net.createServer((socket) => {
    const user: User = { socket, files: [] };
    users.add(user);
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffered += text;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl).replace(/\r$/, '');
        buffered = buffered.slice(nl + 1);
        if (users.has(user)) handle(user, line);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!users.delete(user)) return;
      leaveAll(user);
    });
    send(user, 'HELLO fake-chat 1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    dropAll: () => {
      for (const user of users) user.socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const user of users) user.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
