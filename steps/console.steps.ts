/**
 * The server console (PROTOCOL.md §5.18, bonus): operator commands typed by whoever runs the server,
 * seen by users as the console's actor (`*`). Lines are rendered through the profile's console section
 * (steps/support/console.ts), never written here.
 */
import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import type { ChatWorld } from './support/world.ts';
import { bannedAddresses, consoleDialect, expectAcceptedIfReadable, lastAnswer, typeCommand, typeLiteral } from './support/console.ts';
import { liftBan, placedBan } from './support/bans.ts';
import { describe, expectErrorCode } from './support/steps-helpers.ts';

When('the server console broadcasts {string}', async function (this: ChatWorld, text: string) {
  await typeCommand(this, 'global', { text });
  expectAcceptedIfReadable(this, 'the broadcast');
});

When('the server console kills {user}', async function (this: ChatWorld, user: string) {
  await typeCommand(this, 'kill', { nick: this.nick(user) });
  expectAcceptedIfReadable(this, `killing ${user}`);
  this.users.set(user, 'gone');
});

When('the server console tries to kill {user}', async function (this: ChatWorld, user: string) {
  await typeCommand(this, 'kill', { nick: this.nick(user) });
});

When('the server console bans {user}', async function (this: ChatWorld, user: string) {
  await typeCommand(this, 'ban', { nick: this.nick(user) });
  this.bans.push({ from: 'console', addresses: bannedAddresses(this) }); // first: lifted after the scenario even if the check below fails
  expectAcceptedIfReadable(this, `banning ${user}`);
  this.users.set(user, 'gone');
});

When('the server console lifts the ban', async function (this: ChatWorld) {
  await liftBan(this, placedBan(this, 'console'));
});

When('the server console reads the line {string}', async function (this: ChatWorld, line: string) {
  await typeLiteral(this, line);
});

Then('{user} receives the broadcast {string} from the server', async function (this: ChatWorld, user: string, text: string) {
  await this.session.expectEvent(user, 'global', { from: consoleDialect(this).actor, text });
});

Then('{user} is killed by the server', async function (this: ChatWorld, user: string) {
  await this.session.expectEvent(user, 'killed', { by: consoleDialect(this).actor });
  await this.session.expectClosed(user);
});

Then('the console answers with success', function (this: ChatWorld) {
  const answer = lastAnswer(this);
  assert.ok(answer?.ok, `the console should have answered with success, but it answered ${answer ? describe(answer) : 'nothing'}`);
});

Then('the console answers with the error {code}', function (this: ChatWorld, code: string) {
  const answer = lastAnswer(this);
  assert.ok(answer && !answer.ok, `the console should have answered with the error ${code}, but it answered ${answer ? describe(answer) : 'nothing'}`);
  expectErrorCode(this, 'the console', answer, code);
});

Then('the console does not answer', function (this: ChatWorld) {
  const answer = lastAnswer(this);
  assert.equal(answer, undefined, `the console should not have answered, but ${answer ? describe(answer) : ''}`);
});
