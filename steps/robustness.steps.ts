/**
 * Steps of features/robustness.feature and features/framing.feature that the shared vocabulary lacks:
 * garbage, a drop mid-line, a crowd, extreme segmentation. Thin, like every step: wire text comes from the FEATURE file (or is
 * random bytes that mean nothing), actions and observations go through the Session.
 */
import assert from 'node:assert/strict';
import type { ChatWorld } from './support/world.ts';
import { Then, When } from '@cucumber/cucumber';
import { collectReplies, decodeEscapes, describe, ensureRegistered, expandNames, expectSuccess } from './support/steps-helpers.ts';

/** Each step's own bound (the Session bounds every single expectation anyway). */
const CROWD_TIMEOUT_MS = 60_000;

/**
 * The same "random" bytes in every run (xorshift32 from a fixed seed): a failure must be
 * reproducible, and the bytes are fixed to contain no valid line, so the expected outcome is exact.
 */
function binaryGarbage(length: number, seed = 0x2545f491): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  if (length > 0) bytes[length - 1] = 0x0a; // the last line is complete too
  return bytes;
}

When('{user} sends {int} bytes of binary garbage', async function (this: ChatWorld, user: string, length: number) {
  const garbage = binaryGarbage(length);
  await this.session.sendRaw(user, garbage);
  await collectReplies(this, user, garbage);
});

Then('{user} is refused for every one of those lines', function (this: ChatWorld, user: string) {
  const replies = this.rawReplies.get(user) ?? [];
  assert.ok(replies.length > 0, `${user} got no reply at all`);
  for (const reply of replies) assert.ok(!reply.ok, `${user} expected every garbage line to be refused, but ${describe(reply)}`);
});

/** Half a line (no terminator), then the socket closes: §1.3 says it must never run, §1.7 that it is a drop. */
When('{user}\'s connection drops in the middle of the line {string}', async function (this: ChatWorld, user: string, text: string) {
  await ensureRegistered(this, user);
  // Barrier first: once the pong is in, everything the server sent before it has been read. A socket
  // closed with unread input sends a reset instead of a clean end (FIN), and the clean end is the
  // case this rule is about (a server that runs the unfinished line "at end of file").
  expectSuccess(this, user, await this.session.run(user, 'ping'), 'a ping before the drop');
  await this.session.sendRaw(user, decodeEscapes(expandNames(this, text)));
  await this.session.drop(user);
  this.users.set(user, 'gone');
});

When('{user} sends the line {string} one byte at a time', async function (this: ChatWorld, user: string, text: string) {
  const bytes = decodeEscapes(`${expandNames(this, text)}\\n`);
  const parts = Array.from(bytes, (byte) => Uint8Array.of(byte));
  await this.session.sendRaw(user, new Uint8Array(0), { parts, pauseMsBetweenParts: 5 });
  await collectReplies(this, user, bytes);
});

When('{user} sends the line {string} {int} times in one segment', async function (this: ChatWorld, user: string, text: string, times: number) {
  const line = decodeEscapes(`${expandNames(this, text)}\\n`);
  const bytes = Buffer.concat(Array.from({ length: times }, () => line));
  await this.session.sendRaw(user, bytes);
  await collectReplies(this, user, bytes);
});

Then('{user} receives {user}\'s message {string} {int} times in {channel}', async function (this: ChatWorld, user: string, from: string, text: string, times: number, channel: string) {
  const expected = { channel: this.channel(channel), from: this.nick(from), text: new TextDecoder().decode(decodeEscapes(text)) };
  for (let i = 0; i < times; i += 1) await this.session.expectEvent(user, 'message', expected);
});

/** The crowd: `count` extra users (not in the cast) register, then all join at once. */
When('{int} more users join {channel} at the same time', { timeout: CROWD_TIMEOUT_MS }, async function (this: ChatWorld, count: number, channel: string) {
  const crowd = Array.from({ length: count }, (_, i) => `guest${i + 1}`);
  await Promise.all(crowd.map((guest) => ensureRegistered(this, guest)));
  const replies = await Promise.all(crowd.map((guest) => this.session.run(guest, 'join', { channel: this.channel(channel) })));
  replies.forEach((reply, i) => expectSuccess(this, crowd[i]!, reply, `joining ${channel}`));
});

Then('{user} sees {int} members in {channel}', async function (this: ChatWorld, user: string, count: number, channel: string) {
  const { reply, members } = await this.session.who(user);
  expectSuccess(this, user, reply, 'listing the members');
  const listed = reply.fields['channel'];
  if (listed !== undefined) assert.equal(listed, this.channel(channel), `the member list is of another channel: ${describe(reply)}`);
  assert.equal(members.length, count, `${user} expected ${count} members in ${channel}, the server listed ${members.length}`);
});
