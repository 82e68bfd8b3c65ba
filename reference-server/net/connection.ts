/**
 * One client connection as the network layer sees it: its socket, its input framing, and the output
 * that the core produced for it but that has not been handed to the socket yet.
 *
 * Output is queued, not written, so that everything a connection receives during one event-loop turn
 * leaves in ONE socket write (see server.ts, which flushes dirty connections once per turn). Lines
 * with several recipients are queued as references into the turn's shared log (turn-output.ts).
 */
import type { Socket } from 'node:net';
import type { ConnId } from '../core/effects.ts';
import { LineSplitter } from './line-splitter.ts';
import { OutputQueue } from './turn-output.ts';

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
  /** What the core produced for this client during the current turn, not yet handed to the socket. */
  readonly output = new OutputQueue();

  constructor(
    readonly id: ConnId,
    readonly socket: Socket,
    /** The peer's IP address, IPv4-mapped IPv6 addresses shown as plain IPv4 (what /BAN shows). */
    readonly address: string,
    maxLineBytes: number,
  ) {
    this.splitter = new LineSplitter(maxLineBytes);
  }

  /**
   * The socket's unsent bytes right after our last write to it. Only our writes add to them (they drain
   * in between), so this bounds them from above: `mayExceed` needs no look at the socket per line.
   */
  writableBound = 0;

  /** Bytes produced for this client that it has not received yet: ours plus the socket's buffer. */
  get unsentBytes(): number {
    return this.output.bytes + this.socket.writableLength;
  }

  /** Whether unsentBytes may be above `limit` (cheap; false means surely not). */
  mayExceed(limit: number): boolean {
    return this.output.bytes + this.writableBound > limit;
  }

  discardQueuedOutput(): void {
    this.output.clear();
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
