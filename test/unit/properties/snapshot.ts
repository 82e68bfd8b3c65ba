/**
 * A plain-data copy of the core's users and channels: what property tests compare before and after a
 * command. Names and connection ids instead of objects, so two snapshots compare with deepEqual and
 * nothing in it can be used to change the state. Kept with the tests, not in the core: it only reads the
 * state's public fields, and server code that only tests call would be dead code to the coverage gate.
 */
import type { ConnId, ServerState } from '../../../reference-server/core/index.ts';

export interface UserView {
  readonly conn: ConnId;
  readonly address: string;
  /** Null until registered. */
  readonly nick: string | null;
  /** Name of the current channel; null in the lobby. */
  readonly current: string | null;
  /** Names of the channels the user is a member of, in the order joined. */
  readonly channels: readonly string[];
  readonly oper: boolean;
}

export interface ChannelView {
  readonly name: string;
  readonly owner: ConnId;
  /** Granted admins (the owner is not among them). */
  readonly admins: readonly ConnId[];
  /** In join order. */
  readonly members: readonly ConnId[];
}

export interface StateSnapshot {
  readonly users: readonly UserView[];
  readonly channels: readonly ChannelView[];
  /** Nick -> connection, for every registered user. */
  readonly nicks: ReadonlyArray<readonly [string, ConnId]>;
  readonly bannedAddresses: readonly string[];
}

export function takeSnapshot(state: ServerState): StateSnapshot {
  return {
    users: [...state.users.values()].map((user) => ({
      conn: user.conn,
      address: user.address,
      nick: user.nick,
      current: user.current?.name ?? null,
      channels: [...user.channels].map((channel) => channel.name),
      oper: user.oper,
    })),
    channels: [...state.channels.values()].map((channel) => ({
      name: channel.name,
      owner: channel.owner.conn,
      admins: [...channel.admins].map((admin) => admin.conn),
      members: [...channel.members].map((member) => member.conn),
    })),
    nicks: [...state.nicks].map(([nick, user]) => [nick, user.conn] as const),
    bannedAddresses: [...state.bannedAddresses],
  };
}
