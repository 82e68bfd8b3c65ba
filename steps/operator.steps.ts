/**
 * Operator commands (PROTOCOL.md §5.18, bonus). Scenarios tagged @operator get the target's
 * password from the runner (parameters.operPassword).
 */
import assert from 'node:assert/strict';
import type { ChatWorld } from './support/world.ts';
import { Given, Then, When } from '@cucumber/cucumber';
import { ensureRegistered, expectErrorCode, expectSuccess, field } from './support/steps-helpers.ts';
import { markServerWide } from './support/target-control.ts';
import { liftBan, placedBan } from './support/bans.ts';

function password(world: ChatWorld): string {
  const value = world.parameters.operPassword;
  assert.ok(value, 'this scenario needs the operator password (tag it @operator)');
  return value;
}

async function oper(world: ChatWorld, user: string, secret: string): Promise<void> {
  await ensureRegistered(world, user);
  world.remember(user, await world.session.run(user, 'oper', { password: secret }));
}

Given('{user} is an operator', async function (this: ChatWorld, user: string) {
  await oper(this, user, password(this));
  expectSuccess(this, user, this.lastReply(user), 'authenticating as operator');
});

When('{user} authenticates as operator', async function (this: ChatWorld, user: string) {
  await oper(this, user, password(this));
});

When('{user} tries to authenticate as operator with a wrong password', async function (this: ChatWorld, user: string) {
  // Wrong whatever the password is; also refused when the server has none (BAD_PASSWORD either way).
  await oper(this, user, `${this.parameters.operPassword ?? 'no-password'}-wrong`);
});

When('{user} broadcasts {string}', async function (this: ChatWorld, user: string, text: string) {
  await ensureRegistered(this, user);
  const reply = this.remember(user, await this.session.run(user, 'global', { text }));
  expectSuccess(this, user, reply, 'the broadcast');
});

When('{user} tries to broadcast {string}', async function (this: ChatWorld, user: string, text: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'global', { text }));
});

Then('{user} receives the broadcast {string} from {user}', async function (this: ChatWorld, user: string, text: string, from: string) {
  await this.session.expectEvent(user, 'global', { from: this.nick(from), text });
});

async function operate(world: ChatWorld, user: string, command: 'kill' | 'ban', target: string): Promise<void> {
  await ensureRegistered(world, user);
  world.remember(user, await world.session.run(user, command, { nick: world.nick(target) }));
}

When('{user} kills {user}', async function (this: ChatWorld, user: string, target: string) {
  await operate(this, user, 'kill', target);
  expectSuccess(this, user, this.lastReply(user), `killing ${target}`);
  this.users.set(target, 'gone');
});

When('{user} tries to kill {user}', async function (this: ChatWorld, user: string, target: string) {
  await operate(this, user, 'kill', target);
});

When('{user} bans {user}', async function (this: ChatWorld, user: string, target: string) {
  markServerWide(this);
  await operate(this, user, 'ban', target);
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, `banning ${target}`);
  this.users.set(target, 'gone');
  this.bans.push({ from: 'user', user, address: field(reply, 'address') });
});

When('{user} tries to ban {user}', async function (this: ChatWorld, user: string, target: string) {
  markServerWide(this);
  await operate(this, user, 'ban', target);
});

When('{user} lifts the ban', async function (this: ChatWorld, user: string) {
  await liftBan(this, placedBan(this, 'user'), user);
});

When('{user} tries to unban the address {string}', async function (this: ChatWorld, user: string, address: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'unban', { address }));
});

Then('{user} is killed by {user}', async function (this: ChatWorld, user: string, by: string) {
  await this.session.expectEvent(user, 'killed', { by: this.nick(by) });
  await this.session.expectClosed(user);
});

/** A new connection from a banned address gets one error line, then the server closes it. */
When('{user} tries to connect', async function (this: ChatWorld, user: string) {
  try {
    await this.session.connect(user);
  } catch {
    // A refused connection may have no greeting; the Then step reads the refusal itself.
  }
});

Then('{user} is turned away with {code}', async function (this: ChatWorld, user: string, code: string) {
  const reply = await this.session.nextReply(user);
  assert.ok(!reply.ok, `${user} expected to be turned away with ${code}, but the server answered ${JSON.stringify(reply.raw)}`);
  // The close is checked first: a server that keeps the connection fails even where codes are not gradable.
  await this.session.expectClosed(user);
  expectErrorCode(this, user, reply, code);
});
