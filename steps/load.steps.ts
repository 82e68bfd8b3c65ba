/**
 * features/load.feature: a crowd acting at once (harness/load/storm.ts), then one invariant per Then
 * (harness/load/invariants.ts). Thin: the storm goes through the Session like every other step; the
 * checks read its log.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { runStorm, scaled } from '../harness/load/storm.ts';
import { describeViolations, INVARIANTS, type InvariantName } from '../harness/load/invariants.ts';
import type { ChatWorld } from './support/world.ts';

/** Tens of users, each waiting for every reply: bounded by the Session's timeouts, this only stops a runaway. */
const STORM_TIMEOUT_MS = 120_000;

Given('a crowd of {int} users in {int} channels, {int} of them staying in each channel', function (this: ChatWorld, users: number, channels: number, stayers: number) {
  this.crowd = { users, channels, stayers };
});

When(
  'the crowd joins, leaves, kicks, grants, changes nick, talks and quits at the same time for {int} rounds',
  { timeout: STORM_TIMEOUT_MS },
  async function (this: ChatWorld, rounds: number) {
    if (!this.crowd) throw new Error('no crowd: a "Given a crowd of ..." step must come first');
    const size = scaled({ ...this.crowd, rounds }, this.parameters.loadScale ?? 1);
    this.stormLog = await runStorm(this.session, { ...size, seed: this.parameters.seed ?? randomInt(2 ** 31) });
  },
);

function check(world: ChatWorld, name: InvariantName, rule: string): void {
  const log = world.stormLog;
  if (!log) throw new Error('no storm: a "When the crowd ..." step must come first');
  const violations = INVARIANTS[name](log);
  assert.ok(violations.length === 0, describeViolations(rule, violations, log));
}

Then("every member received every message of their channels exactly once, in each sender's order", function (this: ChatWorld) {
  check(this, 'delivery', "every member receives every channel message exactly once, in each sender's order");
});

Then('every channel with members has exactly one owner', function (this: ChatWorld) {
  check(this, 'owner', 'every channel with members has exactly one owner');
});

Then('WHO and LIST agree with the events each user saw', function (this: ChatWorld) {
  check(this, 'views', 'WHO and LIST agree with the events each user saw');
});

Then('no channel message reached a user who was not a member of the channel', function (this: ChatWorld) {
  check(this, 'nonMembers', 'no channel message reaches a user who is not a member of the channel');
});

Then('nothing reached a user after their goodbye, and nobody heard from them after their quit', function (this: ChatWorld) {
  check(this, 'afterQuit', 'nothing is delivered after a QUIT');
});
