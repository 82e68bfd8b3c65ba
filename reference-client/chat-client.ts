/**
 * One chat session over one connection: sends typed commands through the dialect, pairs every final
 * reply with the command it answers, and passes events on as they arrive.
 *
 * Pairing relies on §2.1: exactly one final reply per sent line, in the order of the lines; data lines
 * (help, history, file chunks) belong to the oldest command still waiting. So commands may be pipelined.
 * It also follows what the user would want in a prompt: their nick, their current channel, nicks seen.
 */
import type { Classified, ClientCommand, Dialect, EventName, Expecting } from './protocol.ts';
import { LineConnection } from './line-connection.ts';

/** How long to wait for the server to close after our /BYE before closing ourselves. */
export const BYE_GRACE_MS = 2000;

export type ReplyLine = Extract<Classified, { kind: 'reply' }>;
export type DataLine = Extract<Classified, { kind: 'data' }>;

/** The answer to one sent line. */
export interface Outcome {
  /** What was sent (undefined fields for a raw line). */
  command: ClientCommand | undefined;
  reply: ReplyLine;
  data: DataLine[];
  /** The reply line as received, for display of replies the client does not know. */
  raw: string;
}

export interface ChatClientListener {
  onGreeting(fields: Record<string, string>): void;
  onEvent(event: EventName, fields: Record<string, string>): void;
  /** A line the dialect does not recognise, or data/reply nobody asked for (e.g. ERR TIMEOUT before a close). */
  onUnexpected(raw: string, classified: Classified): void;
  /** The connection ended; `expected` after a /BYE or close() from this side. */
  onClose(expected: boolean, error: Error | undefined): void;
}

/** The dialect cannot express what the user asked for (only with non-canonical profiles). */
export class CannotExpressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotExpressError';
  }
}

export class ConnectionClosedError extends Error {
  constructor() {
    super('the connection is closed');
    this.name = 'ConnectionClosedError';
  }
}

interface Pending {
  command: ClientCommand | undefined;
  /** Tells the dialect what this entry waits for (its reply, or a barrier's answer for a silent command). */
  expecting: Expecting;
  /** A silent command refused by an error: already answered, but its barrier answer is still to come. */
  answered?: boolean;
  data: DataLine[];
  resolve(outcome: Outcome): void;
  reject(error: Error): void;
  /** Called for each data line as it arrives (download progress). */
  onData?: (data: DataLine) => void;
}

export interface ChatClientOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
}

export class ChatClient {
  /** The registered nick, once registered. */
  nick: string | undefined;
  /** The current channel, or undefined in the lobby. */
  currentChannel: string | undefined;
  /** Nicks seen in WHO replies and events, for tab completion. */
  readonly knownNicks = new Set<string>();
  /** Sizes of the files announced by FILE events and not yet received, oldest first, by name. */
  readonly announcedFiles = new Map<string, number[]>();
  /** True once the server has sent KILLED to us. */
  killed = false;
  /**
   * True while a /SEND of this connection runs (execute.ts): one at a time, since the protocol has one
   * upload per connection and a new /SEND replaces it. Per client, so clients in one process never block each other.
   */
  uploading = false;

  private readonly pending: Pending[] = [];
  private barriers = 0;
  private connection!: LineConnection;
  private closing = false;
  private closedPromise!: Promise<void>;
  private markGreeted!: () => void;
  /** Resolves on the server's greeting, or when the connection ends without one. */
  readonly greeted: Promise<void> = new Promise((resolve) => (this.markGreeted = resolve));

  private constructor(
    readonly dialect: Dialect,
    private readonly listener: ChatClientListener,
  ) {}

  /** Connects; rejects with ConnectError when the server cannot be reached. */
  static async connect(options: ChatClientOptions, dialect: Dialect, listener: ChatClientListener): Promise<ChatClient> {
    const client = new ChatClient(dialect, listener);
    let markClosed!: () => void;
    client.closedPromise = new Promise((resolve) => (markClosed = resolve));
    client.connection = await LineConnection.open(options.host, options.port, options.connectTimeoutMs, {
      onLine: (line) => client.receive(line),
      onClose: (error) => {
        client.failPending();
        listener.onClose(client.closing, error);
        markClosed();
        client.markGreeted();
      },
    });
    return client;
  }

  get isOpen(): boolean {
    return this.connection.isOpen;
  }

  /** Resolves when the connection has ended, whoever ended it. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  /** Sends a typed command; resolves with its final reply. Throws CannotExpressError if the dialect cannot say it. */
  request(command: ClientCommand, onData?: (data: DataLine) => void): Promise<Outcome> {
    const line = this.dialect.render(command);
    if (line === undefined) throw new CannotExpressError(`the ${this.dialect.name} dialect has no "${command.name}" command`);
    return this.sendLine(line, command, onData);
  }

  /** Sends a line the user typed that the client could not type-check (raw), when the dialect allows it. */
  requestRaw(typedLine: string): Promise<Outcome> {
    const line = this.dialect.renderRaw(typedLine);
    if (line === undefined) throw new CannotExpressError(`the ${this.dialect.name} dialect only accepts known commands with valid arguments`);
    return this.sendLine(line, undefined);
  }

  /** Number of sent lines still waiting for their final reply. */
  get waiting(): number {
    return this.pending.length;
  }

  /** From now on a close is expected (we said /BYE or are quitting). */
  expectClose(): void {
    this.closing = true;
  }

