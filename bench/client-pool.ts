/**
 * A set of client connections driven through a bench dialect: connect, register, optionally join one
 * channel, then hand every received line to a payload scanner. Used by each load-generator shard (one
 * per worker thread) and directly by the idle-connection test.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BenchDialect } from './dialect.ts';
import { PayloadScanner } from './payload.ts';

export interface ConnectOptions {
  host: string;
  port: number;
  dialect: BenchDialect;
  clients: number;
  /** Global client indexes this pool owns (default: all of 0..clients-1). Nick = nickPrefix + index. */
  indexes?: readonly number[];
  /** Nicks are `${nickPrefix}${index}`; keep it short (IRC servers allow 9 characters by default). */
  nickPrefix?: string;
  /** Channel to join, or undefined to only register (idle-connection test). */
  channel?: string;
  /** Clients being set up at the same time. */
  concurrency?: number;
  /** Bound for the whole setup, ms. */
  setupTimeoutMs?: number;
  /** Current time in microseconds on the clock shared by every shard (default: this thread's). */
  clockMicros?: () => number;
}

interface Client {
  index: number;
  nick: string;
  socket: net.Socket;
  scanner: PayloadScanner;
  /** True once this client's first delivery was checked against the dialect's delivery line. */
  validated: boolean;
}

/** Handlers the measured phase installs; setup leaves them as no-ops. */
export interface DeliveryHooks {
  delivery(receiver: number, sender: number, seq: number, sentAtMicros: number, nowMicros: number): void;
  /** After each received chunk has been scanned (a cheap place to publish counters and pump senders). */
  afterChunk(): void;
}

/** A set of registered (and optionally joined) connections. */
export class ClientPool {
  /** By global index (sparse when the pool owns a share of the clients). */
  readonly clients: Client[] = [];
  readonly errors: string[] = [];
  disconnects = 0;
  /** performance.now() of the last received chunk, to wait for quiet after setup. */
  lastReceiveAt = 0;
  hooks: DeliveryHooks = { delivery: () => {}, afterChunk: () => {} };
  private closing = false;
  /** Computed once per received chunk: every line of a chunk arrived at the same moment. */
  private nowMicros = 0;

  readonly clockMicros: () => number;
  /** One read buffer for every socket of the pool: each read is fully scanned before the next. */
  private readonly readBuffer = Buffer.allocUnsafe(65536);

  constructor(private readonly options: ConnectOptions) {
    this.clockMicros = options.clockMicros ?? (() => performance.now() * 1000);
  }

  /** Number of clients this pool set up. */
  get size(): number {
    return this.options.indexes?.length ?? this.options.clients;
  }

  get dialect(): BenchDialect {
    return this.options.dialect;
  }

  /** Connects, registers (and joins) every client; resolves with the setup time in ms. */
  async open(): Promise<number> {
    const { clients, concurrency = 64, setupTimeoutMs = 120_000 } = this.options;
    const indexes = this.options.indexes ?? Array.from({ length: clients }, (_, i) => i);
    const started = performance.now();
    let next = 0;
    let failure: Error | undefined;
    const deadline = started + setupTimeoutMs;
    const worker = async (): Promise<void> => {
      while (next < indexes.length && failure === undefined) {
        const index = indexes[next++]!;
        const remaining = deadline - performance.now();
        try {
          if (remaining <= 0) throw new Error(`setup did not finish within ${setupTimeoutMs} ms`);
          await this.openOne(index, remaining);
        } catch (error) {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, indexes.length) }, worker));
    if (failure !== undefined) {
      this.close();
      throw failure;
    }
    return performance.now() - started;
  }

  /** Waits until nothing was received for `quietMs` (bounded by `maxMs`): lets setup events drain. */
  async settle(quietMs = 100, maxMs = 3000): Promise<void> {
    const until = performance.now() + maxMs;
    while (performance.now() < until && performance.now() - this.lastReceiveAt < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, quietMs / 2));
    }
  }

  /** Writes to the client with this global index (which this pool must own). */
  write(index: number, text: string): void {
    this.clients[index]!.socket.write(text);
  }

  close(): void {
    this.closing = true;
    for (const client of this.clients) if (client !== undefined) client.socket.destroy();
  }

  private openOne(index: number, timeoutMs: number): Promise<void> {
    const { host, port, dialect, channel, nickPrefix = 'b' } = this.options;
    const nick = `${nickPrefix}${index}`;
    return new Promise<void>((resolve, reject) => {
      let state: 'greeting' | 'registering' | 'joining' | 'ready' = dialect.greeting ? 'greeting' : 'registering';
      // `onread` hands each read to us in one reused buffer, without the readable-stream machinery
      // and a Buffer allocation per chunk: the generator's per-read cost is what limits it.
      const socket = net.connect({
        host,
        port,
        onread: {
          buffer: this.readBuffer,
          callback: (bytes: number, buffer: Uint8Array): boolean => {
            this.lastReceiveAt = performance.now();
            this.nowMicros = this.clockMicros();
            client.scanner.push(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
            this.hooks.afterChunk();
            return true;
          },
        },
      });
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(`client ${nick}: no ${state} within ${Math.round(timeoutMs)} ms`), timeoutMs);
      const fail = (message: string): void => {
        if (state === 'ready') return;
        clearTimeout(timer);
        state = 'ready';
        socket.destroy();
        reject(new Error(message));
      };
      const send = (lines: string[]): void => {
        socket.write(lines.map((line) => line + dialect.eol).join(''));
      };
      const register = (): void => {
        state = 'registering';
        send(dialect.register(nick));
      };
      const joined = channel === undefined ? undefined : dialect.joined(channel);
      const client: Client = {
        index,
        nick,
        socket,
        validated: false,
        scanner: new PayloadScanner({
          delivery: (sender, seq, sentAt, buf, start, end) => {
            if (!client.validated) {
              client.validated = true;
              const line = buf.toString('utf8', start, end);
              if (!dialect.deliveryLine.test(line)) this.recordError(`${nick}: delivery in an unexpected line: ${line}`);
            }
            this.hooks.delivery(index, sender, seq, sentAt, this.nowMicros);
          },
          other: (line) => {
            const answer = dialect.answerKeepAlive?.(line);
            if (answer !== undefined) {
              socket.write(answer + dialect.eol);
              return;
            }
            if (state === 'greeting' && dialect.greeting!.test(line)) {
              register();
            } else if (state === 'registering') {
              if (dialect.registered.test(line)) {
                if (channel === undefined) {
                  done();
                } else {
                  state = 'joining';
                  send(dialect.join(channel));
                }
              } else if (dialect.registerFailed.test(line)) {
                fail(`client ${nick}: registration refused: ${line}`);
              }
            } else if (state === 'joining' && joined!.test(line)) {
              done();
            }
          },
        }),
      };
      const done = (): void => {
        clearTimeout(timer);
        state = 'ready';
        resolve();
      };
      this.clients[index] = client;
      socket.on('connect', () => {
        if (state === 'registering') register();
      });
      socket.on('error', (error) => {
        if (state !== 'ready') fail(`client ${nick}: ${error.message}`);
        else this.recordError(`${nick}: ${error.message}`);
      });
      socket.on('close', () => {
        if (state !== 'ready') fail(`client ${nick}: connection closed during setup`);
        else if (!this.closing) this.disconnects++;
      });
    });
  }

  private recordError(message: string): void {
    if (this.errors.length < 10) this.errors.push(message);
  }
}

