/** Commands about the connection itself: registration, /NICK, /HELP, /PING, /BYE (§5.1, §5.2, §5.9, §5.13, §5.14). */
import type { Effect } from '../effects.ts';
import type { ServerState, User } from '../state.ts';
import type { CommandContext, CommandSpec } from './context.ts';
import { fail } from '../errors.ts';
import { isValidNick } from '../names.ts';
import { coMemberRecipients, isRegistered } from '../state.ts';
import { HELP_TEXTS, event, helpLine, ok, pong } from '../replies.ts';
import { closeConn, sendTo, sendToUser } from '../emit.ts';
import { removeUser } from '../departure.ts';
import { reply } from './context.ts';

/** NICK_INVALID / NICK_IN_USE checks shared by registration and renaming (§3.1, §5.14). */
function checkNewNick(state: ServerState, nick: string): void {
  if (!isValidNick(nick)) {
    fail('NICK_INVALID', 'a nick is 1 to 16 letters, digits, _ or -, starting with a letter');
  }
  if (state.nicks.has(nick)) fail('NICK_IN_USE', `${nick} is already in use`);
}

/** A nick attempt from an unregistered connection: a bare line or /NICK <nick> (§5.1). */
export function register(state: ServerState, user: User, nick: string, out: Effect[]): void {
  checkNewNick(state, nick);
  user.nick = nick;
  state.nicks.set(nick, user);
  state.registeredRecipients = null;
  sendToUser(out, user, ok('WELCOME', nick));
}

function changeNick(ctx: CommandContext<User & { nick: string }>, nick: string): void {
  const { state, user, out } = ctx;
  checkNewNick(state, nick); // the user's own nick is in use too (§8.14)
  const old = user.nick;
  state.nicks.delete(old);
  state.nicks.set(nick, user);
  user.nick = nick; // memberships, roles and files are held by the user object: they follow
  sendTo(out, coMemberRecipients(user), event.nick(old, nick));
  reply(ctx, ok('NICK', `${old} ${nick}`));
}

export const nick: CommandSpec = {
  usage: '/NICK <nick>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: false,
  run(ctx) {
    const wanted = ctx.args[0]!;
    if (isRegistered(ctx.user)) changeNick(ctx as CommandContext<User & { nick: string }>, wanted);
    else register(ctx.state, ctx.user, wanted, ctx.out);
  },
};

export const help: CommandSpec = {
  usage: '/HELP',
  minArgs: 0,
  maxArgs: 0,
  needsRegistration: false,
  run(ctx) {
    for (const text of HELP_TEXTS) reply(ctx, helpLine(text));
    reply(ctx, ok('HELP'));
  },
};

export const ping: CommandSpec = {
  usage: '/PING [token]',
  minArgs: 0,
  maxArgs: 1,
  needsRegistration: false,
  run(ctx) {
    reply(ctx, pong(ctx.args[0]));
  },
};

export const bye: CommandSpec = {
  usage: '/BYE',
  minArgs: 0,
  maxArgs: 0,
  needsRegistration: false,
  run(ctx) {
    reply(ctx, ok('BYE'));
    removeUser(ctx.state, ctx.user, ctx.out);
    closeConn(ctx.out, ctx.user.conn, 'BYE');
  },
};
