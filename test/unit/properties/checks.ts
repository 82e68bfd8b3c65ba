/**
 * The properties, each a check of one step (or of the state after it). A failed check throws an
 * AssertionError naming the rule; fast-check then shrinks the session to a minimal counterexample.
 */
import assert from 'node:assert/strict';
import type { ConnId } from '../../../reference-server/core/index.ts';
import type { StateSnapshot } from './snapshot.ts';
import type { StepRecord } from './world.ts';

const FINAL = /^(OK|ERR|PONG)( |$)/;
/** Lines meant for the actor only: final replies and the data lines of a multi-line answer (§2). */
const REPLY_OR_DATA = /^(OK|ERR|PONG|HELP|HISTORY|FILEDATA)( |$)/;
/** §1.5: what no server line may contain (the net layer adds the "\n" terminator itself). */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

function members(snapshot: StateSnapshot, channel: string): readonly ConnId[] {
  return snapshot.channels.find((c) => c.name === channel)?.members ?? [];
}

function connOf(snapshot: StateSnapshot, nick: string): ConnId | undefined {
  return snapshot.nicks.find(([n]) => n === nick)?.[1];
}

/** Whether `a` and `b` were members of one same channel. */
function shareAChannel(snapshot: StateSnapshot, a: ConnId, b: ConnId): boolean {
  return snapshot.channels.some((c) => c.members.includes(a) && c.members.includes(b));
}

/** §4.3-§4.5, §3.1: the structure every state must have. */
export function checkStructure(s: StateSnapshot): void {
  const nicks = s.users.filter((u) => u.nick !== null).map((u) => u.nick);
  assert.equal(new Set(nicks).size, nicks.length, `nicks are not unique: ${nicks.join(' ')}`);
  assert.equal(s.nicks.length, nicks.length, 'the nick index and the users disagree');
  for (const [nick, conn] of s.nicks) assert.equal(s.users.find((u) => u.conn === conn)?.nick, nick, `nick index: ${nick}`);

  const names = s.channels.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'two channels with one name');
  for (const channel of s.channels) {
    assert.ok(channel.members.length > 0, `${channel.name} is empty but still exists (§4.5)`);
    assert.ok(channel.members.includes(channel.owner), `${channel.name}'s owner is not a member (§4.3)`);
    assert.ok(!channel.admins.includes(channel.owner), `${channel.name}'s owner is also a granted admin`);
    for (const admin of channel.admins) assert.ok(channel.members.includes(admin), `${channel.name} has an admin who is not a member`);
    for (const member of channel.members) {
      const user = s.users.find((u) => u.conn === member);
      assert.ok(user?.nick != null, `${channel.name} holds a departed or unregistered connection ${member}`);
      assert.ok(user.channels.includes(channel.name), `membership of ${user.nick} in ${channel.name} is one-sided`);
    }
  }
  for (const user of s.users) {
    for (const name of user.channels) assert.ok(members(s, name).includes(user.conn), `${user.nick} lists ${name} but is not in it`);
    if (user.current !== null) assert.ok(user.channels.includes(user.current), `${user.nick}'s current channel is not one of theirs`);
    if (user.nick === null) assert.deepEqual(user.channels, [], 'an unregistered connection is in a channel');
  }
}

/** §2.1: one final reply per non-blank line, to its sender, as the last line it gets from that line. */
export function checkOneFinalReply(step: StepRecord): void {
  const { action, actor } = step;
  if (action.kind !== 'line' || actor === undefined) return;
  const own = step.delivered.get(actor) ?? [];
  if (/^[ \t]*$/.test(action.line)) {
    assert.equal(step.delivered.size, 0, 'a blank line caused output (§1.6)');
    return;
  }
  const finals = own.filter((line) => FINAL.test(line));
  assert.equal(finals.length, 1, `${finals.length} final replies: ${JSON.stringify(own)}`);
  assert.match(own.at(-1)!, FINAL, `the final reply is not the last line: ${JSON.stringify(own)}`);
}

/**
 * §2.2: every event reaches only the users it concerns (members of its channel, users who shared a
 * channel with a departing or renamed user, the targets of a /MSG), and replies reach only the actor.
 */
export function checkEventRecipients(step: StepRecord): void {
  const { before, after, actor } = step;
  for (const [conn, lines] of step.delivered) {
    for (const line of lines) {
      const [keyword, a, b] = line.split(' ') as [string, string, string];
      const why = `${line} reached connection ${conn}`;
      switch (keyword) {
        case 'MSG':
          assert.ok(members(before, a).includes(conn) && conn !== actor, why);
          break;
        case 'JOIN':
        case 'KICK':
          assert.ok(members(before, a).includes(conn), why); // the members before the join / the kick
          break;
        case 'LEAVE':
        case 'OWNER':
        case 'GRANT':
        case 'REVOKE':
          assert.ok(members(after, a).includes(conn), why);
          break;
        case 'RENAME':
          assert.ok(members(after, b).includes(conn), why);
          break;
        case 'QUIT':
        case 'NICK': {
          const who = connOf(before, a);
          assert.ok(who !== undefined && who !== conn && shareAChannel(before, who, conn), why);
          break;
        }
        case 'PRIV': {
          const sender = before.users.find((u) => u.conn === actor);
          assert.ok(sender?.current != null && members(before, sender.current).includes(conn), why);
          break;
        }
        case 'GLOBAL':
          assert.ok(conn !== actor && before.users.find((u) => u.conn === conn)?.nick != null, why);
          break;
        case 'HELLO':
          assert.ok(step.action.kind === 'connect' && conn === actor, why);
          break;
        case 'KILLED':
          assert.ok(conn !== actor && step.closed.has(conn), why);
          break;
        case 'FILE':
          assert.ok(connOf(after, a) !== undefined, why);
          break;
        default:
          assert.match(line, REPLY_OR_DATA, `unknown line kind: ${line}`);
          assert.equal(conn, actor, `a reply reached someone else: ${why}`);
      }
    }
  }
}

/** §8.20: the actor never gets the event of its own action (a PRIV or FILE to oneself, OWNER excepted). */
export function checkActorGetsNoOwnEvent(step: StepRecord): void {
  if (step.action.kind !== 'line' || step.actor === undefined) return;
  for (const line of step.delivered.get(step.actor) ?? []) {
    if (REPLY_OR_DATA.test(line)) continue;
    assert.match(line, /^(PRIV|FILE|OWNER) /, `the actor received the event ${line}`);
  }
}

/** §2.1: an ERR reply means no effect at all: same state, nothing sent to anybody else. */
export function checkErrorHasNoEffect(step: StepRecord): void {
  if (step.action.kind !== 'line' || step.actor === undefined) return;
  const final = (step.delivered.get(step.actor) ?? []).at(-1);
  if (final === undefined || !final.startsWith('ERR ')) return;
  assert.deepEqual(step.after, step.before, `${final} changed the state`);
  assert.deepEqual([...step.delivered.keys()], [step.actor], `${final} sent lines to others`);
  assert.equal(step.closed.size, 0, `${final} closed a connection`);
}

/** §1.5: no line the server sends holds a control character or a line break, whatever clients sent. */
export function checkNoControlCharacters(step: StepRecord): void {
  for (const lines of step.delivered.values()) {
    for (const line of lines) assert.doesNotMatch(line, CONTROL, `a server line holds a control character: ${JSON.stringify(line)}`);
  }
}
