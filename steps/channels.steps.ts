/**
 * Channels as their members see them: joining, leaving, the current channel, WHO and LIST
 * (PROTOCOL.md §4, §5.3, §5.4, §5.5, §5.8, §5.12).
 */
import { NotGradableError } from '../harness/session/session-api.ts';
import assert from 'node:assert/strict';
import type { DataTable } from '@cucumber/cucumber';
import type { ChatWorld } from './support/world.ts';
import { Given, Then, When } from '@cucumber/cucumber';
import { ensureRegistered, expectErrorCode, expectFieldIfPresent, expectRefusal, expectSuccess, field, parseMembers, requireReadable } from './support/steps-helpers.ts';
import { noteVariant } from './support/variants.ts';

async function join(world: ChatWorld, user: string, realChannel: string): Promise<void> {
  await ensureRegistered(world, user);
  world.remember(user, await world.session.run(user, 'join', { channel: realChannel }));
}

async function joinOk(world: ChatWorld, user: string, logical: string): Promise<void> {
  const channel = world.channel(logical);
  await join(world, user, channel);
  const reply = world.lastReply(user);
  expectSuccess(world, user, reply, `joining ${logical}`);
  expectFieldIfPresent(world, reply, 'channel', channel);
}

/** The channel's real name with its leading "#" removed ("room" and "#room" are two channels). */
function withoutHash(world: ChatWorld, logical: string): string {
  const real = world.channel(logical);
  // A profile whose names rules leave out "#" (a server that refuses it) cannot say this scenario's name.
  if (!real.startsWith('#')) throw new NotGradableError(`the profile's names rules map ${logical} to ${real}, which has no # to remove`);
  return real.slice(1);
}

// --- join ----------------------------------------------------------------------------------------

Given('{user} has created {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await joinOk(this, user, channel);
  expectFieldIfPresent(this, this.lastReply(user), 'role', 'owner');
});

Given('{user} has joined {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await joinOk(this, user, channel);
});

Given('{users} have joined {channel}', async function (this: ChatWorld, users: string[], channel: string) {
  for (const user of users) await joinOk(this, user, channel);
});

When('{user} joins {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await joinOk(this, user, channel);
});

When('{user} tries to join {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await join(this, user, this.channel(channel));
});

When('{user} tries to join the channel named {string}', async function (this: ChatWorld, user: string, name: string) {
  await join(this, user, name);
});

When('{user} joins {channel} spelled in upper case', async function (this: ChatWorld, user: string, channel: string) {
  await join(this, user, this.channel(channel).toUpperCase());
  expectSuccess(this, user, this.lastReply(user), `joining ${channel} in upper case`);
});

When('{user} joins {channel} without its #', async function (this: ChatWorld, user: string, channel: string) {
  await join(this, user, withoutHash(this, channel));
  expectSuccess(this, user, this.lastReply(user), `joining ${channel} without #`);
});

When('{user} joins a channel with a name of {int} characters', async function (this: ChatWorld, user: string, length: number) {
  await join(this, user, nameOfLength(this, length));
  expectSuccess(this, user, this.lastReply(user), `joining a ${length}-character channel name`);
});

When('{user} tries to join a channel with a name of {int} characters', async function (this: ChatWorld, user: string, length: number) {
  await join(this, user, nameOfLength(this, length));
});

/** A channel name of exactly `length` characters, unique to the scenario (built from #room's). */
function nameOfLength(world: ChatWorld, length: number): string {
  const base = world.channel('#long');
  return base.length >= length ? base.slice(0, length) : base + 'x'.repeat(length - base.length);
}

Then('{user} is told she/he/they created {channel} and owns it', function (this: ChatWorld, user: string, channel: string) {
  checkJoinReply(this, user, channel, 'owner');
});

Then('{user} is told she/he/they joined {channel} as a member', function (this: ChatWorld, user: string, channel: string) {
  checkJoinReply(this, user, channel, 'member');
});

Then('{user} is told she/he/they created a new channel', function (this: ChatWorld, user: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the join');
  assert.equal(field(reply, 'role'), 'owner', `${user} should own the channel the join created: ${reply.raw}`);
});