  /** Closes from this side: half-close, then force after `graceMs` if the server does not finish. */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    if (!this.connection.isOpen) return;
    this.connection.end();
    const timer = setTimeout(() => this.connection.destroy(), graceMs);
    await this.closedPromise;
    clearTimeout(timer);
  }

  private sendLine(line: string, command: ClientCommand | undefined, onData?: (data: DataLine) => void): Promise<Outcome> {
    if (!this.connection.isOpen) return Promise.reject(new ConnectionClosedError());
    const ending = this.dialect.lineEnding;
    if (command !== undefined && this.dialect.isSilent(command)) {
      // No reply on success in this dialect: a barrier after the line tells success (its answer) from refusal (an error first).
      const token = `c${(this.barriers++).toString(36)}`;
      const barrier = this.dialect.renderBarrier(token);
      this.connection.send(line, ending);
      if (barrier === undefined) {
        return Promise.resolve({ command, reply: { kind: 'reply', ok: true, command: command.name, fields: {} }, data: [], raw: '' });
      }
      return new Promise<Outcome>((resolve, reject) => {
        this.pending.push({ command, expecting: { command: command.name, barrierToken: token }, data: [], resolve, reject });
        this.connection.send(barrier, ending);
      });
    }
    return new Promise<Outcome>((resolve, reject) => {
      this.pending.push({ command, expecting: command ? { command: command.name } : {}, data: [], resolve, reject, ...(onData ? { onData } : {}) });
      this.connection.send(line, ending);
    });
  }

  private receive(raw: string): void {
    const classified = this.dialect.classify(raw, this.pending[0]?.expecting);
    switch (classified.kind) {
      case 'greeting':
        this.listener.onGreeting(classified.fields);
        this.markGreeted();
        return;
      case 'event':
        this.followEvent(classified.event, classified.fields);
        this.listener.onEvent(classified.event, classified.fields);
        return;
      case 'data': {
        const head = this.pending[0];
        if (head === undefined) return this.listener.onUnexpected(raw, classified);
        head.data.push(classified);
        head.onData?.(classified);
        return;
      }
      case 'reply': {
        const head = this.pending[0];
        if (head === undefined) return this.listener.onUnexpected(raw, classified);
        const waitsForBarrier = head.expecting.barrierToken !== undefined;
        // A silent command's entry ends with its barrier's answer; an error before it is its outcome.
        if (!waitsForBarrier || classified.barrier === true) this.pending.shift();
        if (head.answered) return;
        head.answered = true;
        const reply: ReplyLine = classified.barrier === true ? { kind: 'reply', ok: true, ...(head.command ? { command: head.command.name } : {}), fields: {} } : classified;
        this.followReply(head.command, reply);
        head.resolve({ command: head.command, reply, data: head.data, raw: classified.barrier === true ? '' : raw });
        return;
      }
      case 'unknown':
        this.listener.onUnexpected(raw, classified);
        return;
    }
  }

  private failPending(): void {
    for (const p of this.pending.splice(0)) p.reject(new ConnectionClosedError());
  }

  /** Keeps nick / current channel / known nicks in step with our own successful commands. */
  private followReply(command: ClientCommand | undefined, reply: ReplyLine): void {
    if (!reply.ok) return;
    const f = reply.fields;
    const name = reply.command ?? command?.name;
    switch (name) {
      case 'register':
        this.nick = f.nick ?? command?.args.nick;
        break;
      case 'nick':
        this.nick = f.new ?? command?.args.nick ?? this.nick;
        break;
      case 'join':
      case 'current':
        this.currentChannel = f.channel ?? command?.args.channel ?? this.currentChannel;
        break;
      case 'leave':
        this.currentChannel = undefined;
        break;
      case 'ren':
        if (f.new !== undefined) this.currentChannel = f.new;
        break;
      case 'who':
        for (const member of (f.members ?? '').split(' ')) {
          const nick = member.replace(/^[~@]/, '');
          if (nick !== '' && nick !== this.nick) this.knownNicks.add(nick);
        }
        break;
      case 'bye':
        this.closing = true;
        break;
      case 'recv': {
        const name = f.name ?? command?.args.name;
        const sizes = name === undefined ? undefined : this.announcedFiles.get(name);
        sizes?.shift();
        if (name !== undefined && sizes?.length === 0) this.announcedFiles.delete(name);
        break;
      }
    }
  }

  private followEvent(event: EventName, f: Record<string, string>): void {
    switch (event) {
      case 'file':
        if (f.name !== undefined) this.announcedFiles.set(f.name, [...(this.announcedFiles.get(f.name) ?? []), Number(f.size)]);
        if (f.from !== undefined) this.knownNicks.add(f.from);
        break;
      case 'message':
      case 'private':
        if (f.from !== undefined) this.knownNicks.add(f.from);
        break;
      case 'joined':
        if (f.nick !== undefined) this.knownNicks.add(f.nick);
        break;
      case 'quit':
        if (f.nick !== undefined) this.knownNicks.delete(f.nick);
        break;
      case 'nick':
        if (f.old !== undefined) this.knownNicks.delete(f.old);
        if (f.new !== undefined) this.knownNicks.add(f.new);
        break;
      case 'renamed':
        if (f.old !== undefined && f.old === this.currentChannel) this.currentChannel = f.new;
        break;
      case 'kicked':
        if (f.nick === this.nick && f.channel === this.currentChannel) this.currentChannel = undefined;
        break;
      case 'killed':
        this.killed = true;
        break;
    }
  }
}
