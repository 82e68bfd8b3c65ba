/**
 * Connecting, registering, leaving the server, and the commands that work before registration
 * (PROTOCOL.md §5.1, §5.2, §5.9, §5.13, §1.7), and changing nick afterwards (§5.14).
 */
import assert from 'node:assert/strict';
import type { ChatWorld } from './support/world.ts';
import { Given, Then, When } from '@cucumber/cucumber';
import { ensureRegistered, expectFieldIfPresent, expectSuccess, field, requireReadable } from './support/steps-helpers.ts';
import type { CommandName } from '../harness/session/session-api.ts';
import { escapeRegExp } from '../harness/dialect/template.ts';
import { noteVariant } from './support/variants.ts';

/** A valid nick of exactly `length` characters, derived from the user's unique real nick. */
function nickOfLength(world: ChatWorld, user: string, length: number): string {
  const base = world.nick(user);
  return base.length >= length ? base.slice(0, length) : base + 'x'.repeat(length - base.length);
}

async function register(world: ChatWorld, user: string, realNick?: string): Promise<void> {
  world.nick(user); // pin the user's own nick before the session rebinds it to realNick
  const reply = world.remember(user, await world.session.register(user, realNick));
  if (reply.ok) world.users.set(user, 'registered');
  else if (!world.users.has(user)) world.users.set(user, 'connected');
}

async function registerOk(world: ChatWorld, user: string, realNick?: string): Promise<void> {
  await register(world, user, realNick);
  expectSuccess(world, user, world.lastReply(user), 'registration');
}

Given('{user} has connected', async function (this: ChatWorld, user: string) {
  await this.session.connect(user);
  this.users.set(user, 'connected');
});

Given('{user} has registered', async function (this: ChatWorld, user: string) {
  await ensureRegistered(this, user);
});

Given('{users} have registered', async function (this: ChatWorld, users: string[]) {
  for (const user of users) await ensureRegistered(this, user);
});

When('{user} registers', async function (this: ChatWorld, user: string) {
  await registerOk(this, user);
});

When('{user} tries to register as {string}', async function (this: ChatWorld, user: string, nick: string) {
  await register(this, user, nick);
});

When('{user} tries to register with {user}\'s nick', async function (this: ChatWorld, user: string, other: string) {
  await register(this, user, this.nick(other));
});

When('{user} registers with {user}\'s nick', async function (this: ChatWorld, user: string, other: string) {
  await registerOk(this, user, this.nick(other));
});

When('{user} registers with {user}\'s nick in upper case', async function (this: ChatWorld, user: string, other: string) {
  await registerOk(this, user, this.nick(other).toUpperCase());
});

When('{user} registers with a nick of {int} characters', async function (this: ChatWorld, user: string, length: number) {
  await registerOk(this, user, nickOfLength(this, user, length));
});

When('{user} tries to register with a nick of {int} characters', async function (this: ChatWorld, user: string, length: number) {
  await register(this, user, nickOfLength(this, user, length));
});

When('{user} registers with the nick command', async function (this: ChatWorld, user: string) {
  const reply = this.remember(user, await this.session.run(user, 'register', { nick: this.nick(user) }));
  expectSuccess(this, user, reply, 'registration with the nick command');
  this.users.set(user, 'registered');
});

Then('{user} is welcomed', function (this: ChatWorld, user: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'registration');
  expectFieldIfPresent(this, reply, 'nick', this.nick(user));
});

// --- leaving the server ------------------------------------------------------------------------

/** Goodbye; under the course variant bye=leave-first the Session leaves the user's channels first. */
async function sayGoodbye(world: ChatWorld, user: string): Promise<void> {
  const reply = world.remember(user, await world.session.run(user, 'bye'));
  const left = world.session.leftBeforeGoodbye(user);
  if (left.length > 0) await noteVariant(world, 'bye', `${user} left ${left.map((c) => world.session.logical(c)).join(', ')} before saying goodbye`);
  expectSuccess(world, user, reply, 'quitting');
}

When('{user} quits', async function (this: ChatWorld, user: string) {
  await sayGoodbye(this, user);
  this.users.set(user, 'gone');
});

Given('{user} has quit', async function (this: ChatWorld, user: string) {
  await ensureRegistered(this, user);
  await sayGoodbye(this, user);
  await this.session.expectClosed(user);
  this.users.set(user, 'gone');
});

When('{user}\'s connection drops', async function (this: ChatWorld, user: string) {
  await this.session.drop(user);
  this.users.set(user, 'gone');
});

Then('{user} is disconnected by the server', async function (this: ChatWorld, user: string) {
  await this.session.expectClosed(user);
});

