/**
 * Random sessions against the core (seeded, bounded), checking after every input:
 *  - the Sim's contract checks (one final reply per non-blank line, last; nothing after close; shared
 *    arrays never mutated);
 *  - the state's structural invariants (§4.3: every channel has members and exactly one owner who is
 *    a member; admins are members; memberships are symmetric; the current channel is one of the
 *    user's; caches match; nicks are unique and map back to their user).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.ts';
import { prng } from '../../support/prng.ts';
import type { ServerState } from '../../../reference-server/core/state.ts';

function checkState(state: ServerState): void {
  for (const [name, channel] of state.channels) {
    assert.equal(channel.name, name);
    assert.ok(channel.members.size > 0, `${name} is empty but exists`);
    assert.ok(channel.members.has(channel.owner), `${name}'s owner is not a member`);
    assert.ok(!channel.admins.has(channel.owner), `${name}'s owner is in the granted set`);
    for (const admin of channel.admins) assert.ok(channel.members.has(admin), `${name} admin not a member`);
    for (const member of channel.members) {
      assert.ok(member.connected && member.nick !== null, `${name} holds a departed or unregistered user`);
      assert.ok(member.channels.has(channel), `membership of ${member.nick} in ${name} is one-sided`);
    }
    if (channel.recipients !== null) assert.deepEqual([...channel.recipients], [...channel.members].map((m) => m.conn));
  }
  for (const [conn, user] of state.users) {
    assert.equal(user.conn, conn);
    assert.ok(user.connected);
    if (user.nick !== null) assert.equal(state.nicks.get(user.nick), user);
    for (const channel of user.channels) assert.equal(state.channels.get(channel.name), channel);
    if (user.current !== null) assert.ok(user.channels.has(user.current), 'current channel is not a membership');
    assert.ok(user.incomingUploads >= 0);
    assert.ok(user.waitingFiles.length + user.incomingUploads <= state.options.maxPendingFiles, 'pending limit exceeded');
  }
  for (const [nick, user] of state.nicks) {
    assert.equal(user.nick, nick);
    assert.equal(state.users.get(user.conn), user);
  }
  // §7 server-wide counts: what is held equals what is counted, and stays under the limit.
  let pending = 0;
  for (const user of state.users.values()) {
    for (const file of user.waitingFiles) pending += file.data.length;
    if (user.upload !== null) pending += user.upload.size;
  }
  assert.equal(state.pendingFileBytes, pending, 'pending file bytes drifted from the files held');
  assert.ok(state.pendingFileBytes <= state.options.maxPendingFileBytes);
  let history = 0;
  for (const channel of state.channels.values()) for (const entry of channel.history.last(Infinity)) history += Buffer.byteLength(entry.nick) + Buffer.byteLength(entry.text) + 64;
  assert.equal(state.historyBudget.bytes, history, 'history bytes drifted from the messages remembered');
  assert.ok(state.historyBudget.bytes <= state.options.maxHistoryBytes);
}

function randomSession(seed: number, steps: number): void {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sim = new Sim({ operPassword: 'pw', maxConnections: 8, maxPendingFiles: 3, maxFileBytes: 8, historySize: 5, maxPendingFileBytes: 20, maxHistoryBytes: 600 });
  const nicks = ['ann', 'bob', 'cy', 'dee', 'eve', 'Ann'];
  const channels = ['#a', '#b', 'c', '#A'];
  const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
  const open: number[] = [];

  const lines = [
    () => pick(nicks),
    () => `/NICK ${pick(nicks)}`,
    () => `/JOIN ${pick(channels)}`,
    () => `/join ${pick(channels)}`,
    () => '/LEAVE',
    () => '/WHO',
    () => '/LIST',
    () => `/CURRENT ${random() < 0.3 ? '' : pick(channels)}`,
    () => `hello ${Math.floor(random() * 100)}`,
    () => '//slash',
    () => `/MSG ${pick(nicks)};${pick(nicks)} psst`,
    () => `/KICK ${pick(nicks)}`,
    () => `/REN ${pick(channels)}`,
    () => `/GRANT ${pick(nicks)}`,
    () => `/REVOKE ${pick(nicks)}`,
    () => `/SEND ${pick(nicks)} f${Math.floor(random() * 2)} ${1 + Math.floor(random() * 4)}`,
    () => `/DATA ${pick(['QQ==', 'QUJD', 'QUJDRA==', 'bad'])}`,
    () => `/RECV f${Math.floor(random() * 2)}`,
    () => `/HISTORY ${pick(['', '1', '3', '0'])}`,
    () => '/OPER pw',
    () => `/KILL ${pick(nicks)}`,
    () => `/BAN ${pick(nicks)}`,
    () => `/UNBAN ${pick(addresses)}`,
    () => '/GLOBAL hey',
    () => '/PING t',
    () => (random() < 0.3 ? '/BYE' : '/PING'),
    () => pick(['', '  ', '/', '/NOPE', 'x\x01y', '/HELP']),
  ];

  for (let step = 0; step < steps; step++) {
    const live = open.filter((conn) => !sim.closed.has(conn));
    const roll = random();
    if (live.length < 2 || roll < 0.05) {
      open.push(sim.connect(pick(addresses)));
    } else if (roll < 0.08) {
      sim.drop(pick(live));
    } else if (roll < 0.09) {
      sim.expire(pick(live));
    } else if (roll < 0.1) {
      sim.console(pick(['GLOBAL hi', `KILL ${pick(nicks)}`, `BAN ${pick(nicks)}`, `UNBAN ${pick(addresses)}`]));
    } else if (roll < 0.11) {
      sim.rejected(pick(live), pick(['LINE_TOO_LONG', 'BAD_ENCODING'] as const));
    } else {
      const conn = pick(live);
      const unregistered = sim.state.users.get(conn)?.nick === null;
      // Mostly register first, so that most lines exercise registered behaviour.
      sim.lines(conn, unregistered && random() < 0.8 ? pick(nicks) : pick(lines)());
    }
    checkState(sim.state);
    const stats = sim.stats();
    assert.equal(stats.connections, sim.state.users.size);
    assert.ok(stats.connections <= 8);
  }
}

describe('invariants under random sessions', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: 1500 random inputs keep every invariant`, () => randomSession(seed, 1500));
  }
});
