/**
 * Literal wire input for @wire scenarios: framing, bad input and exact canonical syntax
 * (PROTOCOL.md §1, §5). The line text comes from the FEATURE file, never from here; logical names
 * in braces ("{bob}", "{#room}") become the scenario's real names. Profiles without raw wire
 * access make Session.sendRaw throw NotGradableError, so these scenarios end PENDING there.
 */
import assert from 'node:assert/strict';
import type { ChatWorld } from './support/world.ts';
import { Then, When } from '@cucumber/cucumber';
import { collectReplies, decodeEscapes, expandNames, expectSuccess } from './support/steps-helpers.ts';

async function sendBytes(world: ChatWorld, user: string, bytes: Uint8Array): Promise<void> {
  await world.session.sendRaw(user, bytes);
  await collectReplies(world, user, bytes);
}

const line = (world: ChatWorld, text: string): Uint8Array => decodeEscapes(`${expandNames(world, text)}\\n`);

When('{user} sends the line {string}', async function (this: ChatWorld, user: string, text: string) {
  await sendBytes(this, user, line(this, text));
});

When('{user} sends the bytes {string}', async function (this: ChatWorld, user: string, text: string) {
  await sendBytes(this, user, decodeEscapes(expandNames(this, text)));
});

When('{user} sends the lines {string} and {string} in one segment', async function (this: ChatWorld, user: string, first: string, second: string) {
  const bytes = Buffer.concat([line(this, first), line(this, second)]);
  await sendBytes(this, user, bytes);
});

/** One logical line split over two TCP segments with a pause between them (§1.3). */
When('{user} sends {string} and, after a pause, {string}', async function (this: ChatWorld, user: string, first: string, second: string) {
  const parts = [decodeEscapes(expandNames(this, first)), decodeEscapes(expandNames(this, second))];
  await this.session.sendRaw(user, new Uint8Array(0), { parts, pauseMsBetweenParts: 100 });
  await collectReplies(this, user, Buffer.concat(parts));
});

/** A plain message line of exactly `length` bytes before its terminator. */
When('{user} sends a line of {int} bytes', async function (this: ChatWorld, user: string, length: number) {
  await sendBytes(this, user, new TextEncoder().encode(`${'x'.repeat(length)}\n`));
});

/** The same, cut in the middle into two TCP segments with a pause: still one line, refused once. */
When('{user} sends a line of {int} bytes in two segments', async function (this: ChatWorld, user: string, length: number) {
  const half = Math.floor(length / 2);
  const parts = [new TextEncoder().encode('x'.repeat(half)), new TextEncoder().encode(`${'x'.repeat(length - half)}\n`)];
  await this.session.sendRaw(user, new Uint8Array(0), { parts, pauseMsBetweenParts: 100 });
  await collectReplies(this, user, Buffer.concat(parts));
});

/**
 * The start of a line without its "\n" (§1.4): a server must refuse a line as soon as it is known to be
 * too long, so one reply is owed although no line is complete yet.
 */
When('{user} sends the first {int} bytes of a line, without its end', async function (this: ChatWorld, user: string, length: number) {
  await this.session.sendRaw(user, new TextEncoder().encode('x'.repeat(length)));
  const reply = await this.session.nextReply(user);
  this.rawReplies.set(user, [reply]);
  this.remember(user, reply);
});

/** The rest of that line and its "\n": the line was refused already, so nothing is owed for it. */
When('{user} ends that line with {int} more bytes', async function (this: ChatWorld, user: string, length: number) {
  await this.session.sendRaw(user, new TextEncoder().encode(`${'x'.repeat(length)}\n`));
  this.rawReplies.set(user, []);
});

/** §1.4: the limit does not count the terminator; the "\r" of a full-length line may arrive before its "\n". */
When('{user} sends a line of {int} bytes ending with CR LF, cut between the CR and the LF', async function (this: ChatWorld, user: string, length: number) {
  const parts = [new TextEncoder().encode(`${'x'.repeat(length)}\r`), new TextEncoder().encode('\n')];
  await this.session.sendRaw(user, new Uint8Array(0), { parts, pauseMsBetweenParts: 100 });
  await collectReplies(this, user, Buffer.concat(parts));
});

Then('{user} gets {int} successful reply/replies', function (this: ChatWorld, user: string, count: number) {
  const replies = this.rawReplies.get(user) ?? [];
  assert.equal(replies.length, count, `${user} should get ${count} replies`);
  for (const reply of replies) expectSuccess(this, user, reply, 'every line');
});

/**
 * Nothing was answered to the lines just sent (blank lines, §1.6): the very next reply is the
 * answer to a fresh ping, not an error left over from those lines.
 */
Then('{user} gets no reply to those lines', async function (this: ChatWorld, user: string) {
  const token = this.freshText('barrier').replace(' ', '-');
  const reply = await this.session.run(user, 'ping', { token });
  expectSuccess(this, user, reply, 'the ping after the ignored lines');
  const echoed = reply.fields['token'];
  if (echoed !== undefined) assert.equal(echoed, token, `the next reply was not the ping's: ${reply.raw}`);
});