/** Still connected AND still served: a ping gets its answer. */
Then('{user} is still connected', async function (this: ChatWorld, user: string) {
  assert.ok(this.session.isConnected(user), `${user}'s connection was closed by the server`);
  const reply = await this.session.run(user, 'ping', { token: this.freshText('alive').replace(' ', '-') });
  expectSuccess(this, user, reply, 'a ping');
});

When('{user} tries the unknown command {string}', async function (this: ChatWorld, user: string, word: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'unknown', { word }));
});

// --- ping and help -----------------------------------------------------------------------------

When('{user} pings the server with the token {string}', async function (this: ChatWorld, user: string, token: string) {
  this.remember(user, await this.session.run(user, 'ping', { token }));
});

When('{user} pings the server', async function (this: ChatWorld, user: string) {
  this.remember(user, await this.session.run(user, 'ping'));
});

Then('{user} gets the token {string} back', function (this: ChatWorld, user: string, token: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the ping');
  assert.equal(field(reply, 'token'), token, `${user}'s ping token was not echoed verbatim`);
});

Then('{user} gets an answer without a token', function (this: ChatWorld, user: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the ping');
  // "No token" is an observation only where the profile would read one.
  requireReadable(this, { kind: 'replyField', command: 'ping', field: 'token' });
  assert.ok(!reply.fields['token'], `a ping without token got a token back: ${reply.raw}`);
});

When('{user} asks for help', async function (this: ChatWorld, user: string) {
  this.remember(user, await this.session.run(user, 'help'));
});

Then('{user} gets at least {int} help line(s)', function (this: ChatWorld, user: string, count: number) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'help');
  requireReadable(this, { kind: 'data', command: 'help' });
  assert.ok(reply.data.length >= count, `${user} got ${reply.data.length} help lines, expected at least ${count}`);
});

/**
 * §5.2: one help line per command, wording free. What a student's help must do is name each command the
 * way a user types it: "/LIST", or LIST at the start of a help line, in any case, as a whole word ("/REN" is
 * not found inside "/RENAME", and the "<nick>" placeholder or "change your nick" does not name /NICK).
 */
Then("{user}'s help names each of the commands {commandList}", function (this: ChatWorld, user: string, commands: CommandName[]) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'help');
  requireReadable(this, { kind: 'data', command: 'help' });
  const text = reply.data.map((line) => Object.values(line).join(' ')).join('\n');
  const missing = commands
    .map((command) => this.session.commandWord(command).replace(/^\//, ''))
    .filter((word) => !new RegExp(`(?:^[^\\w<]*|/)${escapeRegExp(word)}(?!\\w)`, 'im').test(text));
  assert.deepEqual(missing, [], `${user}'s help lines never name ${missing.join(', ')}`);
});

// --- nick changes (v1) ---------------------------------------------------------------------------

async function changeNick(world: ChatWorld, user: string, realNick: string): Promise<void> {
  await ensureRegistered(world, user);
  world.nick(user); // pin the old nick: "alice" keeps naming it after the change
  world.remember(user, await world.session.run(user, 'nick', { nick: realNick }));
}

When('{user} changes nick to {user}', async function (this: ChatWorld, user: string, renamed: string) {
  await changeNick(this, user, this.nick(renamed));
  expectSuccess(this, user, this.lastReply(user), `changing nick to ${renamed}`);
  this.nickTakenBy.set(renamed, user);
});

When('{user} tries to change nick to {user}', async function (this: ChatWorld, user: string, renamed: string) {
  await changeNick(this, user, this.nick(renamed));
});

When('{user} tries to change nick to the nick {string}', async function (this: ChatWorld, user: string, nick: string) {
  await changeNick(this, user, nick);
});

Then('{user} is told the nick changed from {user} to {user}', function (this: ChatWorld, user: string, old: string, renamed: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the nick change');
  assert.equal(field(reply, 'old'), this.nick(old), `the nick reply names the wrong old nick: ${reply.raw}`);
  assert.equal(field(reply, 'new'), this.nick(renamed), `the nick reply names the wrong new nick: ${reply.raw}`);
});

Then('{user} sees {user} change nick to {user}', async function (this: ChatWorld, user: string, old: string, renamed: string) {
  await this.session.expectEvent(user, 'nick', { old: this.nick(old), new: this.nick(renamed) });
});

Then('{user} sees {user} change nick to {user} only once', async function (this: ChatWorld, user: string, old: string, renamed: string) {
  await this.session.expectEvent(user, 'nick', { old: this.nick(old), new: this.nick(renamed) });
  await this.session.expectNoEvent(user, 'nick', { old: this.nick(old), new: this.nick(renamed) });
});
