/**
 * The reference server's protocol core: a pure state machine implementing docs/PROTOCOL.md.
 *
 * No sockets, timers or I/O: the network layer (reference-server/net/) calls these functions with
 * each input and carries out the returned effects in order (see effects.ts for the contract).
 */
import type { ConnId, Effect } from './effects.ts';
import type { CoreOptions } from './options.ts';
import type { ServerState } from './state.ts';
import { resolveCoreOptions } from './options.ts';
import { isRegistered, newState, newUser } from './state.ts';
import { hasControlCharacter, trimLine } from './parse.ts';
import { err, event } from './replies.ts';
import { closeConn, sendToUser } from './emit.ts';
import { runCommand, runRefusable } from './dispatch.ts';
import { register } from './commands/session.ts';
import { say } from './commands/messages.ts';
import { claimAddress, removeUser } from './departure.ts';
import { runConsoleLine } from './console.ts';

export type { ConnId, Effect } from './effects.ts';
export type { CoreOptions } from './options.ts';
export type { ServerState } from './state.ts';

export function createServerState(options?: Partial<CoreOptions>): ServerState {
  return newState(resolveCoreOptions(options));
}

/** New TCP connection from `address` (IP string). Returns HELLO, or ERR BANNED / ERR SERVER_FULL + close. */
export function connectionOpened(state: ServerState, conn: ConnId, address: string): Effect[] {
  if (state.bannedAddresses.has(address)) {
    const out: Effect[] = [{ kind: 'send', to: [conn], line: err('BANNED', 'your address is banned from this server') }];
    closeConn(out, conn, `banned address ${address}`);
    return out;
  }
  if (state.users.size >= state.options.maxConnections) {
    const out: Effect[] = [{ kind: 'send', to: [conn], line: err('SERVER_FULL', 'too many connections, try again later') }];
    closeConn(out, conn, `server full (${state.options.maxConnections} connections)`);
    return out;
  }
  if (!claimAddress(state, address)) {
    const out: Effect[] = [{ kind: 'send', to: [conn], line: err('SERVER_FULL', 'too many connections from your address') }];
    closeConn(out, conn, `too many connections from ${address} (${state.options.maxConnectionsPerAddress})`);
    return out;
  }
  const user = newUser(conn, address);
  state.users.set(conn, user);
  return [{ kind: 'send', to: user.self, line: event.hello(state.options.serverName, state.options.protocolVersion) }];
}

/**
 * One complete line, already decoded from valid UTF-8, without "\n" and the "\r" before it. Control
 * characters are refused here (§1.5); blank lines are ignored (§1.6).
 */
export function lineReceived(state: ServerState, conn: ConnId, line: string): Effect[] {
  const user = state.users.get(conn);
  if (user === undefined) return [];
  const out: Effect[] = [];
  if (hasControlCharacter(line)) {
    sendToUser(out, user, err('BAD_ENCODING', 'control characters are not allowed'));
    return out;
  }
  const trimmed = trimLine(line);
  if (trimmed === '') return out;

  const isCommand = trimmed.charCodeAt(0) === 0x2f /* / */ && trimmed.charCodeAt(1) !== 0x2f;
  if (isCommand) {
    runCommand(state, user, trimmed, out);
  } else {
    // A plain line: `//text` stands for `/text` (§5).
    const text = trimmed.charCodeAt(0) === 0x2f ? trimmed.slice(1) : trimmed;
    if (isRegistered(user)) say(user, text, out);
    else runRefusable(user, out, () => register(state, user, text, out)); // a nick attempt (§5.1)
  }
  return out;
}

/** The net layer discarded a line: too long (§1.4) or invalid UTF-8 (§1.5). */
export function lineRejected(state: ServerState, conn: ConnId, reason: 'LINE_TOO_LONG' | 'BAD_ENCODING'): Effect[] {
  const user = state.users.get(conn);
  if (user === undefined) return [];
  const out: Effect[] = [];
  // The reason is free text (§2.1); it names no byte count because the line limit is an option (§7).
  sendToUser(out, user, err(reason, reason === 'LINE_TOO_LONG' ? 'the line is longer than the limit: line discarded' : 'lines must be valid UTF-8: line discarded'));
  return out;
}

/** The connection is gone (drop, or net-level kill): a /BYE for everybody else (§1.7). Idempotent. */
export function connectionClosed(state: ServerState, conn: ConnId): Effect[] {
  const user = state.users.get(conn);
  if (user === undefined) return [];
  const out: Effect[] = [];
  removeUser(state, user, out);
  return out;
}

/** Registration timer fired: ERR TIMEOUT + close if still unregistered (§7), else nothing. */
export function registrationExpired(state: ServerState, conn: ConnId): Effect[] {
  const user = state.users.get(conn);
  if (user === undefined || isRegistered(user)) return [];
  const out: Effect[] = [];
  sendToUser(out, user, err('TIMEOUT', 'registration took too long'));
  removeUser(state, user, out);
  closeConn(out, conn, 'registration timeout');
  return out;
}

/** The connection sent nothing for the idle time (§7, an option of the network layer): ERR TIMEOUT, closed. */
export function idleExpired(state: ServerState, conn: ConnId): Effect[] {
  const user = state.users.get(conn);
  if (user === undefined) return [];
  const out: Effect[] = [];
  sendToUser(out, user, err('TIMEOUT', 'idle for too long'));
  removeUser(state, user, out);
  closeConn(out, conn, 'idle timeout');
  return out;
}

/** A console line: GLOBAL/KILL/BAN/UNBAN, with or without '/', by `*`; the outcome is logged. */
export function consoleLine(state: ServerState, line: string): Effect[] {
  return runConsoleLine(state, line);
}

/** Read-only counts for tests, logs and invariants. */
export function stats(state: ServerState): { connections: number; registered: number; channels: number } {
  return { connections: state.users.size, registered: state.nicks.size, channels: state.channels.size };
}
