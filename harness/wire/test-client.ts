/**
 * A small TCP client for driving a server under test. It knows nothing about the chat protocol:
 * it sends text or bytes, keeps what it receives, and answers "wait (bounded) until something
 * matching this predicate arrives". Command names and reply shapes live in the dialect layer.
 *
 * Two framings:
 * - `lines`: received text is split on "\n" (a "\r" before it is removed); a matcher sees one line
 *   at a time and a match consumes that line only, so events that arrive between replies stay
 *   available to later expectations, in order.
 * - `stream`: for servers that do not end their replies with newlines; a matcher sees the whole
 *   unconsumed text and says which span it matched; that span is cut away.
 * - `idle`: for replies with neither a line ending nor an end marker: a unit is whatever arrives until
 *   the server stays silent for `idleMs` (newlines inside kept); units are then matched like lines.
 * In `lines` and `idle` framing an optional `unitTransform` (the profile's split and expand rules) turns
 * each received unit into the units matchers see.
 *
 * Memory is bounded: past `maxUnconsumedChars` of unconsumed text the client stops keeping data and
 * every expectation fails with a clear "flooding" message instead of the harness running out of memory.
 */
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { ANSI_INCOMPLETE_TAIL, stripAnsi } from './ansi.ts';
import { escapeInvisible, type Transcript } from './transcript.ts';
import { ProcessLink, type Link } from './process-link.ts';
import type { SandboxSpec } from '../target/sandbox.ts';

export type Framing = 'lines' | 'stream' | 'idle';

/** What a matcher found. In `stream` mode `index`/`length` say which span to cut (whole text if absent). */
export interface Match<T> {
  value: T;
  index?: number;
  length?: number;
  /** Resolve the expectation but leave the matched text for a later one. */
  keep?: boolean;
}

/** Looks at one line (`lines`) or the whole unconsumed text (`stream`); null when it does not match. */
export type Matcher<T> = (text: string) => Match<T> | null;

export interface ExpectOptions {
  timeoutMs: number;
  /** Plain words for the error message: "the reply to /JOIN", "a MSG event from bob". */
  description: string;
  /** Leave the matched text in place (default: consume it). */
  peek?: boolean;
  /**
   * Only lines after this mark (from requestMark(), taken before the request was sent) may match: a line
   * the server sent before the request was made can never be its reply. Lines and idle framing.
   */
  after?: number;
}

export interface TestClientOptions {
  host: string;
  port: number;
  /** Logical user name, for the transcript and error messages. */
  user: string;
  transcript: Transcript;
  framing?: Framing;
  stripAnsi?: boolean;
  connectTimeoutMs: number;
  maxUnconsumedChars?: number;
  /** idle framing: the silence that ends a unit, ms (default 150). */
  idleMs?: number;
  /** lines/idle framing: one received unit -> the units matchers see (split, expand). */
  unitTransform?: (unit: string) => string[];
  /** Least time between two writes, ms: for servers that take one chunk as one command. */
  sendPauseMs?: number;
}

/** A failed expectation (timeout, closed connection, flood); its message is meant for a student. */
export class ExpectationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectationError';
  }
}

export const DEFAULT_MAX_UNCONSUMED_CHARS = 4 * 1024 * 1024;
const RECENT_LINES_KEPT = 12;
const RECENT_LINE_MAX_CHARS = 300;


interface Waiter {
  matcher: Matcher<unknown>;
  options: ExpectOptions;
  /** Lines mode: sequence number of the last line this waiter already looked at. */
  scannedSeq: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

interface Line {
  seq: number;
  text: string;
}

export class TestClient {
  readonly user: string;
  /** A TCP socket, or a spawned client program in client-driven mode. */
  private readonly socket: Link;
  private readonly transcript: Transcript;
  private readonly framing: Framing;
  private readonly stripAnsi: boolean;
  private readonly maxUnconsumed: number;
  private readonly decoder = new StringDecoder('utf8');
  private readonly idleMs: number;
  private readonly unitTransform: ((unit: string) => string[]) | undefined;
  private readonly sendPauseMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Writes in order, each at least sendPauseMs after the previous one (only with a pause). */
  private writeChain: Promise<void> = Promise.resolve();
  private lastWriteMs = 0;

