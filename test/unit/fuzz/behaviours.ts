/**
 * Hostile client behaviours for the socket fuzzer, each one connection's worth: random bytes, valid
 * lines cut at random points, huge lines, output floods by a client that never reads, resets in the
 * middle of a line, connection storms. Each returns how many bytes it wrote; none asserts anything
 * about the server's answers except where the spec fixes them (one LINE_TOO_LONG per huge line).
 */
import net from 'node:net';
import { once } from 'node:events';
import type { Random } from '../../support/prng.ts';

export const HOST = '127.0.0.1';

const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/** A raw socket that swallows errors (resets are expected) and can wait for the server to close it. */
async function open(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: HOST, port });
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/**
 * Resolves on the first of `events` (never rejects: events.once would reject on a socket 'error', which
 * here is an expected outcome), or after `ms` when given.
 */
function firstOf(socket: net.Socket, events: readonly string[], ms?: number): Promise<string> {
  return new Promise((resolve) => {
    const handlers = events.map((name) => [name, () => done(name)] as const);
    const timer = ms === undefined ? undefined : setTimeout(() => done('timeout'), ms);
    function done(name: string): void {
      clearTimeout(timer);
      for (const [event, handler] of handlers) socket.off(event, handler);
      resolve(name);
    }
    if (socket.destroyed && events.includes('close')) return done('close');
    for (const [event, handler] of handlers) socket.once(event, handler);
  });
}

/** Writes `data`, waiting for 'drain' when the socket buffer is full (so the fuzzer's own memory stays small). */
async function write(socket: net.Socket, data: Uint8Array | string): Promise<number> {
  if (socket.destroyed) return 0;
  if (!socket.write(data)) await firstOf(socket, ['drain', 'close']);
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

/** Ends a fuzz connection one of three ways: FIN, TCP reset, or plain destroy. */
async function finish(socket: net.Socket, random: Random): Promise<void> {
  const how = random();
  if (how < 0.4) socket.resetAndDestroy();
  else if (how < 0.7) socket.destroy();
  else {
    socket.end();
    // The server flushes what it owes, then closes; bounded in case it does not.
    socket.resume();
    await firstOf(socket, ['close'], 2000);
    socket.destroy();
  }
}

/** Lines read from a socket as they arrive (for the behaviours that check an answer). */
function lineReader(socket: net.Socket): { lines: string[]; waitFor: (re: RegExp, ms: number) => Promise<boolean> } {
  const lines: string[] = [];
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const waitFor = async (re: RegExp, ms: number): Promise<boolean> => {
    const giveUpAt = Date.now() + ms;
    while (Date.now() < giveUpAt && !socket.destroyed) {
      if (lines.some((l) => re.test(l))) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return lines.some((l) => re.test(l));
  };
  return { lines, waitFor };
}

/** Random bytes (newlines, CRs, NULs, invalid UTF-8 and all) in random-sized writes. */
export async function randomBytes(port: number, random: Random): Promise<number> {
  const socket = await open(port);
  socket.resume();
  let bytes = 0;
  for (let i = int(random, 1, 6); i > 0; i--) {
    const chunk = Buffer.alloc(int(random, 0, 4096));
    for (let j = 0; j < chunk.length; j++) chunk[j] = random() < 0.03 ? 0x0a : int(random, 0, 255);
    bytes += await write(socket, chunk);
  }
  await finish(socket, random);
  return bytes;
}

/** A plausible session (register, join, talk, admin commands) cut at random byte offsets into many writes. */
export async function splitSession(port: number, random: Random, id: number): Promise<number> {
  const socket = await open(port);
  socket.resume();
  const nick = `fz${id}`;
  const channel = `#fz${int(random, 0, 3)}`;
  const lines = [nick, `/JOIN ${channel}`, `hello from ${nick} é€😀`, '/WHO', '/LIST', `/MSG ${nick};fz${int(random, 0, id)} psst`,
    `/KICK fz${int(random, 0, id)}`, `/GRANT fz${int(random, 0, id)}`, '/REN #fz-renamed', '/HISTORY 5', '/CURRENT', '/LEAVE', `/JOIN ${channel}`];
  const stream = Buffer.from(lines.map((l) => l + (random() < 0.5 ? '\r\n' : '\n')).join(''), 'utf8');
  let bytes = 0;
  for (let start = 0; start < stream.length; ) {
    const end = Math.min(stream.length, start + int(random, 1, 40));
    bytes += await write(socket, stream.subarray(start, end));
    start = end;
    if (random() < 0.3) await new Promise((r) => setImmediate(r));
  }
  if (random() < 0.5) bytes += await write(socket, stream.subarray(0, int(random, 1, stream.length - 1))); // a partial line left behind
  await finish(socket, random);
  return bytes;
}

/** A line of 1 to 4 MB streamed in 64 KB writes: exactly one LINE_TOO_LONG, then the next line is served. */
export async function hugeLine(port: number, random: Random, id: number): Promise<{ bytes: number; answeredOnce: boolean }> {
  const socket = await open(port);
  const reader = lineReader(socket);
  let bytes = await write(socket, `big${id}\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  for (let n = int(random, 16, 64); n > 0; n--) bytes += await write(socket, chunk);
  bytes += await write(socket, `\n/PING after${id}\n`);
  const served = await reader.waitFor(new RegExp(`^PONG after${id}$`), 20_000);
  const tooLong = reader.lines.filter((l) => l.startsWith('ERR LINE_TOO_LONG')).length;
  socket.destroy();
  return { bytes, answeredOnce: served && tooLong === 1 };
}

/** Registers, then asks for far more output than it ever reads (/HELP floods): the server must cut it off. */
export async function outputFlood(port: number, id: number): Promise<{ bytes: number; cutOff: boolean }> {
  const socket = await open(port);
  socket.pause(); // never reads: the kernel buffers fill, then the server's queue for it grows
  let bytes = await write(socket, `flood${id}\n`);
  const closed = firstOf(socket, ['close'], 20_000);
  const batch = '/HELP\n'.repeat(500); // each /HELP answers about 2.5 KB: 1.2 MB of output per batch
  for (let round = 0; round < 40 && !socket.destroyed; round++) {
    bytes += await write(socket, batch);
    await new Promise((r) => setImmediate(r));
  }
  const cutOff = (await closed) === 'close';
  socket.destroy();
  return { bytes, cutOff };
}

/** Registers, joins the bystander's channel, and resets the connection in the middle of a line. */
export async function resetMidLine(port: number, random: Random, id: number, channel: string): Promise<number> {
  const socket = await open(port);
  socket.resume();
  let bytes = await write(socket, `rst${id}\n/JOIN ${channel}\nhalf a mess`);
  await new Promise((r) => setTimeout(r, int(random, 0, 20)));
  bytes += await write(socket, 'age never finish');
  socket.resetAndDestroy();
  return bytes;
}

/** Opens several connections and drops them at once, some before the HELLO is even read. */
export async function connectStorm(port: number, random: Random): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: int(random, 5, 20) }, () => open(port)));
  for (const socket of sockets) {
    if (random() < 0.5) socket.resetAndDestroy();
    else socket.destroy();
  }
  return 0;
}
