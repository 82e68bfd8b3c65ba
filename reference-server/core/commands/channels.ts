/** Channel commands for every member: /LIST, /JOIN, /LEAVE, /WHO, /CURRENT (§5.3-§5.5, §5.8, §5.12). */
import type { CommandSpec } from './context.ts';
import { fail } from '../errors.ts';
import { isValidChannelName } from '../names.ts';
import { addMember, channelRecipients, createChannel, removeMember } from '../channels.ts';
import { event, ok } from '../replies.ts';
import { sendTo } from '../emit.ts';
import { currentChannel, registered, reply } from './context.ts';

function checkChannelName(name: string): void {
  if (!isValidChannelName(name)) {
    fail('CHANNEL_INVALID', 'a channel name is 1 to 32 letters, digits, #, _, - or .');
  }
}

export const list: CommandSpec = {
  usage: '/LIST',
  minArgs: 0,
  maxArgs: 0,
  needsRegistration: true,
  run(ctx) {
    // Names are ASCII (§3.2), so UTF-16 order is code point order.
    const names = [...ctx.state.channels.keys()].sort();
    reply(ctx, ok('LIST', names.join(' ')));
  },
};

export const join: CommandSpec = {
  usage: '/JOIN <channel>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const name = ctx.args[0]!;
    checkChannelName(name);
    const existing = state.channels.get(name);
    if (existing === undefined) {
      user.current = createChannel(state, name, user);
      reply(ctx, ok('JOIN', `${name} owner`));
      return;
    }
    if (existing.members.has(user)) fail('ALREADY_MEMBER', `you are already in ${name}: use /CURRENT ${name}`);
    sendTo(out, channelRecipients(existing), event.join(name, user.nick)); // the members before the join
    addMember(existing, user);
    user.current = existing;
    reply(ctx, ok('JOIN', `${name} member`));
  }),
};

export const leave: CommandSpec = {
  usage: '/LEAVE',
  minArgs: 0,
  maxArgs: 0,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const channel = currentChannel(user);
    const newOwner = removeMember(state, channel, user);
    sendTo(out, channelRecipients(channel), event.leave(channel.name, user.nick));
    if (newOwner !== null) sendTo(out, channelRecipients(channel), event.owner(channel.name, newOwner.nick!));
    user.current = null; // lobby, even if still a member elsewhere (§8.6)
    reply(ctx, ok('LEAVE', channel.name));
  }),
};

export const who: CommandSpec = {
  usage: '/WHO',
  minArgs: 0,
  maxArgs: 0,
  needsRegistration: true,
  run(ctx) {
    const channel = currentChannel(ctx.user);
    const marked: string[] = [channel.name];
    for (const member of channel.members) {
      const mark = member === channel.owner ? '~' : channel.admins.has(member) ? '@' : '';
      marked.push(mark + member.nick!);
    }
    reply(ctx, ok('WHO', marked.join(' ')));
  },
};

export const current: CommandSpec = {
  usage: '/CURRENT [<channel>]',
  minArgs: 0,
  maxArgs: 1,
  needsRegistration: true,
  run(ctx) {
    const { state, user } = ctx;
    const name = ctx.args[0];
    if (name === undefined) {
      reply(ctx, ok('CURRENT', currentChannel(user).name));
      return;
    }
    // A malformed name is CHANNEL_INVALID, checked before NOT_MEMBER (§5.12, §6.1).
    checkChannelName(name);
    const channel = state.channels.get(name);
    if (channel === undefined || !channel.members.has(user)) fail('NOT_MEMBER', `you are not a member of ${name}`);
    user.current = channel;
    reply(ctx, ok('CURRENT', name));
  },
};