  private lines: Line[] = [];
  private nextSeq = 1;
  /** Lines mode: arrival number of the last unit an expectation consumed (0 before the first). */
  private consumedSeq = 0;
  private partial = ''; // lines mode: text after the last "\n"; stream mode: all unconsumed text
  private ansiCarry = '';
  private linesChars = 0; // total length of `lines`
  private overflowed = false;
  private discardedChars = 0;
  private closed = false;
  /** False until the TCP handshake completed (a failed connect is not a "close by the server"). */
  private connected = false;
  private destroyed = false;
  private readonly waiters: Waiter[] = [];
  private readonly closeListeners: Array<() => void> = [];
  private readonly receiveListeners = new Set<() => void>();
  private readonly recent: string[] = [];
  /** Lines sent since data last arrived (oldest first): a connection that stopped answering shows here. */
  private unanswered: string[] = [];
  private lastSentLine: string | undefined;
  /** Something arrived on this connection once: it can stop answering only after it answered. */
  private answeredOnce = false;
  /** When the first output arrived (ms epoch); undefined while nothing has. */
  private firstOutput: number | undefined;
  private recentPartial = '';
  /** 'reading' normally; 'paused' after stopReading (nothing read); 'discarding' once a close is awaited. */
  private reading: 'reading' | 'paused' | 'discarding' = 'reading';
  /** Bytes read and thrown away in 'discarding' mode (noted in the transcript on close). */
  private ignoredBytes = 0;

  private constructor(socket: Link, options: Omit<TestClientOptions, 'host' | 'port' | 'connectTimeoutMs'>) {
    this.socket = socket;
    this.user = options.user;
    this.transcript = options.transcript;
    this.framing = options.framing ?? 'lines';
    this.stripAnsi = options.stripAnsi ?? false;
    this.maxUnconsumed = options.maxUnconsumedChars ?? DEFAULT_MAX_UNCONSUMED_CHARS;
    this.idleMs = options.idleMs ?? 150;
    this.unitTransform = options.unitTransform;
    this.sendPauseMs = options.sendPauseMs ?? 0;
    if (socket instanceof net.Socket) socket.setNoDelay(true); // so sendParts really produces separate segments
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.transcript.note(this.user, `socket error: ${error.message}`));
    socket.on('close', () => this.onClose());
  }

