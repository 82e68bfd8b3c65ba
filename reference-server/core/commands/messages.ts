/** Messages: the plain message line, /MSG and /HISTORY (§5.6, §5.7, §5.17). */
import type { ConnId, Effect } from '../effects.ts';
import type { CommandSpec } from './context.ts';
import type { User } from '../state.ts';
import { fail } from '../errors.ts';
import { channelRecipients } from '../channels.ts';
import { err, event, historyLine, ok } from '../replies.ts';
import { sendTo, sendToUser } from '../emit.ts';
import { currentChannel, memberNamed, registered, reply } from './context.ts';

/**
 * A plain message (§5.6), the hot path: one formatted line, sent to the channel's cached recipient
 * array except the sender, remembered for /HISTORY.
 */
export function say(user: User & { nick: string }, text: string, out: Effect[]): void {
  const channel = user.current;
  if (channel === null) {
    sendToUser(out, user, err('NO_CHANNEL', 'you are in the lobby: /JOIN a channel first'));
    return;
  }
  sendTo(out, channelRecipients(channel), event.msg(channel.name, user.nick, text), user.conn);
  channel.history.add(user.nick, text);
  sendToUser(out, user, ok('SAY', channel.name));
}

/** The rest of a line after its first word and the spaces that follow it. */
function afterFirstWord(rest: string, firstWord: string): string {
  let i = firstWord.length;
  while (rest.charCodeAt(i) === 0x20) i++;
  return rest.slice(i);
}

export const msg: CommandSpec = {
  usage: '/MSG <nick>[;<nick>...] <text>',
  minArgs: 2,
  maxArgs: Infinity,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const targetList = ctx.args[0]!;
    const text = afterFirstWord(ctx.rest, targetList);
    const nicks = targetList.split(';');
    if (nicks.includes('')) fail('SYNTAX', 'empty target: /MSG <nick>[;<nick>...] <text>');
    const unique = [...new Set(nicks)];
    const channel = currentChannel(user);
    // All or nothing (§5.7): every target is checked before anything is sent.
    const conns: ConnId[] = unique.map((nick) => memberNamed(state, channel, nick).conn);
    sendTo(out, conns, event.priv(user.nick, text));
    reply(ctx, ok('MSG', unique.join(';')));
  }),
};

/** /HISTORY bounds (§5.17). */
const HISTORY_DEFAULT = 20;
const HISTORY_MAX = 100;

export const history: CommandSpec = {
  usage: `/HISTORY [n] (n from 1 to ${HISTORY_MAX})`,
  minArgs: 0,
  maxArgs: 1,
  needsRegistration: true,
  run(ctx) {
    const given = ctx.args[0];
    let count = HISTORY_DEFAULT;
    if (given !== undefined) {
      count = /^[0-9]{1,4}$/.test(given) ? Number(given) : 0;
      if (count < 1 || count > HISTORY_MAX) fail('SYNTAX', `usage: /HISTORY [n] with n from 1 to ${HISTORY_MAX}`);
    }
    const channel = currentChannel(ctx.user);
    const entries = channel.history.last(count);
    for (const entry of entries) reply(ctx, historyLine(channel.name, entry.nick, entry.text));
    reply(ctx, ok('HISTORY', `${channel.name} ${entries.length}`));
  },
};
