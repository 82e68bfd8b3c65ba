/**
 * A minimal line client for the network layer's socket tests: connect, write raw bytes, read lines
 * with a deadline. (The conformance harness has its own, richer client; this one only serves test/unit/net.)
 */
import net from 'node:net';
import type { TestContext } from 'node:test';
import { escapeRegExp } from '../../../harness/dialect/template.ts';

export const HOST = '127.0.0.1';
/** Generous: the test machine is a noisy 2-core box. A deadline is a failure bound, never a timing assertion. */
export const DEFAULT_DEADLINE_MS = 5000;

export class LineClient {
  /** Every line received so far that has not been read yet. */
  private readonly unread: string[] = [];
  private partial = '';
  private waiter: (() => void) | undefined;
  private ended = false;
  /** Everything received, for assertion messages. */
  readonly transcript: string[] = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const parts = (this.partial + text).split('\n');
      this.partial = parts.pop()!;
      this.unread.push(...parts);
      this.transcript.push(...parts);
      this.wake();
    });
    socket.on('error', () => {}); // a reset by the server is an expected outcome in several tests
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: HOST, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new LineClient(socket));
      });
    });
  }

  /** Writes `data` as is (add the "\n" yourself when it matters that a line ends). */
  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  send(line: string): Promise<void> {
    return this.write(line + '\n');
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** The next line, or a rejection naming what was received if none arrives before the deadline. */
  async nextLine(deadlineMs = DEFAULT_DEADLINE_MS): Promise<string> {
    const giveUpAt = Date.now() + deadlineMs;
    for (;;) {
      const line = this.unread.shift();
      if (line !== undefined) return line;
      if (this.ended) throw new Error(`connection closed while waiting for a line; received: ${this.describe()}`);
      const left = giveUpAt - Date.now();
      if (left <= 0) throw new Error(`no line within ${deadlineMs} ms; received: ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Reads lines until one matches; returns it. Lines skipped on the way are returned in `skipped`. */
  async waitFor(match: RegExp | string, deadlineMs = DEFAULT_DEADLINE_MS): Promise<{ line: string; skipped: string[] }> {
    const giveUpAt = Date.now() + deadlineMs;
    const skipped: string[] = [];
    for (;;) {
      const line = await this.nextLine(Math.max(1, giveUpAt - Date.now()));
      if (typeof match === 'string' ? line === match : match.test(line)) return { line, skipped };
      skipped.push(line);
    }
  }

  /**
   * The barrier of PROTOCOL.md §2.1: sends /PING <token> and returns every line received before the PONG.
   * Whatever a previous command caused for this client has arrived by then.
   */
  async sync(token = `sync${Math.random().toString(36).slice(2, 8)}`): Promise<string[]> {
    await this.send(`/PING ${token}`);
    return (await this.waitFor(`PONG ${token}`)).skipped;
  }

  /** Waits until the server closes the connection. */
  async waitClosed(deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still open after ${deadlineMs} ms; received: ${this.describe()}`)),
        deadlineMs,
      );
    });
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private describe(): string {
    return JSON.stringify(this.transcript.slice(-20));
  }
}

/** Connects, reads HELLO, registers `nick` and checks the welcome. */
export async function registered(port: number, nick: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  const hello = await client.nextLine();
  if (!hello.startsWith('HELLO ')) throw new Error(`expected HELLO, got ${hello}`);
  await client.send(nick);
  const welcome = await client.nextLine();
  if (welcome !== `OK WELCOME ${nick}`) throw new Error(`expected OK WELCOME ${nick}, got ${welcome}`);
  return client;
}

/** A client registered as `nick` on the server at `port`, destroyed when the test ends. */
export async function user(t: TestContext, port: number, nick: string): Promise<LineClient> {
  const client = await registered(port, nick);
  t.after(() => client.destroy());
  return client;
}

/** Joins `channel` and waits for the acknowledgement. */
export async function join(client: LineClient, channel: string): Promise<void> {
  await client.send(`/JOIN ${channel}`);
  await client.waitFor(new RegExp(`^OK JOIN ${escapeRegExp(channel)} `));
}
