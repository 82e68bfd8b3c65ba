/**
 * A user leaving the server: /BYE, drop, /KILL, /BAN, timeout (§1.7, §5.9, §5.18). Everything the
 * user held is released in the same call, so a later connectionClosed finds nothing to do.
 */
import type { ConnId, Effect } from './effects.ts';
import type { ServerState, User } from './state.ts';
import { channelRecipients, removeMember } from './channels.ts';
import { coMemberRecipients, isRegistered } from './state.ts';
import { event } from './replies.ts';
import { sendTo } from './emit.ts';
import { abandonUpload, dropWaitingFiles } from './files.ts';

/**
 * Removes `user` from the state and queues `QUIT <nick>` once to every user who shared a channel with
 * them, then `OWNER` for each channel they owned (QUIT first, §2.2). `quitExcept` is the operator whose
 * /KILL or /BAN caused the departure: the actor never receives the event of its own action (§8.20).
 * Does not close the connection: the caller adds the `close` effect after any final reply.
 */
/** Counts a connection from `address` (only when a per-address limit is set); false when it is one too many. */
export function claimAddress(state: ServerState, address: string): boolean {
  const limit = state.options.maxConnectionsPerAddress;
  if (limit === 0) return true;
  const open = state.connectionsByAddress.get(address) ?? 0;
  if (open >= limit) return false;
  state.connectionsByAddress.set(address, open + 1);
  return true;
}

function releaseAddress(state: ServerState, address: string): void {
  const open = state.connectionsByAddress.get(address);
  if (open === undefined) return;
  if (open <= 1) state.connectionsByAddress.delete(address);
  else state.connectionsByAddress.set(address, open - 1);
}

export function removeUser(state: ServerState, user: User, out: Effect[], quitExcept?: ConnId): void {
  if (!user.connected) return;
  user.connected = false;
  state.users.delete(user.conn);
  abandonUpload(state, user);
  dropWaitingFiles(state, user); // files waiting for a departed user are dropped (§5.16)
  releaseAddress(state, user.address);
  if (!isRegistered(user)) return;

  sendTo(out, coMemberRecipients(user), event.quit(user.nick), quitExcept);
  for (const channel of [...user.channels]) {
    const newOwner = removeMember(state, channel, user);
    if (newOwner !== null) {
      sendTo(out, channelRecipients(channel), event.owner(channel.name, newOwner.nick!));
    }
  }
  state.nicks.delete(user.nick);
  state.registeredRecipients = null;
}