function checkJoinReply(world: ChatWorld, user: string, channel: string, role: 'owner' | 'member'): void {
  const reply = world.lastReply(user);
  expectSuccess(world, user, reply, `joining ${channel}`);
  assert.equal(field(reply, 'channel'), world.channel(channel), `the join reply names the wrong channel: ${reply.raw}`);
  assert.equal(field(reply, 'role'), role, `${user} should have joined ${channel} as ${role}: ${reply.raw}`);
}

Then('{user} sees {user} join {channel}', async function (this: ChatWorld, user: string, who: string, channel: string) {
  await this.session.expectEvent(user, 'joined', { channel: this.channel(channel), nick: this.nick(who) });
});

// --- leave ---------------------------------------------------------------------------------------

When('{user} leaves {channel}', async function (this: ChatWorld, user: string, channel: string) {
  const reply = this.remember(user, await this.session.run(user, 'leave'));
  expectSuccess(this, user, reply, `leaving ${channel}`);
  expectFieldIfPresent(this, reply, 'channel', this.channel(channel));
});

Given('{user} has left {channel}', async function (this: ChatWorld, user: string, channel: string) {
  const reply = this.remember(user, await this.session.run(user, 'leave'));
  expectSuccess(this, user, reply, `leaving ${channel}`);
  expectFieldIfPresent(this, reply, 'channel', this.channel(channel));
});

When('{user} tries to leave', async function (this: ChatWorld, user: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'leave'));
});

Then('{user} is told she/he/they left {channel}', function (this: ChatWorld, user: string, channel: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'leaving');
  assert.equal(field(reply, 'channel'), this.channel(channel), `the leave reply names the wrong channel: ${reply.raw}`);
});

Then('{user} sees {user} leave {channel}', async function (this: ChatWorld, user: string, who: string, channel: string) {
  await this.session.expectEvent(user, 'left', { channel: this.channel(channel), nick: this.nick(who) });
});

// --- the current channel -------------------------------------------------------------------------

/** The lobby's channel under the course variant lobby=default-channel, else undefined. */
function lobbyChannel(world: ChatWorld): string | undefined {
  return world.session.variants().lobby === 'default-channel' ? world.session.defaultChannel() : undefined;
}

/** Observed with WHO, which every version has: the lobby answers NO_CHANNEL (or, under the lobby variant, lists the lobby channel). */
Then('{user} is in the lobby', async function (this: ChatWorld, user: string) {
  const lobby = lobbyChannel(this);
  const { reply, members } = await this.session.who(user, { inLobbyChannel: lobby !== undefined });
  if (lobby !== undefined) {
    // Course variant lobby=default-channel: the lobby is a channel; the user must be listed in it.
    expectSuccess(this, user, reply, `listing the members of the lobby channel ${lobby}`);
    expectFieldIfPresent(this, reply, 'channel', lobby);
    // The nick the user holds now (a scenario may have registered them under another one).
    const nick = this.session.nick(user);
    assert.ok(members.some((member) => member.nick === nick), `${user} (${nick}) is not listed among the members of the lobby channel ${lobby}: ${reply.raw}`);
    await noteVariant(this, 'lobby', `${user} was checked to be in the lobby channel ${lobby}`);
    return;
  }
  // An observation, not a scenario about codes: a refused WHO already says "no current channel", so
  // the code is checked only where the profile reads one (a code-less profile still grades this).
  await expectRefusal(this, user, reply);
  if (reply.code !== undefined) expectErrorCode(this, user, reply, 'NO_CHANNEL');
});

Then('{user} is in {channel}', async function (this: ChatWorld, user: string, channel: string) {
  const { reply, members } = await this.session.who(user);
  expectSuccess(this, user, reply, 'listing the members of the current channel');
  assert.equal(field(reply, 'channel'), this.channel(channel), `${user}'s current channel is not ${channel}: ${reply.raw}`);
  assert.ok(members.some((member) => member.nick === this.nick(user)), `${user} is not listed among the members: ${reply.raw}`);
});

When('{user} switches to {channel}', async function (this: ChatWorld, user: string, channel: string) {
  const reply = this.remember(user, await this.session.run(user, 'current', { channel: this.channel(channel) }));
  expectSuccess(this, user, reply, `switching to ${channel}`);
});

