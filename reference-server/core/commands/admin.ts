/** Admin and owner commands: /KICK, /REN, /GRANT, /REVOKE (§4.4, §5.10, §5.11, §5.15). */
import type { CommandSpec } from './context.ts';
import { fail } from '../errors.ts';
import { isValidChannelName } from '../names.ts';
import { channelRecipients, isAdmin, removeMember, renameChannel } from '../channels.ts';
import { event, ok } from '../replies.ts';
import { sendTo } from '../emit.ts';
import { currentChannel, memberNamed, registered, reply } from './context.ts';

export const kick: CommandSpec = {
  usage: '/KICK <nick>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const channel = currentChannel(user);
    if (!isAdmin(channel, user)) fail('NOT_ADMIN', `only an admin of ${channel.name} can kick`);
    const target = memberNamed(state, channel, ctx.args[0]!);
    if (target === user) fail('NOT_ALLOWED', 'you cannot kick yourself: use /LEAVE');
    if (target === channel.owner) fail('NOT_ALLOWED', 'nobody can kick the owner');
    if (channel.admins.has(target) && channel.owner !== user) {
      fail('NOT_ALLOWED', 'only the owner can kick an admin');
    }
    // Every member before the kick, the target included, except the caller (§5.10).
    sendTo(out, channelRecipients(channel), event.kick(channel.name, target.nick, user.nick), user.conn);
    removeMember(state, channel, target); // never the owner, so no succession; the caller stays, so not empty
    reply(ctx, ok('KICK', `${channel.name} ${target.nick}`));
  }),
};

export const ren: CommandSpec = {
  usage: '/REN <channel>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const channel = currentChannel(user);
    if (!isAdmin(channel, user)) fail('NOT_ADMIN', `only an admin of ${channel.name} can rename it`);
    const name = ctx.args[0]!;
    if (!isValidChannelName(name)) fail('CHANNEL_INVALID', 'a channel name is 1 to 32 letters, digits, #, _, - or .');
    if (state.channels.has(name)) fail('CHANNEL_EXISTS', `${name} already exists`); // its own name too (§8.11)
    const old = channel.name;
    renameChannel(state, channel, name);
    sendTo(out, channelRecipients(channel), event.rename(old, name), user.conn);
    reply(ctx, ok('REN', `${old} ${name}`));
  }),
};

export const grant: CommandSpec = {
  usage: '/GRANT <nick>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const channel = currentChannel(user);
    if (channel.owner !== user) fail('NOT_ADMIN', `only the owner of ${channel.name} can grant`);
    const target = memberNamed(state, channel, ctx.args[0]!);
    if (isAdmin(channel, target)) fail('NOT_ALLOWED', `${target.nick} is already an admin`);
    channel.admins.add(target);
    sendTo(out, channelRecipients(channel), event.grant(channel.name, target.nick, user.nick), user.conn);
    reply(ctx, ok('GRANT', `${channel.name} ${target.nick}`));
  }),
};

export const revoke: CommandSpec = {
  usage: '/REVOKE <nick>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run: registered((ctx) => {
    const { state, user, out } = ctx;
    const channel = currentChannel(user);
    if (channel.owner !== user) fail('NOT_ADMIN', `only the owner of ${channel.name} can revoke`);
    const target = memberNamed(state, channel, ctx.args[0]!);
    if (!channel.admins.has(target)) fail('NOT_ALLOWED', `${target.nick} is not a granted admin`);
    channel.admins.delete(target);
    sendTo(out, channelRecipients(channel), event.revoke(channel.name, target.nick, user.nick), user.conn);
    reply(ctx, ok('REVOKE', `${channel.name} ${target.nick}`));
  }),
};
