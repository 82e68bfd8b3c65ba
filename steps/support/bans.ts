/**
 * Bans a scenario places (PROTOCOL.md §5.18): by an operator's /BAN on the wire, or typed on the server
 * console. A ban left in place would refuse every later connection from this machine, so the World keeps
 * each one until it is lifted, and one path lifts them all: the "lifts the ban" steps, and the teardown
 * for whatever a scenario left behind (also after a failure half-way).
 */
import assert from 'node:assert/strict';
import { expectAcceptedIfReadable, typeCommand } from './console.ts';
import { expectSuccess } from './steps-helpers.ts';
import type { ChatWorld, PlacedBan } from './world.ts';

/** The scenario's latest ban placed this way; fails the step when an earlier step placed none. */
export function placedBan<From extends PlacedBan['from']>(world: ChatWorld, from: From): Extract<PlacedBan, { from: From }> {
  const ban = [...world.bans].reverse().find((placed): placed is Extract<PlacedBan, { from: From }> => placed.from === from);
  assert.ok(ban, `no ${from === 'console' ? 'console ban' : 'ban'} to lift: an earlier step must ban someone${from === 'console' ? ' from the console' : ''}`);
  return ban;
}

/**
 * Lift `ban` the way it was placed, checking that the server accepted it; the World forgets it once lifted.
 * A user's ban is lifted on `by`'s connection ("alice lifts the ban"); by default on the banning user's.
 */
export async function liftBan(world: ChatWorld, ban: PlacedBan, by?: string): Promise<void> {
  if (ban.from === 'user') {
    const user = by ?? ban.user;
    const reply = world.remember(user, await world.session.run(user, 'unban', { address: ban.address }));
    expectSuccess(world, user, reply, 'lifting the ban');
  } else {
    for (const address of ban.addresses) {
      await typeCommand(world, 'unban', { address });
      expectAcceptedIfReadable(world, `lifting the ban of ${address}`);
    }
  }
  const index = world.bans.indexOf(ban);
  if (index >= 0) world.bans.splice(index, 1);
}

/**
 * The teardown's part: lift every ban the scenario left, newest first, best effort. A user's ban needs that
 * user's connection: gone (killed, closed by a failure), it stays, and the restart after a @server-wide
 * scenario clears it.
 */
export async function liftBansLeft(world: ChatWorld): Promise<void> {
  for (const ban of [...world.bans].reverse()) {
    if (ban.from === 'user' && !world.session.isConnected(ban.user)) continue;
    try {
      await liftBan(world, ban);
    } catch {
      // The scenario already reports its own failure; a failed clean-up must not hide it.
    }
  }
}