When('{user} tries to switch to {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'current', { channel: this.channel(channel) }));
});

When('{user} tries to switch to the channel named {string}', async function (this: ChatWorld, user: string, name: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'current', { channel: name }));
});

When('{user} asks for her/his/their current channel', async function (this: ChatWorld, user: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'current'));
});

Then('{user} is told her/his/their current channel is {channel}', function (this: ChatWorld, user: string, channel: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'asking for the current channel');
  assert.equal(field(reply, 'channel'), this.channel(channel), `${user}'s current channel is not ${channel}: ${reply.raw}`);
});

// --- WHO -----------------------------------------------------------------------------------------

Then('{user} sees the members of {channel} as {string}', async function (this: ChatWorld, user: string, channel: string, expected: string) {
  const { reply, members } = await this.session.who(user);
  this.remember(user, reply);
  expectSuccess(this, user, reply, 'listing the members');
  assert.equal(field(reply, 'channel'), this.channel(channel), `${user}'s member list is not for ${channel}: ${reply.raw}`);
  const wanted = parseMembers(this, expected);
  const nicks = (list: Array<{ nick: string }>) => list.map((m) => this.session.logical(m.nick)).join(' ');
  // The nicks first: a profile that reads no roles still reads them, so a wrong list fails whatever it reads.
  assert.equal(nicks(members), nicks(wanted), `members of ${channel} as seen by ${user} (${reply.raw})`);
  // Then the roles, only those the profile can read (issue #14): without an admin group an admin reads as a
  // member, so "member" is checked as "not the owner"; a role it cannot read at all is not gradable.
  for (const role of new Set(wanted.map((m) => m.role))) requireReadable(this, { kind: 'role', role });
  const adminReadable = this.session.unreadable({ kind: 'role', role: 'admin' }) === undefined;
  const shown = (list: Array<{ nick: string; role: string }>) =>
    list.map((m) => `${m.role === 'owner' ? '~' : m.role === 'admin' && adminReadable ? '@' : ''}${this.session.logical(m.nick)}`).join(' ');
  assert.equal(shown(members), shown(wanted), `members of ${channel} as seen by ${user} (${reply.raw})`);
});

When('{user} tries to list the members', async function (this: ChatWorld, user: string) {
  await ensureRegistered(this, user);
  const { reply } = await this.session.who(user);
  this.remember(user, reply);
});

// --- LIST ----------------------------------------------------------------------------------------

async function listChannels(world: ChatWorld, user: string): Promise<string[]> {
  await ensureRegistered(world, user);
  const { reply, channels } = await world.session.list(user);
  world.remember(user, reply);
  expectSuccess(world, user, reply, 'listing the channels');
  return channels;
}

Then('the channel list seen by {user} includes {channel}', async function (this: ChatWorld, user: string, channel: string) {
  const channels = await listChannels(this, user);
  assert.ok(channels.includes(this.channel(channel)), `${channel} is missing from the list ${JSON.stringify(channels)}`);
});

Then('the channel list seen by {user} does not include {channel}', async function (this: ChatWorld, user: string, channel: string) {
  const channels = await listChannels(this, user);
  assert.ok(!channels.includes(this.channel(channel)), `${channel} should not be listed: ${JSON.stringify(channels)}`);
});

Then('the channel list seen by {user} is empty', async function (this: ChatWorld, user: string) {
  const channels = await listChannels(this, user);
  assert.deepEqual(channels, [], 'an empty server should list no channel');
});

/** Sorted by code point (byte order for these ASCII names), and our channels in that order. */
Then('the channel list seen by {user} is sorted and includes, in this order:', async function (this: ChatWorld, user: string, table: DataTable) {
  const channels = await listChannels(this, user);
  const sorted = [...channels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(channels, sorted, 'the channel list is not sorted by code point');
  const expected = table.raw().map((row) => this.channel(row[0]!));
  const ours = channels.filter((name) => expected.includes(name));
  assert.deepEqual(ours, expected, 'the scenario\'s channels are missing or out of order');
});

When('{user} tries to list the channels', async function (this: ChatWorld, user: string) {
  const { reply } = await this.session.list(user);
  this.remember(user, reply);
});
