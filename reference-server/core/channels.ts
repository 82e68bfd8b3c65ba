/** Channel membership, roles and owner succession (PROTOCOL.md §4). */
import type { ConnId } from './effects.ts';
import type { Channel, ServerState, User } from './state.ts';
import { History } from './history.ts';

/** Creates `name` with `owner` as its only member and owner (§4.3). */
export function createChannel(state: ServerState, name: string, owner: User): Channel {
  const channel: Channel = {
    name,
    members: new Set([owner]),
    owner,
    admins: new Set(),
    history: new History(state.options.historySize, state.historyBudget),
    recipients: null,
  };
  state.channels.set(name, channel);
  owner.channels.add(channel);
  return channel;
}

/** Adds `user` as the last member in join order, as a plain member. */
export function addMember(channel: Channel, user: User): void {
  channel.members.add(user);
  channel.recipients = null;
  user.channels.add(channel);
}

/**
 * Removes `user` from `channel` (leave, kick, departure). An empty channel ceases to exist, history
 * included (§4.5). If the owner left, the earliest-joined remaining member becomes owner, whether or
 * not a granted admin (§4.3); that new owner is returned so the caller can announce it AFTER the
 * LEAVE/QUIT/KICK event (§2.2 ordering). Admin rights end with membership (§4.4).
 */
export function removeMember(state: ServerState, channel: Channel, user: User): User | null {
  channel.members.delete(user);
  channel.admins.delete(user);
  channel.recipients = null;
  user.channels.delete(channel);
  if (user.current === channel) user.current = null;

  if (channel.members.size === 0) {
    state.channels.delete(channel.name);
    channel.history.clear(); // its bytes leave the server-wide budget (§7)
    return null;
  }
  if (channel.owner !== user) return null;
  const next = channel.members.values().next().value as User;
  channel.owner = next;
  channel.admins.delete(next); // now an admin as owner, no longer as a granted one
  return next;
}

/** Members' connections in join order; the array is shared and replaced (never mutated) on change. */
export function channelRecipients(channel: Channel): readonly ConnId[] {
  if (channel.recipients === null) {
    const conns: ConnId[] = [];
    for (const member of channel.members) conns.push(member.conn);
    channel.recipients = conns;
  }
  return channel.recipients;
}

export function isAdmin(channel: Channel, user: User): boolean {
  return channel.owner === user || channel.admins.has(user);
}

/** Changes the channel's key in the server's map; everything else lives in the object (§4.7). */
export function renameChannel(state: ServerState, channel: Channel, name: string): void {
  state.channels.delete(channel.name);
  channel.name = name;
  state.channels.set(name, channel);
}
