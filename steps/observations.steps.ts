/**
 * Observations shared by every feature: the outcome of a user's last command, and what other
 * users do (or provably do not) receive. Negative checks go through Session.expectNoEvent, which
 * uses the protocol's barrier (PROTOCOL.md §2.1) instead of sleeping.
 */
import { VariantNotGradableError, type EventName, type ExpectedEvent } from '../harness/session/session-api.ts';
import type { ChatWorld } from './support/world.ts';
import { Then } from '@cucumber/cucumber';
import { expectRefusal, expectSuccess } from './support/steps-helpers.ts';
import { goodbyeSeen } from './support/variants.ts';

Then('{user} is refused with {code}', async function (this: ChatWorld, user: string, code: string) {
  await expectRefusal(this, user, this.lastReply(user), code);
});

/** Any refusal, whatever its code: for rules the course states without a code (a nick with a space). */
Then('{user} is refused', function (this: ChatWorld, user: string) {
  expectRefusal(this, user, this.lastReply(user));
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
  const seen = goodbyeSeen(this, who);
  await this.session.expectEvent(user, seen.event, seen.fields);
});

Then('{user} sees {user} quit only once', async function (this: ChatWorld, user: string, who: string) {
  if (this.session.leftBeforeGoodbye(who).length > 0) {
    throw new VariantNotGradableError('bye', `${who} left each channel before saying goodbye (course variant bye=leave-first), so the members saw one leave per channel: "a quit only once" cannot be checked`);
  }
  await this.session.expectEvent(user, 'quit', { nick: this.nick(who) });
  await this.session.expectNoEvent(user, 'quit', { nick: this.nick(who) });
});

Then('{user} sees {user} become the owner of {channel}', async function (this: ChatWorld, user: string, who: string, channel: string) {
  await this.session.expectEvent(user, 'owner', { channel: this.channel(channel), nick: this.nick(who) });
});

Then('{user} learns she/he/they now own(s) {channel}', async function (this: ChatWorld, user: string, channel: string) {
  await this.session.expectEvent(user, 'owner', { channel: this.channel(channel), nick: this.nick(user) });
});


// --- a departing owner: the departure first, then the new owner (PROTOCOL.md §2.2, §4.3) -------

/** The departure event and the owner event, required in this order (Session.expectEventsInOrder). */
async function departureThenOwner(world: ChatWorld, user: string, departure: ExpectedEvent, channel: string, owner: string): Promise<void> {
  await world.session.expectEventsInOrder(user, [departure, { event: 'owner', fields: { channel: world.channel(channel), nick: world.nick(owner) } }]);
}

const left = (world: ChatWorld, who: string, channel: string): ExpectedEvent => ({ event: 'left', fields: { channel: world.channel(channel), nick: world.nick(who) } });

Then('{user} sees {user} leave {channel}, then learns she/he/they now own(s) it', async function (this: ChatWorld, user: string, who: string, channel: string) {
  await departureThenOwner(this, user, left(this, who, channel), channel, user);
});

Then('{user} sees {user} leave {channel}, then sees {user} become its owner', async function (this: ChatWorld, user: string, who: string, channel: string, owner: string) {
  await departureThenOwner(this, user, left(this, who, channel), channel, owner);
});

Then('{user} sees {user} quit, then learns she/he/they now own(s) {channel}', async function (this: ChatWorld, user: string, who: string, channel: string) {
  await departureThenOwner(this, user, goodbyeSeen(this, who, channel), channel, user);
});

Then('{user} sees {user} quit, then sees {user} become the owner of {channel}', async function (this: ChatWorld, user: string, who: string, owner: string, channel: string) {
  await departureThenOwner(this, user, goodbyeSeen(this, who, channel), channel, owner);
});
