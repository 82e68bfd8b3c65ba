/**
 * The reference server's network layer: TCP sockets on one event loop around the pure core.
 *
 * Each socket event becomes one core call (connection opened, line received or rejected, connection
 * closed, registration expired); the core answers with effects, which are carried out here:
 * - `send`: the line is encoded ONCE into a Buffer shared by every recipient and queued per recipient;
 *   every connection that received something is flushed once per event-loop turn (one socket write
 *   for everything it got during the turn), which is what keeps many small events cheap.
 * - `close`: the connection's queued output is flushed, then the socket is ended (destroyed after a
 *   grace period if the peer does not close its side).
 * - `log`: to the log.
 * Limits that only the socket can see live here: line length and encoding (line-splitter.ts), unsent
 * output per client (a client that does not read is disconnected and others see QUIT), registration
 * time (a timer per connection that asks the core). Socket errors never stop the server: they are
 * logged and treated as a drop (PROTOCOL.md §1.7).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as core from '../core/index.ts';
import type { ConnId, Effect } from '../core/effects.ts';
import { Connection, displayAddress } from './connection.ts';
import type { FramedInput } from './line-splitter.ts';
import { Broadcast, TurnLog } from './turn-output.ts';
import { coreOptionsOf, netOptionsOf, type ServerOptions } from './options.ts';

export type { ServerOptions, NetOptions } from './options.ts';

export interface ServerStats {
  connections: number;
  registered: number;
  channels: number;
}

export interface RunningServer {
  readonly host: string;
  /** The bound port (the real one when started with port 0). */
  readonly port: number;
  /** Stops listening, closes every connection (flushing what was queued) and resolves when all are closed. */
  close(): Promise<void>;
  /** A line typed on the server console (operator commands, §5.18). */
  consoleLine(line: string): void;
  stats(): ServerStats;
}

/** Lines queued for clients after which the server counts as busy (ServerOptions.onBusy): 2 % of 50 x 1 x 2000. */
export const BUSY_AFTER_DELIVERIES = 2000;
/** How long an ended connection may stay half-open (peer not closing or not reading) before it is destroyed. */
const CLOSE_GRACE_MS = 1000;
/** Pending connections the kernel may queue before accept: load tests open thousands at once. */
const LISTEN_BACKLOG = 4096;

