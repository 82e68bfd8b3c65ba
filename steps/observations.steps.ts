/**
 * Observations shared by every feature: the outcome of a user's last command, and what other
 * users do (or provably do not) receive. Negative checks go through Session.expectNoEvent, which
 * uses the protocol's barrier (PROTOCOL.md §2.1) instead of sleeping.
 */
import type { ChatWorld } from './support/world.ts';
import { Then, expectRefusal, expectSuccess } from './support/steps-helpers.ts';

Then('{user} is refused with {code}', function (this: ChatWorld, user: string, code: string) {
  expectRefusal(this, user, this.lastReply(user), code);
});

Then('{user} is refused', function (this: ChatWorld, user: string) {
  expectRefusal(this, user, this.lastReply(user));
});

Then('{user} succeeds', function (this: ChatWorld, user: string) {
  expectSuccess(this, user, this.lastReply(user), 'the last command');
});

Then('{users} receive(s) nothing', async function (this: ChatWorld, users: string[]) {
  for (const user of users) await this.session.expectNoEvent(user);
});

Then('{user} sees {user} quit', async function (this: ChatWorld, user: string, who: string) {
  await this.session.expectEvent(user, 'quit', { nick: this.nick(who) });
});

Then('{user} sees {user} quit only once', async function (this: ChatWorld, user: string, who: string) {
  await this.session.expectEvent(user, 'quit', { nick: this.nick(who) });
  await this.session.expectNoEvent(user, 'quit', { nick: this.nick(who) });
});

Then('{user} sees {user} become the owner of {channel}', async function (this: ChatWorld, user: string, who: string, channel: string) {
  await this.session.expectEvent(user, 'owner', { channel: this.channel(channel), nick: this.nick(who) });
});

Then('{user} learns she/he/they now own(s) {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await this.session.expectEvent(user, 'owner', { channel: this.channel(channel), nick: this.nick(user) });
});

Then('{user} sees no change of owner', async function (this: ChatWorld, user: string) {
  await this.session.expectNoEvent(user, 'owner');
});
