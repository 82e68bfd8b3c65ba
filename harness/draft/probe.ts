/**
 * The probing side of `npm run profile:draft`: named users, each a TCP connection (or, with --client, a
 * client program), and one primitive: do something, then collect what every user received until the
 * server has been quiet for a while (bounded). Nothing here knows a dialect; it records what it sees.
 */
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientCommand, ProcessLink, type Link } from '../wire/process-link.ts';
import { stripAnsi } from '../wire/ansi.ts';

export interface ProbeOptions {
  host: string;
  port: number;
  /** Client-driven mode: a client program per user ({host} and {port} filled in). */
  client?: string;
  /** Silence that ends a collection, ms. */
  quietMs: number;
  /** Longest a collection waits, ms. */
  maxWaitMs: number;
}

/** One exchange as it happened, for the evidence file. */
export interface Exchange {
  user: string;
  sent: string;
  received: Record<string, string>;
}

/** How long a client program may take to print its first output (its prompt, or what the server greets with). */
const CLIENT_START_MS = 5000;

class ProbeUser {
  private buffer = '';
  private readonly decoder = new StringDecoder('utf8');
  lastDataMs = 0;
  closed = false;

  constructor(readonly link: Link) {
    link.on('data', (chunk: Buffer) => {
      this.buffer += stripAnsi(this.decoder.write(chunk));
      this.lastDataMs = Date.now();
    });
    link.on('error', () => {});
    link.on('close', () => {
      this.closed = true;
      this.lastDataMs = Date.now();
    });
  }

  take(): string {
    const text = this.buffer;
    this.buffer = '';
    return text;
  }

  write(text: string): Promise<void> {
    return new Promise((resolve) => this.link.write(Buffer.from(text, 'utf8'), () => resolve()));
  }
}

export class Probe {
  private readonly users = new Map<string, ProbeUser>();
  readonly log: Exchange[] = [];
  /**
   * The silence that ends a collection: --quiet-ms at first, then at least twice the slowest answer seen,
   * and doubled whenever text turns up after a collection ended (a busy machine or a slow server: the probe
   * would otherwise read a late answer as silence). At most maxWaitMs.
   */
  private quietMs: number;
  private slowestAnswerMs = 0;

  constructor(private readonly options: ProbeOptions) {
    this.quietMs = options.quietMs;
  }

  /** The quiet period in use now (it only grows), for the draft's notes. */
  get currentQuietMs(): number {
    return this.quietMs;
  }

  /** Open a connection for `user` (closing an earlier one) and return what arrived unprompted (a greeting). */
  async open(user: string): Promise<string> {
    this.close(user);
    const link = this.options.client !== undefined ? await this.spawnClient() : await this.connect();
    const probeUser = new ProbeUser(link);
    this.users.set(user, probeUser);
    // A client program takes a while to start and usually prompts: wait (bounded) for its first output.
    if (this.options.client !== undefined) await this.firstOutput(probeUser, CLIENT_START_MS);
    await this.quiet(this.options.maxWaitMs);
    const greeting = probeUser.take();
    this.log.push({ user, sent: '(connects)', received: { [user]: greeting } });
    return greeting;
  }

  private connect(): Promise<Link> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${this.options.host}:${this.options.port} within 5 s`));
      }, 5000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private async spawnClient(): Promise<Link> {
    const link = new ProcessLink(clientCommand(this.options.client!, this.options.host, this.options.port), () => {});
    await link.started();
    return link;
  }

  isOpen(user: string): boolean {
    const probeUser = this.users.get(user);
    return probeUser !== undefined && !probeUser.closed;
  }

  /**
   * Send `text` as `user` (exactly these bytes), then collect what everyone received. `expectReply`: the
   * sender is sure to be answered (e.g. registering again): wait for that answer up to maxWaitMs.
   */
  async act(user: string, text: string, expectReply = false): Promise<Record<string, string>> {
    const probeUser = this.users.get(user);
    if (!probeUser) throw new Error(`probe: ${user} is not connected`);
    let late = false;
    for (const other of this.users.values()) late = other.take() !== '' || late; // what came before is not an answer to this
    if (late) this.lengthen(this.quietMs * 2);
    const sentAt = Date.now();
    const lastBefore = probeUser.lastDataMs;
    await probeUser.write(text);
    await this.quiet(this.options.maxWaitMs, expectReply ? probeUser : undefined);
    // Silence from the sender gets a second quiet period: on a busy machine an answer read as silence would
    // become the answer to the next line (the costliest misreading a draft can make).
    if (probeUser.lastDataMs === lastBefore && !probeUser.closed) await this.quiet(this.options.maxWaitMs);
    if (probeUser.lastDataMs !== lastBefore) this.slowestAnswerMs = Math.max(this.slowestAnswerMs, probeUser.lastDataMs - sentAt);
    this.lengthen(this.slowestAnswerMs * 2);
    const received: Record<string, string> = {};
    for (const [name, other] of this.users) received[name] = other.take();
    this.log.push({ user, sent: text, received });
    return received;
  }

  private lengthen(ms: number): void {
    this.quietMs = Math.min(this.options.maxWaitMs, Math.max(this.quietMs, Math.round(ms)));
  }

  private async firstOutput(probeUser: ProbeUser, maxMs: number): Promise<void> {
    const start = Date.now();
    while (probeUser.lastDataMs === 0 && !probeUser.closed && Date.now() - start < maxMs) await sleep(20);
  }

  /** Wait until no user received anything for the quiet period (and `awaited` received something), at most maxMs. */
  private async quiet(maxMs: number, awaited?: ProbeUser): Promise<void> {
    const start = Date.now();
    const before = awaited?.lastDataMs;
    await sleep(this.quietMs);
    for (;;) {
      const last = Math.max(0, ...[...this.users.values()].map((u) => u.lastDataMs));
      const idle = Date.now() - last;
      const answered = awaited === undefined || awaited.lastDataMs !== before || awaited.closed;
      if ((idle >= this.quietMs && answered) || Date.now() - start >= maxMs) return;
      await sleep(Math.max(20, this.quietMs - idle));
    }
  }

  close(user: string): void {
    this.users.get(user)?.link.destroy();
    this.users.delete(user);
  }

  closeAll(): void {
    for (const user of [...this.users.keys()]) this.close(user);
  }
}