export async function startServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const limits = netOptionsOf(options);
  const log = options.log ?? logToStderr;
  let onBusy = options.onBusy;
  let deliveries = 0;
  const state = core.createServerState(coreOptionsOf(options));
  const connections = new Map<ConnId, Connection>();
  let nextConnId: ConnId = 1;
  let shuttingDown = false;

  // ---- output: queue per connection, one flush per event-loop turn -------------------------------
  let dirty = new Set<Connection>();
  let flushScheduled = false;
  /** Lines with several recipients produced this turn, each encoded once (turn-output.ts). */
  const turnLog = new TurnLog();

  function markDirty(conn: Connection): void {
    dirty.add(conn);
    if (!flushScheduled) {
      flushScheduled = true;
      // setImmediate runs after the current poll phase: every socket read of this turn has been
      // processed, so each connection gets everything it is owed in a single write.
      setImmediate(flushDirty);
    }
  }

  function flushDirty(): void {
    flushScheduled = false;
    const batch = dirty;
    dirty = new Set();
    turnLog.beginFlush();
    for (const conn of batch) flush(conn);
    turnLog.endFlush(dirty.size > 0);
  }

  function flush(conn: Connection): void {
    if (conn.phase === 'gone' || conn.socket.destroyed) {
      conn.discardQueuedOutput();
      return;
    }
    // Members of a channel who got the same lines this turn get the same Buffer: concatenated once.
    const data = conn.output.take(turnLog);
    if (data !== undefined) {
      conn.socket.write(data);
      conn.writableBound = conn.socket.writableLength;
    }
    if (conn.phase === 'closing' && !conn.ended) {
      conn.ended = true;
      conn.socket.end();
      conn.graceTimer = setTimeout(() => conn.socket.destroy(), CLOSE_GRACE_MS);
      conn.graceTimer.unref();
    }
  }

  /** A line for `conn` alone. */
  function enqueueOwn(conn: Connection, line: Buffer): void {
    if (conn.phase !== 'open') return; // the core is done with it: nothing new after `close`
    const first = conn.output.isEmpty;
    conn.output.pushOwn(line);
    queued(conn, 1, first);
  }

  /** Lines [start, end) of the turn log, `size` bytes in all. */
  function enqueueRun(conn: Connection, start: number, end: number, size: number): void {
    if (conn.phase !== 'open') return;
    const first = conn.output.isEmpty;
    conn.output.pushRun(start, end, size);
    queued(conn, end - start, first);
  }

  /** What follows queuing `lines` lines for `conn`: the busy signal, the output cap, the flush. */
  function queued(conn: Connection, lines: number, first: boolean): void {
    if (onBusy !== undefined && (deliveries += lines) >= BUSY_AFTER_DELIVERIES) {
      const busy = onBusy;
      onBusy = undefined;
      busy();
    }
    if (conn.mayExceed(limits.maxOutputBytes) && conn.unsentBytes > limits.maxOutputBytes) {
      drop(conn, `output cap: more than ${limits.maxOutputBytes} bytes unsent (client not reading)`);
      return;
    }
    // Already dirty when it had queued output this turn: skip the Set lookup.
    if (first) markDirty(conn);
  }

  /**
   * The run of lines last sent to several connections, not yet in their queues: while one read's lines
   * go through the core, the next line to the same recipients only extends it (turn-output.ts). It is
   * fanned out before anything else is queued for them, before a `close`, and once the read is done;
   * outside a read there is none.
   */
  let broadcast: Broadcast | undefined;
  /** True while one read's lines are handed to the core. */
  let readingInput = false;

  function fanOut(): void {
    const run = broadcast;
    if (run === undefined) return;
    broadcast = undefined;
    for (const id of run.to) {
      if (id === run.except) continue;
      const conn = connections.get(id);
      if (conn !== undefined) enqueueRun(conn, run.start, run.end, run.bytes);
    }
    // The sender's replies to the lines it broadcast (OK SAY) were queued first but leave after them:
    // connections are written in the order they were marked dirty, and the members wait for the lines.
    const sender = run.except === undefined ? undefined : connections.get(run.except);
    if (sender !== undefined && dirty.delete(sender)) dirty.add(sender);
  }

  // ---- effects ------------------------------------------------------------------------------------
  /** Connections destroyed while effects were being applied, whose departure the core must still learn. */
  const pendingDrops: Connection[] = [];

  /**
   * Carries out the effects of one core call, then tells the core about connections this caused to be
   * dropped. The core is never re-entered while its effects are being applied: a `send` may iterate
   * over an array the core owns and would change when it processes a departure.
   */
  function dispatch(effects: readonly Effect[]): void {
    applyEffects(effects);
    if (!readingInput) fanOut();
    while (pendingDrops.length > 0) {
      const conn = pendingDrops.shift()!;
      notifyCoreOfDeparture(conn);
    }
  }

  function applyEffects(effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'send': {
          const { to, except } = effect;
          if (to.length === 1) {
            const id = to[0]!;
            if (id === except) break;
            // The sender's own reply does not interleave with the broadcast it is not part of.
            if (id !== broadcast?.except) fanOut();
            const conn = connections.get(id);
            if (conn !== undefined) enqueueOwn(conn, ownLineBytes(effect.line));
            break;
          }
          const line = Buffer.from(effect.line + '\n', 'utf8'); // encoded once, shared by every recipient
          const index = turnLog.append(line);
          if (broadcast?.tryExtend(to, except, index, line.length)) break;
          fanOut();
          broadcast = new Broadcast(to, except, index, line.length);
          break;
        }
        case 'close': {
          fanOut(); // what was sent before the close reaches the closing connection (today the core sends a last line first)
          const conn = connections.get(effect.conn);
          if (conn === undefined) break;
          conn.coreClosed = true; // the core already removed the user
          beginClose(conn, effect.reason);
          break;
        }
        case 'log':
          log(effect.message);
          break;
      }
    }
  }

  /** The last line sent to one connection alone, encoded: a burst's acknowledgements (OK SAY #room) repeat it. */
  let lastOwnLine = '';
  let lastOwnBytes = Buffer.from('\n');

  function ownLineBytes(line: string): Buffer {
    if (line !== lastOwnLine) {
      lastOwnLine = line;
      lastOwnBytes = Buffer.from(line + '\n', 'utf8'); // queued Buffers are never written to: one may be queued twice
    }
    return lastOwnBytes;
  }

  function notifyCoreOfDeparture(conn: Connection): void {
    if (conn.coreClosed || shuttingDown) return;
    conn.coreClosed = true;
    const effects = guarded(`conn ${conn.id} departure`, () => core.connectionClosed(state, conn.id));
    if (effects !== undefined) dispatch(effects);
  }

  /** Graceful end: what is queued is sent, then the socket is ended. */
  function beginClose(conn: Connection, reason: string): void {
    conn.recordReason(reason);
    if (conn.phase !== 'open') return;
    conn.phase = 'closing';
    clearTimeout(conn.registrationTimer);
    clearTimeout(conn.idleTimer);
    markDirty(conn);
  }

  /** Immediate end: queued output is thrown away. The core learns it at the end of the current dispatch. */
  function drop(conn: Connection, reason: string): void {
    conn.recordReason(reason);
    if (conn.phase === 'gone') return;
    conn.phase = 'gone';
    conn.discardQueuedOutput();
    conn.clearTimers();
    conn.socket.destroy();
    if (!conn.coreClosed) pendingDrops.push(conn);
  }

  // ---- sockets ------------------------------------------------------------------------------------
  /**
   * Runs one core call for `conn`. A core bug (an exception) must not take down every other session,
   * nor the conformance runner that embeds this server: it is logged with its stack and costs only the
   * connection that triggered it, which is then dropped (the core cleans up after it as after a drop).
   */
  function callCore(conn: Connection, what: string, run: () => Effect[]): void {
    let effects: Effect[];
    try {
      effects = run();
    } catch (error) {
      coreFailed(conn, what, error);
      return;
    }
    dispatch(effects);
  }

  /** One line (or rejected line) read from `conn`: callCore without a closure and a label per line, the hot path. */
  function inputReceived(conn: Connection, input: FramedInput): void {
    let effects: Effect[];
    try {
      effects = input.kind === 'line' ? core.lineReceived(state, conn.id, input.text) : core.lineRejected(state, conn.id, input.reason);
    } catch (error) {
      coreFailed(conn, input.kind === 'line' ? 'a line' : 'a rejected line', error);
      return;
    }
    dispatch(effects);
  }

  function coreFailed(conn: Connection, what: string, error: unknown): void {
    logCoreFailure(`conn ${conn.id} ${what}`, error);
    drop(conn, 'internal error');
    dispatch([]); // tells the core about the drop
  }

  /** The core's effects, or undefined (and the failure logged) when it threw. */
  function guarded(what: string, run: () => Effect[]): Effect[] | undefined {
    try {
      return run();
    } catch (error) {
      logCoreFailure(what, error);
      return undefined;
    }
  }

  function logCoreFailure(what: string, error: unknown): void {
    log(`core failed on ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  function onConnection(socket: net.Socket): void {
    const conn = new Connection(nextConnId++, socket, displayAddress(socket.remoteAddress), limits.maxLineBytes);
    connections.set(conn.id, conn);
    socket.setNoDelay(true);
    log(`conn ${conn.id} from ${conn.address}:${socket.remotePort ?? '?'} connected`);

    socket.on('data', (chunk: Buffer) => {
      conn.idleTimer?.refresh();
      if (conn.phase !== 'open') return; // e.g. lines after /BYE in the same segment: never executed
      readingInput = true;
      try {
        for (const input of conn.splitter.push(chunk)) {
          if (input.kind === 'line' && options.logLines) log(`conn ${conn.id} <- ${redactPassword(input.text)}`);
          inputReceived(conn, input);
          if (conn.phase !== 'open') break;
        }
      } finally {
        readingInput = false;
      }
      dispatch([]); // fans out the read's last broadcast
    });

    // The peer will send nothing more (it closed or half-closed). Its session is over (a drop, §1.7),
    // but what it is owed is still flushed: `printf 'alice\n/LIST\n' | nc host port` gets its replies.
    // A partial last line without "\n" is never executed (§1.3).
    socket.on('end', () => {
      conn.recordReason('closed by peer');
      if (conn.phase === 'open') {
        conn.phase = 'closing';
        clearTimeout(conn.registrationTimer);
        markDirty(conn);
      }
      notifyCoreOfDeparture(conn);
    });

    socket.on('error', (error: NodeJS.ErrnoException) => {
      // ECONNRESET, EPIPE, ETIMEDOUT...: a drop like any other; 'close' follows.
      conn.recordReason(`socket error ${error.code ?? error.message}`);
    });

    socket.on('close', () => {
      conn.phase = 'gone';
      conn.clearTimers();
      conn.discardQueuedOutput();
      connections.delete(conn.id);
      dirty.delete(conn);
      log(`conn ${conn.id} from ${conn.address} disconnected: ${conn.closeReason ?? 'connection lost'}`);
      notifyCoreOfDeparture(conn);
    });

    if (limits.registrationTimeoutMs > 0) {
      conn.registrationTimer = setTimeout(() => {
        conn.registrationTimer = undefined;
        // The core knows whether this connection registered; for a registered one this is a no-op.
        if (conn.phase === 'open') callCore(conn, 'registration timeout', () => core.registrationExpired(state, conn.id));
      }, limits.registrationTimeoutMs);
      conn.registrationTimer.unref();
    }

    if (limits.idleTimeoutMs > 0) {
      conn.idleTimer = setTimeout(() => {
        conn.idleTimer = undefined;
        if (conn.phase === 'open') callCore(conn, 'idle timeout', () => core.idleExpired(state, conn.id));
      }, limits.idleTimeoutMs);
      conn.idleTimer.unref();
    }

    callCore(conn, 'connection opened', () => core.connectionOpened(state, conn.id, conn.address));
  }

  // allowHalfOpen: on the peer's FIN we decide when our side ends (after flushing), see 'end' above.
  const server = net.createServer({ allowHalfOpen: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: limits.host, port: limits.port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, errors (e.g. EMFILE while accepting) are logged; the server keeps serving.
  server.on('error', (error: NodeJS.ErrnoException) => log(`server error: ${error.code ?? error.message}`));

  const bound = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    host: limits.host,
    port: bound.port,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        server.close(() => resolve()); // called once every connection has closed
        for (const conn of connections.values()) beginClose(conn, 'server shutting down');
        flushDirty(); // now, not next turn: close() may be followed by process.exit
      });
      return closed;
    },
    consoleLine(line: string): void {
      const effects = guarded('a console line', () => core.consoleLine(state, line));
      if (effects !== undefined) dispatch(effects);
    },
    stats(): ServerStats {
      return core.stats(state);
    },
  };
}

function logToStderr(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

/** A line as the --verbose log shows it: /OPER's password is not written to a log. */
export function redactPassword(line: string): string {
  return /^\s*\/oper\b/i.test(line) ? line.replace(/^(\s*\/oper)\b.*$/i, '$1 (password hidden)') : line;
}
