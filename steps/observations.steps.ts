/**
 * Observations shared by every feature: the outcome of a user's last command, and what other
 * users do (or provably do not) receive. Negative checks go through Session.expectNoEvent, which
 * uses the protocol's barrier (PROTOCOL.md §2.1) instead of sleeping.
 */
import type { EventName } from '../harness/session-api.ts';
import type { ChatWorld } from './support/world.ts';
import { Then } from '@cucumber/cucumber';
import { expectRefusal, expectSuccess } from './support/steps-helpers.ts';

Then('{user} is refused with {code}', function (this: ChatWorld, user: string, code: string) {
  expectRefusal(this, user, this.lastReply(user), code);
});

Then('{user} succeeds', function (this: ChatWorld, user: string) {
  expectSuccess(this, user, this.lastReply(user), 'the last command');
});

Then('{users} receive(s) nothing', async function (this: ChatWorld, users: string[]) {
  for (const user of users) await this.session.expectNoEvent(user);
});

/**
 * Nothing of that kind among everything the user received and no step consumed yet, setup
 * included: "nothing" is checked after a barrier (or quiet period), never after a fixed sleep.
 */
Then('{user} receives no {event}', async function (this: ChatWorld, user: string, event: EventName) {
  await this.session.expectNoEvent(user, event);
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

