/** What a command handler receives, and the checks several commands share. */
import type { Effect } from '../effects.ts';
import type { Channel, ServerState, User } from '../state.ts';
import { fail } from '../errors.ts';
import { sendToUser } from '../emit.ts';

/** A registered user (nick set). */
export type Registered = User & { nick: string };

export interface CommandContext<U extends User = Registered> {
  readonly state: ServerState;
  readonly user: U;
  /** Arguments split on spaces; their count is already checked against the command's arity. */
  readonly args: readonly string[];
  /** The line after the command word, leading spaces removed (for commands whose last field is text). */
  readonly rest: string;
  readonly out: Effect[];
}

export interface CommandSpec {
  /** Usage shown in ERR SYNTAX. */
  readonly usage: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** False for the commands that work before registration: /NICK, /PING, /HELP, /BYE (§5.1). */
  readonly needsRegistration: boolean;
  /** Must queue exactly one final reply to the user, or throw ProtocolError before any effect. */
  readonly run: (ctx: CommandContext<User>) => void;
}

/** Final reply (or data line) to the caller. */
export function reply(ctx: CommandContext<User>, line: string): void {
  sendToUser(ctx.out, ctx.user, line);
}

/** The caller's current channel, or ERR NO_CHANNEL in the lobby (§4.1). */
export function currentChannel(user: User): Channel {
  if (user.current === null) fail('NO_CHANNEL', 'you are in the lobby: /JOIN a channel first');
  return user.current;
}

/** The member of `channel` called `nick`, or ERR NO_SUCH_NICK. */
export function memberNamed(state: ServerState, channel: Channel, nick: string): Registered {
  const target = state.nicks.get(nick);
  if (target === undefined || !channel.members.has(target)) {
    fail('NO_SUCH_NICK', `${nick} is not a member of ${channel.name}`);
  }
  return target as Registered;
}

/** The connected user called `nick`, or ERR NO_SUCH_NICK (/KILL, /BAN). */
export function connectedNamed(state: ServerState, nick: string): Registered {
  const target = state.nicks.get(nick);
  if (target === undefined) fail('NO_SUCH_NICK', `${nick} is not connected`);
  return target as Registered;
}

/** Adapts a handler written for registered users to the table's signature (registration is checked before). */
export function registered(run: (ctx: CommandContext) => void): (ctx: CommandContext<User>) => void {
  return run as (ctx: CommandContext<User>) => void;
}
