/**
 * The server's state: users by connection and by nick, channels by name, bans. Every lookup the
 * protocol needs is one Map access; members are kept in join order by Set insertion order.
 */
import type { ConnId } from './effects.ts';
import type { CoreOptions } from './options.ts';
import { HistoryBudget, type History } from './history.ts';

/** A file announced with /SEND whose chunks are arriving with /DATA (§5.16). */
export interface Upload {
  readonly recipient: User;
  readonly name: string;
  readonly size: number;
  readonly chunks: Buffer[];
  received: number;
}

/** A complete file waiting for its recipient's /RECV. */
export interface WaitingFile {
  readonly from: string;
  readonly name: string;
  readonly data: Buffer;
}

/** One connection; it becomes a user when it registers (`nick` no longer null). */
export interface User {
  readonly conn: ConnId;
  /** `[conn]`, kept so that a reply to this user allocates no recipient array. */
  readonly self: readonly ConnId[];
  readonly address: string;
  nick: string | null;
  /** Channels this user is a member of, in the order they were joined. */
  readonly channels: Set<Channel>;
  /** Null: in the lobby (§4.1). */
  current: Channel | null;
  oper: boolean;
  upload: Upload | null;
  /** Files waiting for this user, oldest first. */
  readonly waitingFiles: WaitingFile[];
  /** Uploads by others announced to this user and not finished yet (they count towards the limit). */
  incomingUploads: number;
  /** False once the core has removed this connection. */
  connected: boolean;
}

export interface Channel {
  name: string;
  /** Members in join order (§4.3). */
  readonly members: Set<User>;
  owner: User;
  /** Granted admins; the owner is an admin but never in this set. */
  readonly admins: Set<User>;
  readonly history: History;
  /** Members' connections in join order; rebuilt lazily after membership changes, never mutated. */
  recipients: readonly ConnId[] | null;
}

export interface ServerState {
  readonly options: CoreOptions;
  readonly users: Map<ConnId, User>;
  readonly nicks: Map<string, User>;
  readonly channels: Map<string, Channel>;
  readonly bannedAddresses: Set<string>;
  /** Registered users' connections, for GLOBAL; rebuilt lazily, never mutated. */
  registeredRecipients: readonly ConnId[] | null;
  /** Bytes of waiting files plus the announced size of open uploads, server-wide (§7). */
  pendingFileBytes: number;
  /** Every channel's history shares it (§7). */
  readonly historyBudget: HistoryBudget;
  /** Open connections per address (only counted when maxConnectionsPerAddress is set). */
  readonly connectionsByAddress: Map<string, number>;
}

export function newState(options: CoreOptions): ServerState {
  return {
    options,
    users: new Map(),
    nicks: new Map(),
    channels: new Map(),
    bannedAddresses: new Set(),
    registeredRecipients: null,
    pendingFileBytes: 0,
    historyBudget: new HistoryBudget(options.maxHistoryBytes),
    connectionsByAddress: new Map(),
  };
}

export function newUser(conn: ConnId, address: string): User {
  return {
    conn,
    self: [conn],
    address,
    nick: null,
    channels: new Set(),
    current: null,
    oper: false,
    upload: null,
    waitingFiles: [],
    incomingUploads: 0,
    connected: true,
  };
}

export function isRegistered(user: User): user is User & { nick: string } {
  return user.nick !== null;
}

/** Connections of every registered user (a shared array: do not mutate). */
export function registeredRecipients(state: ServerState): readonly ConnId[] {
  if (state.registeredRecipients === null) {
    const conns: ConnId[] = [];
    for (const user of state.nicks.values()) conns.push(user.conn);
    state.registeredRecipients = conns;
  }
  return state.registeredRecipients;
}

/**
 * Every other user who shares at least one channel with `user`, each once (§2.2 QUIT and NICK),
 * in the order of the user's channels and their join order.
 */
export function coMemberRecipients(user: User): ConnId[] {
  const seen = new Set<User>();
  const conns: ConnId[] = [];
  for (const channel of user.channels) {
    for (const member of channel.members) {
      if (member === user || seen.has(member)) continue;
      seen.add(member);
      conns.push(member.conn);
    }
  }
  return conns;
}
