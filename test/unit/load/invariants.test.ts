/** The @load invariants on hand-made storm logs: each holds on a clean log and names what breaks it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAfterQuit, checkDelivery, checkNonMembers, checkOneOwner, checkViews, memberships } from '../../../harness/load/invariants.ts';
import type { ClientLog, StormLog } from '../../../harness/load/storm.ts';
import type { ReceivedUnit } from '../../../harness/session/session-api.ts';

const C = '#c';
const msg = (seq: number, from: string, n: number, channel = C): ReceivedUnit => ({ seq, text: `MSG ${channel} ${from} load ${from} ${n}`, event: 'message', fields: { channel, from, text: `load ${from} ${n}` } });
const ev = (seq: number, event: ReceivedUnit['event'], fields: Record<string, string>): ReceivedUnit => ({ seq, text: `${event}`, event, fields });

/** s stays in #c; m joins, says 1 and 2, leaves; q joins and quits. */
function cleanLog(): StormLog {
  const s: ClientLog = {
    user: 's', stays: true, home: C, firstNick: 's',
    commands: [{ command: 'join', ok: true, channel: C, seq: 1 }],
    received: [ev(5, 'joined', { channel: C, nick: 'm' }), ev(6, 'joined', { channel: C, nick: 'q' }), msg(7, 'm', 1), msg(8, 'm', 2), ev(9, 'left', { channel: C, nick: 'm' }), ev(10, 'quit', { nick: 'q' })],
  };
  const m: ClientLog = {
    user: 'm', stays: false, home: C, firstNick: 'm',
    commands: [
      { command: 'join', ok: true, channel: C, seq: 1 },
      { command: 'say', ok: true, channel: C, msg: 1, seq: 2 },
      { command: 'say', ok: true, channel: C, msg: 2, seq: 3 },
      { command: 'leave', ok: true, channel: C, seq: 4 },
    ],
    received: [],
  };
  const q: ClientLog = {
    user: 'q', stays: false, home: C, firstNick: 'q',
    commands: [{ command: 'join', ok: true, channel: C, seq: 1 }, { command: 'bye', ok: true, seq: 4 }],
    received: [msg(2, 'm', 1), msg(3, 'm', 2)],
    quitSeq: 4,
  };
  return {
    seed: 1,
    channels: [C, '#side'],
    clients: [s, m, q],
    whoBefore: new Map([['s', [{ nick: 's', role: 'owner' }]]]),
    whoAfter: new Map([['s', [{ nick: 's', role: 'owner' }]]]),
    listAfter: { user: 's', channels: [C] },
  };
}

test('a clean storm keeps every invariant', () => {
  const log = cleanLog();
  for (const check of [checkDelivery, checkOneOwner, checkViews, checkNonMembers, checkAfterQuit]) assert.deepEqual(check(log), [], check.name);
});

test('memberships: from the JOIN reply to the LEAVE reply, a kick of the current nick, or the BYE', () => {
  const log = cleanLog();
  assert.deepEqual(memberships(log.clients[1]!).member.get(C), [[1, 4]]);
  assert.deepEqual(memberships(log.clients[0]!).member.get(C), [[1, Number.POSITIVE_INFINITY]]);
  const kicked: ClientLog = { ...log.clients[1]!, commands: [log.clients[1]!.commands[0]!, { command: 'nick', ok: true, nick: 'm2', seq: 2 }], received: [ev(3, 'kicked', { channel: C, nick: 'm', by: 's' }), ev(5, 'kicked', { channel: C, nick: 'm2', by: 's' })] };
  assert.deepEqual(memberships(kicked).member.get(C), [[1, 5]], 'a kick of the old nick is not this user any more');
});

test('delivery: a lost, doubled, reordered or echoed message is named', () => {
  const lost = cleanLog();
  lost.clients[0]!.received.splice(3, 1);
  assert.match(checkDelivery(lost).join('\n'), /s, a member of #c for the whole storm, never received m's message\(s\) 2/);
  const doubled = cleanLog();
  doubled.clients[0]!.received.splice(4, 0, msg(8.5, 'm', 2));
  assert.match(checkDelivery(doubled).join('\n'), /received "load m 2" in #c twice/);
  const reordered = cleanLog();
  reordered.clients[2]!.received = [msg(2, 'm', 2), msg(3, 'm', 1)];
  assert.match(checkDelivery(reordered).join('\n'), /not in m's order/);
  const gap = cleanLog();
  gap.clients[1]!.commands.splice(3, 0, { command: 'say', ok: true, channel: C, msg: 3, seq: 3.5 });
  gap.clients[2]!.received = [msg(2, 'm', 1), msg(3, 'm', 3)];
  assert.match(checkDelivery(gap).join('\n'), /q received m's messages 1 and 3 in #c while a member, but not 2/);
  const echo = cleanLog();
  echo.clients[1]!.received = [msg(2.5, 'm', 1)];
  assert.match(checkDelivery(echo).join('\n'), /m received its own message/);
});

test('one owner: none or two in a WHO is a violation', () => {
  const none = cleanLog();
  none.whoAfter.set('s', [{ nick: 's', role: 'member' }]);
  assert.match(checkOneOwner(none).join('\n'), /shows no owner/);
  const two = cleanLog();
  two.whoAfter.set('s', [{ nick: 's', role: 'owner' }, { nick: 'x', role: 'owner' }]);
  assert.match(checkOneOwner(two).join('\n'), /shows 2 owners: s, x/);
});

test('views: WHO must match the events, LIST the channels that still have members', () => {
  const stale = cleanLog();
  stale.whoAfter.set('s', [{ nick: 's', role: 'owner' }, { nick: 'm', role: 'member' }]);
  assert.match(checkViews(stale).join('\n'), /not a member by the events: m/);
  const ownKick = cleanLog();
  ownKick.clients[0]!.received.splice(4, 1);
  ownKick.clients[0]!.commands.push({ command: 'kick', ok: true, channel: C, target: 'm', seq: 8.5 });
  assert.deepEqual(checkViews(ownKick), [], "the stayer's own kick counts");
  const list = cleanLog();
  list.listAfter = { user: 's', channels: ['#side', 'elsewhere'] };
  assert.deepEqual(checkViews(list), ['LIST (asked by s) leaves out #c, which still has members', 'LIST (asked by s) shows #side, which every member has left']);
});

test('non-members: a message after the LEAVE reply, or to a user who never joined', () => {
  const log = cleanLog();
  log.clients[1]!.received = [msg(5, 's', 1)];
  log.clients.push({ user: 'o', stays: false, home: '#side', firstNick: 'o', commands: [], received: [msg(1, 's', 2)] });
  const found = checkNonMembers(log).join('\n');
  assert.match(found, /m received "load s 1" in #c while not a member of #c \(it had left or been kicked before\)/);
  assert.match(found, /o received "load s 2" in #c while not a member of #c \(it never joined\)/);
});

test('after a quit: nothing to the quitter after its BYE reply, nothing from it after its QUIT', () => {
  const log = cleanLog();
  log.clients[2]!.received.push(ev(5, 'quit', { nick: 'q' }));
  log.clients[0]!.received.push(msg(11, 'q', 1));
  const found = checkAfterQuit(log).join('\n');
  assert.match(found, /q quit, then still received "quit"/);
  assert.match(found, /s received "MSG #c q load q 1" from q after q's QUIT/);
});
