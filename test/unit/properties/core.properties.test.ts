/**
 * Property tests of the protocol core (issue #7.2) over random sessions of several users: fast-check
 * generates the sessions (test/unit/properties/arbitraries.ts) and shrinks any failure to a minimal one.
 * Bounded for CI: PROPERTY_RUNS sessions of at most 60 actions per property (seeded by fast-check; a
 * failure prints the seed and path to replay it).
 */
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Action, StepRecord } from './world.ts';
import { World, describeAction } from './world.ts';
import { OPER_PASSWORD, PRELUDE, SLOTS, addressOf, session } from './arbitraries.ts';
import {
  checkActorGetsNoOwnEvent,
  checkErrorHasNoEffect,
  checkEventRecipients,
  checkNoControlCharacters,
  checkOneFinalReply,
  checkStructure,
} from './checks.ts';

const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

/** Plays PRELUDE then `actions`, checking every step; the failing step is named in the error. */
function play(actions: readonly Action[], check: (step: StepRecord) => void): void {
  const world = new World(SLOTS, { operPassword: OPER_PASSWORD, maxPendingFiles: 2, maxFileBytes: 4, historySize: 3 }, addressOf);
  for (const [index, action] of [...PRELUDE, ...actions].entries()) {
    const step = world.step(action);
    try {
      check(step);
    } catch (error) {
      if (error instanceof Error) error.message = `step ${index} (${describeAction(action)}): ${error.message}`;
      throw error;
    }
  }
}

function holds(check: (step: StepRecord) => void): void {
  fc.assert(
    fc.property(session, (actions) => play(actions, check)),
    { numRuns: PROPERTY_RUNS },
  );
}

describe('protocol core properties (fast-check)', () => {
  it('every channel has members and exactly one owner, who is a member; admins are members (§4.3, §4.5)', () => {
    holds((step) => checkStructure(step.after));
  });

  it('nicks are unique among connected users and an empty channel disappears (§3.1, §4.5)', () => {
    // Both are part of checkStructure; kept as their own named property so a regression names the rule.
    holds((step) => {
      const nicks = step.after.users.flatMap((u) => (u.nick === null ? [] : [u.nick]));
      if (new Set(nicks).size !== nicks.length) throw new Error(`duplicate nick in ${nicks.join(' ')}`);
      for (const channel of step.after.channels) if (channel.members.length === 0) throw new Error(`${channel.name} is empty`);
    });
  });

  it('every non-blank line gets exactly one final reply, the last line its sender gets from it (§2.1)', () => {
    holds(checkOneFinalReply);
  });

  it('no event reaches a user it does not concern; replies reach only their sender (§2.2)', () => {
    holds(checkEventRecipients);
  });

  it('the actor never receives the event of its own action (§8.20)', () => {
    holds(checkActorGetsNoOwnEvent);
  });

  it('an ERR reply has no effect: same state, nothing sent to others (§2.1)', () => {
    holds(checkErrorHasNoEffect);
  });

  it('no server line carries a control character or line break, whatever clients send (§1.5)', () => {
    holds(checkNoControlCharacters);
  });
});
