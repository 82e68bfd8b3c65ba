/**
 * A TCP connection that speaks in lines: UTF-8, `\n`-terminated, one trailing `\r` removed (§1.2).
 * It knows nothing about commands; it only frames bytes.
 */
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { systemErrorMessage } from '../common/plain-errors.ts';

export interface LineConnectionHandlers {
  onLine(line: string): void;
  /** The connection ended (by either side). `error` is set when it ended because of a socket error. */
  onClose(error: Error | undefined): void;
}

export class ConnectError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export class LineConnection {
  private buffered = '';
  private readonly decoder = new StringDecoder('utf8');
  private closed = false;
  private lastError: Error | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly handlers: LineConnectionHandlers,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(this.decoder.write(chunk)));
    socket.on('error', (error) => (this.lastError = error));
    socket.on('close', () => {
      this.closed = true;
      const tail = this.buffered + this.decoder.end();
      this.buffered = '';
      // A last line without its "\n" is still shown: the server may have closed right after writing it.
      if (tail !== '') this.handlers.onLine(tail.replace(/\r$/, ''));
      this.handlers.onClose(this.lastError);
    });
  }

  /** Connects, or rejects with a ConnectError after `timeoutMs`, on refusal or on a name lookup failure. */
  static open(host: string, port: number, timeoutMs: number, handlers: LineConnectionHandlers): Promise<LineConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectError(`cannot reach ${host}:${port}: no answer within ${timeoutMs} ms`, 'ETIMEDOUT'));
      }, timeoutMs);
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // The code stays first (scripts match it); the plain words say what to check.
        const plain = systemErrorMessage(error, { host, port });
        reject(new ConnectError(`cannot reach ${host}:${port}: ${error.code ?? error.message}${plain ? ` (${plain})` : ''}`, error.code));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        resolve(new LineConnection(socket, handlers));
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends one line with its terminator (the dialect's). Ignored once closed (the close is reported once, elsewhere). */
  send(line: string, terminator: string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(line + terminator);
  }

  /** Half-closes after flushing what was written, then lets the server finish. */
  end(): void {
    if (!this.closed) this.socket.end();
  }

  /** Closes at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(text: string): void {
    this.buffered += text;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline).replace(/\r$/, '');
      this.buffered = this.buffered.slice(newline + 1);
      this.handlers.onLine(line);
      newline = this.buffered.indexOf('\n');
    }
  }
}
