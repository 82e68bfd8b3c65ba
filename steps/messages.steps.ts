/**
 * Channel messages, private messages and channel history (PROTOCOL.md §5.6, §5.7, §5.17).
 */
import assert from 'node:assert/strict';
import type { DataTable } from '@cucumber/cucumber';
import type { ChatWorld } from './support/world.ts';
import { Given, Then, When } from '@cucumber/cucumber';
import { decodeEscapes, ensureRegistered, expectSuccess, field, requireReadable } from './support/steps-helpers.ts';
import { NotGradableError } from '../harness/session/session-api.ts';

async function say(world: ChatWorld, user: string, text: string): Promise<void> {
  await ensureRegistered(world, user);
  world.remember(user, await world.session.run(user, 'say', { text }));
}

async function sayOk(world: ChatWorld, user: string, text: string): Promise<void> {
  await say(world, user, text);
  expectSuccess(world, user, world.lastReply(user), `saying ${JSON.stringify(text)}`);
}

// --- channel messages ----------------------------------------------------------------------------

When('{user} says {string}', async function (this: ChatWorld, user: string, text: string) {
  await sayOk(this, user, text);
});

Given('{user} has said {string}', async function (this: ChatWorld, user: string, text: string) {
  await sayOk(this, user, text);
});

When('{user} tries to say {string}', async function (this: ChatWorld, user: string, text: string) {
  await say(this, user, text);
});

/** "message 1" ... "message N", in order (silent dialects: sent in a row, then one quiet wait). */
Given('{user} has said {int} numbered messages', async function (this: ChatWorld, user: string, count: number) {
  await ensureRegistered(this, user);
  const texts = Array.from({ length: count }, (_, i) => ({ text: `message ${i + 1}` }));
  const reply = this.remember(user, await this.session.runAll(user, 'say', texts));
  expectSuccess(this, user, reply, `saying ${count} numbered messages`);
});

Then('{user} is told the message went to {channel}', function (this: ChatWorld, user: string, channel: string) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the message');
  assert.equal(field(reply, 'channel'), this.channel(channel), `the message was acknowledged for another channel: ${reply.raw}`);
});

/** The expected text may hold the escapes of raw lines (\\t for a tab), see decodeEscapes. */
Then('{user} receives {user}\'s message {string} in {channel}', async function (this: ChatWorld, user: string, from: string, text: string, channel: string) {
  const expected = new TextDecoder().decode(decodeEscapes(text));
  await this.session.expectEvent(user, 'message', { channel: this.channel(channel), from: this.nick(from), text: expected });
});

Then('{user} receives {user}\'s message of {int} characters in {channel}', async function (this: ChatWorld, user: string, from: string, length: number, channel: string) {
  await this.session.expectEvent(user, 'message', { channel: this.channel(channel), from: this.nick(from), text: 'x'.repeat(length) });
});

/** Membership observed the way a student sees it: the sender's next message arrives (or not). */
Then('{user} still receives {user}\'s next message in {channel}', async function (this: ChatWorld, user: string, from: string, channel: string) {
  const text = this.freshText('still there?');
  await sayOk(this, from, text);
  await this.session.expectEvent(user, 'message', { channel: this.channel(channel), from: this.nick(from), text });
});

Then('{user} does not receive {user}\'s next message', async function (this: ChatWorld, user: string, from: string) {
  const text = this.freshText('anyone there?');
  await sayOk(this, from, text);
  await this.session.expectNoEvent(user, 'message', { from: this.nick(from), text });
});

// --- private messages ----------------------------------------------------------------------------

async function msg(world: ChatWorld, user: string, targets: string[], text: string): Promise<void> {
  await ensureRegistered(world, user);
  const nicks = targets.map((target) => world.nick(target));
  world.remember(user, await world.session.msg(user, nicks, text));
}

When('{user} sends {users} the private message {string}', async function (this: ChatWorld, user: string, targets: string[], text: string) {
  await msg(this, user, targets, text);
  expectSuccess(this, user, this.lastReply(user), 'the private message');
});

