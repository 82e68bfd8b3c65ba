/**
 * One client connection as the network layer sees it: its socket, its input framing, and the output
 * that the core produced for it but that has not been handed to the socket yet.
 *
 * Output is queued, not written, so that everything a connection receives during one event-loop turn
 * leaves in ONE socket write (see server.ts, which flushes dirty connections once per turn). The
 * queued Buffers are shared with other recipients of the same line and are never modified.
 */
import type { Socket } from 'node:net';
import type { ConnId } from '../core/effects.ts';
import { LineSplitter } from './line-splitter.ts';

/**
 * open:    lines are read and handed to the core.
 * closing: the core (or the peer) ended the session; queued output is flushed, then the socket ended.
 * gone:    the socket was destroyed (output cap, error, shutdown); nothing is written any more.
 */
export type ConnectionPhase = 'open' | 'closing' | 'gone';

export class Connection {
  phase: ConnectionPhase = 'open';
  /** Whether the core already knows this connection is over (a `close` effect or connectionClosed). */
  coreClosed = false;
  /** Why the connection ended, for the log; the first reason recorded wins. */
  closeReason: string | undefined;
  registrationTimer: NodeJS.Timeout | undefined;
  /** Restarted by every byte the client sends (§7 idle timeout), when one is set. */
  idleTimer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  /** Set once socket.end() was called, so it is called only once. */
  ended = false;
  readonly splitter: LineSplitter;
  private chunks: Buffer[] = [];
  private queued = 0;

  constructor(
    readonly id: ConnId,
    readonly socket: Socket,
    /** The peer's IP address, IPv4-mapped IPv6 addresses shown as plain IPv4 (what /BAN shows). */
    readonly address: string,
    maxLineBytes: number,
  ) {
    this.splitter = new LineSplitter(maxLineBytes);
  }

  /** Bytes produced for this client that it has not received yet: ours plus the socket's buffer. */
  get unsentBytes(): number {
    return this.queued + this.socket.writableLength;
  }

  get hasQueuedOutput(): boolean {
    return this.queued > 0;
  }

  enqueue(line: Buffer): void {
    this.chunks.push(line);
    this.queued += line.length;
  }

  /** The queued chunks (not copied: read-only, valid until the next take/discard). */
  peekChunks(): readonly Buffer[] {
    return this.chunks;
  }

  /** Removes and returns everything queued as one Buffer (no copy when there is a single line). */
  takeQueuedOutput(): Buffer | undefined {
    if (this.queued === 0) return undefined;
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.queued);
    this.discardQueuedOutput();
    return data;
  }

  discardQueuedOutput(): void {
    // A new array, never truncation: an array handed out by peekChunks() must stay as it was.
    this.chunks = [];
    this.queued = 0;
  }

  recordReason(reason: string): void {
    this.closeReason ??= reason;
  }

  clearTimers(): void {
    clearTimeout(this.registrationTimer);
    clearTimeout(this.graceTimer);
    clearTimeout(this.idleTimer);
    this.registrationTimer = undefined;
    this.graceTimer = undefined;
    this.idleTimer = undefined;
  }
}

/** "::ffff:10.0.0.1" -> "10.0.0.1"; anything else unchanged ("unknown" when the socket has none). */
export function displayAddress(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return 'unknown';
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}
