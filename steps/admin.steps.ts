/**
 * What admins and owners do: kick, rename, grant and revoke (PROTOCOL.md §4.4, §5.10, §5.11, §5.15).
 */
import assert from 'node:assert/strict';
import type { ChatWorld } from './support/world.ts';
import { Given, Then, When } from '@cucumber/cucumber';
import { ensureRegistered, expectFieldIfPresent, expectSuccess, field } from './support/steps-helpers.ts';

async function act(world: ChatWorld, user: string, command: 'kick' | 'grant' | 'revoke', target: string): Promise<void> {
  await ensureRegistered(world, user);
  world.remember(user, await world.session.run(user, command, { nick: world.nick(target) }));
}

async function actOk(world: ChatWorld, user: string, command: 'kick' | 'grant' | 'revoke', target: string): Promise<void> {
  await act(world, user, command, target);
  const reply = world.lastReply(user);
  expectSuccess(world, user, reply, `${command} ${target}`);
  expectFieldIfPresent(world, reply, 'nick', world.nick(target));
}

// --- kick ----------------------------------------------------------------------------------------

When('{user} kicks {user}', async function (this: ChatWorld, user: string, target: string) {
  await actOk(this, user, 'kick', target);
});

Given('{user} has kicked {user}', async function (this: ChatWorld, user: string, target: string) {
  await actOk(this, user, 'kick', target);
});

When('{user} tries to kick {user}', async function (this: ChatWorld, user: string, target: string) {
  await act(this, user, 'kick', target);
});

Then('{user} is told {user} was kicked from {channel}', function (this: ChatWorld, user: string, target: string, channel: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the kick');
  assert.equal(field(reply, 'channel'), this.channel(channel), `the kick reply names the wrong channel: ${reply.raw}`);
  assert.equal(field(reply, 'nick'), this.nick(target), `the kick reply names the wrong nick: ${reply.raw}`);
});

Then('{user} sees {user} kicked from {channel} by {user}', async function (this: ChatWorld, user: string, target: string, channel: string, by: string) {
  await this.session.expectEvent(user, 'kicked', { channel: this.channel(channel), nick: this.nick(target), by: this.nick(by) });
});

/** The kicked member gets the event too (PROTOCOL.md §5.10, §8.10). */
Then('{user} learns she/he/they was/were kicked from {channel} by {user}', async function (this: ChatWorld, user: string, channel: string, by: string) {
  await this.session.expectEvent(user, 'kicked', { channel: this.channel(channel), nick: this.nick(user), by: this.nick(by) });
});

// --- grant and revoke ----------------------------------------------------------------------------

When('{user} grants admin to {user}', async function (this: ChatWorld, user: string, target: string) {
  await actOk(this, user, 'grant', target);
});

Given('{user} has granted admin to {user}', async function (this: ChatWorld, user: string, target: string) {
  await actOk(this, user, 'grant', target);
});

When('{user} tries to grant admin to {user}', async function (this: ChatWorld, user: string, target: string) {
  await act(this, user, 'grant', target);
});

When('{user} revokes admin from {user}', async function (this: ChatWorld, user: string, target: string) {
  await actOk(this, user, 'revoke', target);
});

When('{user} tries to revoke admin from {user}', async function (this: ChatWorld, user: string, target: string) {
  await act(this, user, 'revoke', target);
});

Then('{user} is told {user} is now admin of {channel}', function (this: ChatWorld, user: string, target: string, channel: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the grant');
  assert.equal(field(reply, 'channel'), this.channel(channel), `the grant reply names the wrong channel: ${reply.raw}`);
  assert.equal(field(reply, 'nick'), this.nick(target), `the grant reply names the wrong nick: ${reply.raw}`);
});

Then('{user} sees {user} made admin of {channel} by {user}', async function (this: ChatWorld, user: string, target: string, channel: string, by: string) {
  await this.session.expectEvent(user, 'granted', { channel: this.channel(channel), nick: this.nick(target), by: this.nick(by) });
});

Then('{user} sees {user} lose admin of {channel} by {user}', async function (this: ChatWorld, user: string, target: string, channel: string, by: string) {
  await this.session.expectEvent(user, 'revoked', { channel: this.channel(channel), nick: this.nick(target), by: this.nick(by) });
});

// --- rename --------------------------------------------------------------------------------------

async function ren(world: ChatWorld, user: string, realName: string): Promise<void> {
  await ensureRegistered(world, user);
  world.remember(user, await world.session.run(user, 'ren', { channel: realName }));
}

When('{user} renames the channel to {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await ren(this, user, this.channel(channel));
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, `renaming to ${channel}`);
  expectFieldIfPresent(this, reply, 'new', this.channel(channel));
});

Given('{user} has renamed the channel to {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await ren(this, user, this.channel(channel));
  expectSuccess(this, user, this.lastReply(user), `renaming to ${channel}`);
});

When('{user} tries to rename the channel to {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await ren(this, user, this.channel(channel));
});

When('{user} tries to rename the channel to the name {string}', async function (this: ChatWorld, user: string, name: string) {
  await ren(this, user, name);
});

Then('{user} is told the channel was renamed from {channel} to {channel}', function (this: ChatWorld, user: string, old: string, renamed: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the rename');
  assert.equal(field(reply, 'old'), this.channel(old), `the rename reply names the wrong old name: ${reply.raw}`);
  assert.equal(field(reply, 'new'), this.channel(renamed), `the rename reply names the wrong new name: ${reply.raw}`);
});

Then('{user} sees {channel} renamed to {channel}', async function (this: ChatWorld, user: string, old: string, renamed: string) {
  await this.session.expectEvent(user, 'renamed', { old: this.channel(old), new: this.channel(renamed) });
});