  /** Open a connection, bounded by `connectTimeoutMs`; rejects with a readable message. */
  static connect(options: TestClientOptions): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: options.host, port: options.port });
      // Attach the client before 'connect' so bytes sent right after the handshake are kept.
      const client = new TestClient(socket, options);
      const fail = (why: string) => {
        clearTimeout(timer);
        socket.destroy();
        options.transcript.note(options.user, `cannot connect to ${options.host}:${options.port}: ${why}`);
        reject(new ExpectationError(`${options.user}: cannot connect to ${options.host}:${options.port}: ${why}`));
      };
      const onError = (error: Error) => fail(error.message);
      const timer = setTimeout(() => fail(`no answer within ${options.connectTimeoutMs} ms`), options.connectTimeoutMs);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        client.connected = true;
        options.transcript.note(options.user, `connected to ${options.host}:${options.port}`);
        resolve(client);
      });
    });
  }

  /**
   * Client-driven mode: start the client program `command` (already filled with host and port). What
   * `send` writes is typed on its stdin; what it prints on stdout is what expectations match. Its
   * exit is the "connection closed"; destroy() kills its process group.
   */
  static async spawn(options: Omit<TestClientOptions, 'host' | 'port' | 'connectTimeoutMs'> & { command: string; cwd?: string; sandbox?: SandboxSpec }): Promise<TestClient> {
    const link = new ProcessLink(options.command, (text) => options.transcript.note(options.user, `client stderr: ${text.trimEnd()}`), options.cwd, options.sandbox);
    const client = new TestClient(link, options);
    try {
      await link.started();
    } catch (error) {
      options.transcript.note(options.user, `cannot start the client \`${options.command}\`: ${(error as Error).message}`);
      throw new ExpectationError(`${options.user}: cannot start the client \`${options.command}\`: ${(error as Error).message}`);
    }
    client.connected = true;
    options.transcript.note(options.user, `started the client \`${options.command}\``);
    return client;
  }

  /** A spawned client program (client-driven mode), not a TCP connection. */
  get isProgram(): boolean {
    return this.socket instanceof ProcessLink;
  }

  /**
   * Whether this client had printed (or received) anything by `at` (ms epoch). For a client program,
   * nothing yet means it may still have been starting up at that moment.
   */
  hadOutputBy(at: number): boolean {
    return this.firstOutput !== undefined && this.firstOutput <= at;
  }

  get isOpen(): boolean {
    return !this.closed && !this.destroyed;
  }

  /** False once stopReading was called: this user no longer reads what the server sends. */
  get isReading(): boolean {
    return this.reading === 'reading';
  }

  /**
   * Stop reading from the socket (a client that does not read its output, PROTOCOL.md §7): what the
   * server sends piles up in the kernel's buffers, then in the server's own queue. Nothing is read again,
   * except to notice the close (waitClosed), and what is then read is thrown away unseen.
   */
  stopReading(): void {
    if (this.reading !== 'reading') return;
    if (!(this.socket instanceof net.Socket)) throw new Error(`${this.user}: only a TCP connection can stop reading`);
    this.reading = 'paused';
    this.socket.pause();
    this.transcript.note(this.user, 'stops reading what the server sends');
  }

  /**
   * Like send, but the transcript gets `summary` instead of the bytes (a bulk of identical requests);
   * resolves once handed to the OS, or rejects once `timeoutMs` pass first (a peer that stopped reading).
   */
  sendBulk(data: Uint8Array, summary: string, timeoutMs: number): Promise<void> {
    if (!this.isOpen) return Promise.reject(new ExpectationError(`${this.user}: cannot send, the connection is closed`));
    this.transcript.note(this.user, summary);
    return this.paced(() => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new ExpectationError(`${this.user}: the server took none of the last ${data.length} bytes within ${timeoutMs} ms`)), timeoutMs);
      this.socket.write(Buffer.from(data), (error) => {
        clearTimeout(timer);
        if (error) reject(new ExpectationError(`${this.user}: sending failed: ${error.message}`));
        else resolve();
      });
    }));
  }

  /**
   * Run `write` at least sendPauseMs after the previous write ended, in call order (no pause: at once,
   * exactly as before). The pause is the dialect's need (one chunk is one command), not a synchronisation.
   */
  private paced(write: () => Promise<void>): Promise<void> {
    if (this.sendPauseMs <= 0) return write();
    const run = async (): Promise<void> => {
      const wait = this.lastWriteMs + this.sendPauseMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        await write();
      } finally {
        this.lastWriteMs = Date.now();
      }
    };
    const result = this.writeChain.then(run, run);
    this.writeChain = result.catch(() => {});
    return result;
  }

  /** Send text (UTF-8) or raw bytes exactly as given; resolves once handed to the OS. */
  send(data: string | Uint8Array): Promise<void> {
    if (!this.isOpen) {
      return Promise.reject(new ExpectationError(`${this.user}: cannot send, the connection is closed`));
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    return this.paced(() => {
      this.transcript.record(this.user, 'send', bytes.toString('utf8'));
      this.noteSent(bytes.toString('utf8'));
      return new Promise((resolve, reject) => {
        this.socket.write(bytes, (error) => {
          if (error) reject(new ExpectationError(`${this.user}: sending failed: ${error.message}`));
          else resolve();
        });
      });
    });
  }

  /**
   * Send `parts` one after the other with a pause between them, so the server receives them as
   * separate TCP segments (framing tests). The pause is the point of the call, not a synchronisation.
   */
  async sendParts(parts: ReadonlyArray<string | Uint8Array>, pauseMs: number): Promise<void> {
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await this.send(parts[i]!);
    }
  }

  /**
   * Wait until a not-yet-consumed unit matches, consume it (unless `peek`), and return the
   * matcher's value. Rejects on deadline, on connection close, or on flood, with a message naming
   * what was expected and the last lines received.
   */
  expect<T>(matcher: Matcher<T>, options: ExpectOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        matcher: matcher as Matcher<unknown>,
        options,
        scannedSeq: options.after ?? 0,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer: setTimeout(() => {
          this.removeWaiter(waiter);
          reject(this.failure(`expected ${options.description} within ${options.timeoutMs} ms, but it did not arrive: ${this.whatHappened(options)}`));
        }, options.timeoutMs),
      };
      if (this.tryWaiter(waiter)) return;
      if (this.overflowed) return this.settleWithError(waiter, this.overflowMessage(options.description));
      if (!this.isOpen) return this.settleWithError(waiter, this.closedMessage(options.description));
      this.waiters.push(waiter);
    });
  }

  /**
   * Consume and return the first unconsumed unit matching now, without waiting (undefined if none).
   * For checks after a barrier, when everything that matters has already arrived.
   */
  takeNow<T>(matcher: Matcher<T>, after?: number): T | undefined {
    let result: { value: T } | undefined;
    const waiter: Waiter = {
      matcher: matcher as Matcher<unknown>,
      options: { timeoutMs: 0, description: 'an immediate match' },
      scannedSeq: after ?? 0,
      resolve: (value) => (result = { value: value as T }),
      reject: (error) => {
        throw error;
      },
      timer: undefined,
    };
    this.tryWaiter(waiter);
    return result?.value;
  }

  /**
   * A mark to take just before sending a request (ExpectOptions.after): every line received so far, and a
   * line already begun, is before it. With idle framing the request ends the unit being received (what
   * came before the request is one unit of its own, never glued to the reply). Stream framing has no
   * units to mark: there a reply is whatever the matcher finds in the unconsumed text.
   */
  requestMark(): number {
    if (this.framing === 'idle' && this.partial !== '') {
      clearTimeout(this.idleTimer);
      this.endIdleUnit();
    }
    return this.partial !== '' && this.framing === 'lines' ? this.nextSeq : this.nextSeq - 1;
  }

  /** The units received and not consumed yet, oldest first (stream mode: one unit, the whole text). */
  unconsumed(): string[] {
    if (this.framing === 'stream') return this.partial === '' ? [] : [this.partial];
    return this.lines.map((line) => line.text);
  }

  /**
   * Lines mode: the unconsumed lines with their arrival numbers (1 for the first line received), so
   * a caller can place them relative to a consumed reply (lastConsumedSeq). Empty in stream mode.
   */
  unconsumedNumbered(): Array<{ seq: number; text: string }> {
    return this.framing === 'lines' ? this.lines.map((line) => ({ seq: line.seq, text: line.text })) : [];
  }

  /** Lines mode: the arrival number of the unit the last expectation consumed (0 when none yet). */
  get lastConsumedSeq(): number {
    return this.consumedSeq;
  }

  /** Forget every unconsumed unit (a partial line in progress is kept); returns how many were dropped. */
  discardUnconsumed(): number {
    if (this.framing === 'stream') {
      const had = this.partial === '' ? 0 : 1;
      this.partial = '';
      return had;
    }
    const count = this.lines.length;
    this.lines = [];
    this.linesChars = 0;
    return count;
  }

  /**
   * Resolve when the server has closed the connection; reject after `timeoutMs`. A client that stopped
   * reading starts reading again to see the close, throwing away what it reads.
   */
  waitClosed(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading === 'paused' && this.socket instanceof net.Socket) {
      this.reading = 'discarding';
      this.socket.resume();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.closeListeners.indexOf(onClose);
        if (index >= 0) this.closeListeners.splice(index, 1);
        reject(this.failure(`expected the server to close the connection within ${timeoutMs} ms, but it stayed open`));
      }, timeoutMs);
      const onClose = () => {
        clearTimeout(timer);
        resolve();
      };
      this.closeListeners.push(onClose);
    });
  }

  /** Call `listener` each time data arrives (after it is kept and matched); returns what stops it. */
  onReceive(listener: () => void): () => void {
    this.receiveListeners.add(listener);
    return () => this.receiveListeners.delete(listener);
  }

  /** Close the socket abruptly (no goodbye); pending expectations fail. Never throws. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.idleTimer);
    if (this.connected && !this.closed) this.transcript.note(this.user, 'connection closed by the harness');
    this.socket.destroy();
    for (const waiter of this.waiters.splice(0)) {
      this.settleWithError(waiter, `${this.user}: the connection was closed by the harness while waiting for ${waiter.options.description}`);
    }
  }

  /** The last lines received (consumed or not), for error messages. */
  recentLines(): string[] {
    const lines = [...this.recent];
    if (this.recentPartial !== '') lines.push(this.recentPartial + ' [no newline]');
    return lines;
  }

  // ---- receiving --------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.reading === 'discarding') {
      this.ignoredBytes += chunk.length;
      return;
    }
    if (this.overflowed) {
      this.discardedChars += chunk.length;
      return;
    }
    let text = this.decoder.write(chunk);
    this.transcript.record(this.user, 'recv', text);
    if (this.stripAnsi) text = this.removeAnsi(text);
    this.remember(text);
    if (text !== '') {
      this.unanswered = [];
      this.answeredOnce = true;
      this.firstOutput ??= Date.now();
    }
    this.append(text);
    this.checkOverflow();
    this.serveWaiters();
    for (const listener of [...this.receiveListeners]) listener();
  }

  private onClose(): void {
    this.closed = true;
    if (this.connected && !this.destroyed) this.transcript.note(this.user, 'connection closed by the server');
    // Whatever arrived without a final newline is still worth matching against.
    const tail = this.ansiCarry + this.decoder.end();
    this.ansiCarry = '';
    if (tail !== '' && !this.overflowed) this.append(tail);
    if (this.discardedChars > 0) this.transcript.note(this.user, `${this.discardedChars} bytes received after the flood limit were discarded`);
    if (this.ignoredBytes > 0) this.transcript.note(this.user, `${this.ignoredBytes} bytes received after it stopped reading were thrown away unseen`);
    clearTimeout(this.idleTimer);
    if (this.framing !== 'stream' && this.partial !== '' && !this.overflowed) {
      this.pushUnit(this.framing === 'lines' ? this.partial.replace(/\r$/, '') : this.partial.replace(/\r?\n$/, ''));
      this.partial = '';
    }
    this.serveWaiters();
    for (const waiter of this.waiters.splice(0)) {
      this.settleWithError(waiter, this.overflowed ? this.overflowMessage(waiter.options.description) : this.closedMessage(waiter.options.description));
    }
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private removeAnsi(text: string): string {
    let all = this.ansiCarry + text;
    const tail = ANSI_INCOMPLETE_TAIL.exec(all);
    if (tail && tail[0].length < 64) {
      this.ansiCarry = tail[0];
      all = all.slice(0, tail.index);
    } else {
      this.ansiCarry = '';
    }
    return stripAnsi(all);
  }

  private append(text: string): void {
    if (this.framing === 'stream') {
      this.partial += text;
      return;
    }
    if (this.framing === 'idle') {
      this.partial += text;
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.endIdleUnit(), this.idleMs);
      return;
    }
    const pieces = (this.partial + text).split('\n');
    this.partial = pieces.pop()!;
    for (const piece of pieces) this.pushUnit(piece.endsWith('\r') ? piece.slice(0, -1) : piece);
  }

  /** idle framing: the server paused, so what it sent since the last pause is one unit (its final line ending dropped). */
  private endIdleUnit(): void {
    this.idleTimer = undefined;
    if (this.partial === '' || this.overflowed || this.reading === 'discarding') return;
    this.pushUnit(this.partial.replace(/\r?\n$/, ''));
    this.partial = '';
    this.checkOverflow();
    this.serveWaiters();
  }

  private pushUnit(unit: string): void {
    for (const text of this.unitTransform ? this.unitTransform(unit) : [unit]) this.pushLine(text);
  }

  private pushLine(text: string): void {
    this.lines.push({ seq: this.nextSeq++, text });
    this.linesChars += text.length;
  }

  /** Characters kept and not consumed yet (the quantity the memory cap bounds). */
  private get unconsumedChars(): number {
    return this.linesChars + this.partial.length;
  }

  private checkOverflow(): void {
    if (this.unconsumedChars <= this.maxUnconsumed) return;
    this.overflowed = true;
    this.transcript.note(this.user, `more than ${this.maxUnconsumed} characters received and not consumed: further data is discarded`);
    for (const waiter of this.waiters.splice(0)) {
      if (!this.tryWaiter(waiter)) this.settleWithError(waiter, this.overflowMessage(waiter.options.description));
    }
    // Keep the memory bound: drop what was kept; later data is only counted.
    this.lines = [];
    this.linesChars = 0;
    this.partial = '';
  }

  private remember(text: string): void {
    const pieces = (this.recentPartial + text).split('\n');
    this.recentPartial = clip(pieces.pop()!);
    for (const piece of pieces) {
      this.recent.push(clip(piece.endsWith('\r') ? piece.slice(0, -1) : piece));
      if (this.recent.length > RECENT_LINES_KEPT) this.recent.shift();
    }
  }

  // ---- matching ---------------------------------------------------------------------------

  private serveWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.tryWaiter(waiter)) this.removeWaiter(waiter);
    }
  }

  /** Look for a match for `waiter`; on success settle it and return true. */
  private tryWaiter(waiter: Waiter): boolean {
    if (this.framing === 'stream') return this.tryStream(waiter);
    const start = firstIndexAfter(this.lines, waiter.scannedSeq);
    for (let i = start; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      waiter.scannedSeq = line.seq;
      const match = safeMatch(waiter.matcher, line.text);
      if (match === undefined) continue;
      if (match instanceof Error) return this.settleWithError(waiter, `${this.user}: ${match.message}`), true;
      if (!waiter.options.peek && !match.keep) {
        this.lines.splice(i, 1);
        this.linesChars -= line.text.length;
        this.consumedSeq = line.seq;
      }
      clearTimeout(waiter.timer);
      waiter.resolve(match.value);
      return true;
    }
    return false;
  }

  private tryStream(waiter: Waiter): boolean {
    if (this.partial === '') return false;
    const match = safeMatch(waiter.matcher, this.partial);
    if (match === undefined) return false;
    if (match instanceof Error) return this.settleWithError(waiter, `${this.user}: ${match.message}`), true;
    if (!waiter.options.peek && !match.keep) {
      const index = match.index ?? 0;
      const length = match.length ?? this.partial.length - index;
      this.partial = this.partial.slice(0, index) + this.partial.slice(index + length);
    }
    clearTimeout(waiter.timer);
    waiter.resolve(match.value);
    return true;
  }

  private removeWaiter(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }

  private settleWithError(waiter: Waiter, message: string): void {
    clearTimeout(waiter.timer);
    waiter.reject(new ExpectationError(this.withRecentLines(message)));
  }

  private failure(message: string): ExpectationError {
    return new ExpectationError(this.withRecentLines(`${this.user}: ${message}`));
  }

  /** What was sent, for messages: its first line, as typed. */
  private noteSent(text: string): void {
    const first = text.split('\n').find((l) => l.trim() !== '');
    if (first === undefined) return;
    this.lastSentLine = first.replace(/\r$/, '');
    this.unanswered.push(first.replace(/\r$/, ''));
    if (this.unanswered.length > 50) this.unanswered.splice(1, 1); // keep the first (when it stopped) and the latest
  }

  /**
   * Why a wait ended without a match, in the words a student can act on: a reply that came but did not
   * match (shown), text without a line ending, nothing at all after the request, or a connection that
   * has stopped answering altogether (several requests in a row got nothing: a handler thread that died
   * while the process lives on looks exactly like this).
   */
  private whatHappened(options: ExpectOptions): string {
    const after = options.after ?? 0;
    const unmatched = this.framing === 'lines' ? this.lines.filter((l) => l.seq > after).map((l) => l.text) : this.partial !== '' ? [this.partial] : [];
    if (unmatched.length > 0) {
      const more = unmatched.length > 1 ? ` (and ${unmatched.length - 1} more line(s) that did not match either)` : '';
      return `a reply arrived but did not match: ${JSON.stringify(clip(unmatched[unmatched.length - 1]!))}${more}`;
    }
    if (this.framing === 'lines' && this.partial !== '') {
      return `text arrived without a line ending, so it never became a line (PROTOCOL.md §1: every line ends with "\\n"): ${JSON.stringify(clip(this.partial))}`;
    }
    const last = this.unanswered[this.unanswered.length - 1];
    if (last === undefined) return `nothing arrived within ${options.timeoutMs} ms`;
    if (this.answeredOnce && this.unanswered.length >= 2) {
      return (
        `the server stopped answering on this connection after ${JSON.stringify(this.unanswered[0])}: nothing arrived for the ` +
        `${this.unanswered.length} lines sent since, and the connection is still open: its handler may have died (an uncaught exception in its thread?)`
      );
    }
    return `nothing arrived within ${options.timeoutMs} ms after ${JSON.stringify(last)}${this.isOpen ? ' (the connection is still open)' : ''}`;
  }

  /** The last line sent on this connection (its first line, as typed), if any. */
  get lastSent(): string | undefined {
    return this.lastSentLine;
  }

  /** Lines sent since anything last arrived on this connection, oldest first (none when it answered). */
  get unansweredSends(): readonly string[] {
    return this.unanswered;
  }

  private closedMessage(description: string): string {
    return `${this.user}: the connection was closed while waiting for ${description}`;
  }

  private overflowMessage(description: string): string {
    return (
      `${this.user}: the server sent more than ${this.maxUnconsumed} characters that the test did not consume ` +
      `(flooding?) while waiting for ${description}; the rest was discarded`
    );
  }

  private withRecentLines(message: string): string {
    const lines = this.recentLines();
    if (lines.length === 0) return `${message}.\n${this.user} received nothing.`;
    const shown = lines.map((line) => `  <- ${escapeInvisible(line)}`).join('\n');
    return `${message}.\nLast lines received by ${this.user} (oldest first):\n${shown}`;
  }
}

function clip(line: string): string {
  return line.length > RECENT_LINE_MAX_CHARS ? line.slice(0, RECENT_LINE_MAX_CHARS) + '...' : line;
}

/** Index of the first line whose seq is greater than `seq` (lines are sorted by seq). */
function firstIndexAfter(lines: Line[], seq: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lines[mid]!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A matcher that throws (e.g. a malformed reply detected by the dialect) fails the expectation. */
function safeMatch(matcher: Matcher<unknown>, text: string): Match<unknown> | Error | undefined {
  try {
    return matcher(text) ?? undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** A matcher for a regular expression; the value is the match's named groups (or {}). */
export function regexMatcher(pattern: RegExp): Matcher<Record<string, string>> {
  return (text) => {
    pattern.lastIndex = 0;
    const found = pattern.exec(text);
    if (!found) return null;
    const groups: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.groups ?? {})) if (value !== undefined) groups[name] = value;
    return { value: groups, index: found.index, length: found[0].length };
  };
}