When('{user} tries to send {users} the private message {string}', async function (this: ChatWorld, user: string, targets: string[], text: string) {
  await msg(this, user, targets, text);
});

/** The acknowledgement names the targets as given, duplicates removed (§5.7). Nicks never hold a separator. */
Then('{user} is told the private message went to {users}', function (this: ChatWorld, user: string, targets: string[]) {
  const reply = this.lastReply(user);
  expectSuccess(this, user, reply, 'the private message');
  const named = field(reply, 'nicks').split(/[^A-Za-z0-9_-]+/).filter((nick) => nick.length > 0);
  assert.deepEqual(named, targets.map((target) => this.nick(target)), `the acknowledgement names the wrong targets: ${reply.raw}`);
});

Then('{user} receives the private message {string} from {user}', async function (this: ChatWorld, user: string, text: string, from: string) {
  await this.session.expectEvent(user, 'private', { from: this.nick(from), text });
});

Then('{user} receives the private message {string} from {user} only once', async function (this: ChatWorld, user: string, text: string, from: string) {
  await this.session.expectEvent(user, 'private', { from: this.nick(from), text });
  await this.session.expectNoEvent(user, 'private', { from: this.nick(from), text });
});

// --- history -------------------------------------------------------------------------------------

When('{user} asks for the history', async function (this: ChatWorld, user: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'history'));
});

When('{user} asks for the last {int} message(s) of history', async function (this: ChatWorld, user: string, count: number) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'history', { count: String(count) }));
});

When('{user} asks for the history with the count {string}', async function (this: ChatWorld, user: string, count: string) {
  await ensureRegistered(this, user);
  this.remember(user, await this.session.run(user, 'history', { count }));
});

/** The data lines as "nick: text" in the order received, with logical nicks. */
function historyLines(world: ChatWorld, user: string): string[] {
  const reply = world.lastReply(user);
  expectSuccess(world, user, reply, 'the history');
  // A profile that reads no history lines would see every history as empty: not gradable, not passed.
  requireReadable(world, { kind: 'dataField', command: 'history', fields: ['nick', 'from'] });
  requireReadable(world, { kind: 'dataField', command: 'history', fields: ['text'] });
  return reply.data.map((line) => {
    const nick = line['nick'] ?? line['from'];
    if (nick === undefined || line['text'] === undefined) {
      throw new NotGradableError(`the profile parsed a history line without nick or text (one of its commands.history.data patterns lacks them): ${JSON.stringify(line)}`);
    }
    return `${world.session.logical(nick)}: ${line['text']}`;
  });
}

Then('{user} gets the history of {channel}:', function (this: ChatWorld, user: string, channel: string, table: DataTable) {
  const reply = this.lastReply(user);
  const expected = table.raw().map(([nick, text]) => `${nick}: ${text}`);
  assert.deepEqual(historyLines(this, user), expected, `history of ${channel} (${reply.raw})`);
  assert.equal(field(reply, 'channel'), this.channel(channel), `the history is for another channel: ${reply.raw}`);
  assert.equal(field(reply, 'count'), String(expected.length), `the history count does not match its lines: ${reply.raw}`);
});

Then('{user} gets an empty history of {channel}', function (this: ChatWorld, user: string, channel: string) {
  const reply = this.lastReply(user);
  assert.deepEqual(historyLines(this, user), [], `history of ${channel} should be empty (${reply.raw})`);
  assert.equal(field(reply, 'count'), '0', `the history count should be 0: ${reply.raw}`);
});

/** For long histories: "numbered messages 6 to 105" said by one user. */
Then('{user} gets {user}\'s numbered messages {int} to {int}', function (this: ChatWorld, user: string, from: string, first: number, last: number) {
  const expected: string[] = [];
  for (let n = first; n <= last; n += 1) expected.push(`${from}: message ${n}`);
  assert.deepEqual(historyLines(this, user), expected, 'the history does not hold exactly those messages, oldest first');
  assert.equal(field(this.lastReply(user), 'count'), String(expected.length), 'the history count does not match its lines');
});
