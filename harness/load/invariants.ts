/**
 * The invariants a load storm (storm.ts) must keep whatever the interleaving, checked on its log. Each
 * returns the violations it found, in plain words ([] when it holds). Pure functions: unit-tested on
 * hand-made logs, and proven on deliberately broken servers (docs/PROOF.md, "Load").
 *
 * What makes them sound on any interleaving: a server handles one line at a time (PROTOCOL.md §2.1) and
 * each connection receives in the order the server sent. So on one user's connection, the reply to that
 * user's JOIN comes after everything sent to it before it became a member and before everything sent to
 * it as a member; a membership lasts, on that connection, from the JOIN reply to the LEAVE reply, the
 * KICK naming it, or its QUIT. Each user waits for the reply to a command before its next command.
 */
import type { ReceivedUnit } from '../session/session-api.ts';
import { parseLoadText, type ClientLog, type StormLog } from './storm.ts';

/** [from, to) in arrival numbers of one connection; `to` is Infinity while still a member. */
type Interval = [number, number];

interface Timeline {
  /** Channel -> the user's memberships of it. */
  member: Map<string, Interval[]>;
}

/** The user's memberships, from its own replies and the kicks it received. */
export function memberships(client: ClientLog): Timeline {
  type Step = { seq: number; join?: string; leave?: string; nick?: string; kickedFrom?: { channel: string; nick: string }; quit?: true };
  const steps: Step[] = [];
  for (const c of client.commands) {
    if (!c.ok) continue;
    if (c.command === 'join' && c.channel !== undefined) steps.push({ seq: c.seq, join: c.channel });
    if (c.command === 'leave' && c.channel !== undefined) steps.push({ seq: c.seq, leave: c.channel });
    if (c.command === 'nick' && c.nick !== undefined) steps.push({ seq: c.seq, nick: c.nick });
    if (c.command === 'bye') steps.push({ seq: c.seq, quit: true });
  }
  for (const u of client.received) {
    if (u.event === 'kicked' && u.fields?.channel !== undefined && u.fields.nick !== undefined) {
      steps.push({ seq: u.seq, kickedFrom: { channel: u.fields.channel, nick: u.fields.nick } });
    }
  }
  steps.sort((a, b) => a.seq - b.seq);
  const member = new Map<string, Interval[]>();
  const open = new Map<string, number>();
  const close = (channel: string, seq: number): void => {
    const from = open.get(channel);
    if (from === undefined) return;
    open.delete(channel);
    const list = member.get(channel) ?? [];
    list.push([from, seq]);
    member.set(channel, list);
  };
  let nick = client.firstNick;
  for (const step of steps) {
    if (step.join !== undefined && !open.has(step.join)) open.set(step.join, step.seq);
    if (step.leave !== undefined) close(step.leave, step.seq);
    if (step.nick !== undefined) nick = step.nick;
    if (step.kickedFrom !== undefined && step.kickedFrom.nick === nick) close(step.kickedFrom.channel, step.seq);
    if (step.quit) for (const channel of [...open.keys()]) close(channel, step.seq);
  }
  for (const channel of [...open.keys()]) close(channel, Number.POSITIVE_INFINITY);
  return { member };
}

function memberAt(timeline: Timeline, channel: string, seq: number): Interval | undefined {
  return timeline.member.get(channel)?.find(([from, to]) => seq > from && seq < to);
}

interface LoadMessage {
  unit: ReceivedUnit;
  channel: string;
  sender: string;
  n: number;
}

function messagesOf(client: ClientLog): LoadMessage[] {
  const out: LoadMessage[] = [];
  for (const unit of client.received) {
    if (unit.event !== 'message' || unit.fields?.channel === undefined) continue;
    const parsed = parseLoadText(unit.fields.text ?? '');
    if (parsed) out.push({ unit, channel: unit.fields.channel, sender: parsed.user, n: parsed.n });
  }
  return out;
}

/** sender -> channel -> the numbers of the messages the server accepted from that sender in that channel, in order. */
function acceptedMessages(log: StormLog): Map<string, Map<string, number[]>> {
  const said = new Map<string, Map<string, number[]>>();
  for (const client of log.clients) {
    const mine = new Map<string, number[]>();
    for (const c of client.commands) {
      if (c.command !== 'say' || !c.ok || c.msg === undefined || c.channel === undefined) continue;
      mine.set(c.channel, [...(mine.get(c.channel) ?? []), c.msg]);
    }
    said.set(client.user, mine);
  }
  return said;
}

const msgName = (sender: string, n: number, channel: string): string => `"load ${sender} ${n}" in ${channel}`;

/**
 * Every member of a channel receives every message of that channel exactly once, and a sender's messages
 * in the order they were said. A member for the whole storm (a stayer) must have every message the server
 * accepted in its channel; a user who was a member for a while must have every message said between two
 * it did receive in that stretch. The sender gets none of its own.
 */
export function checkDelivery(log: StormLog): string[] {
  const violations: string[] = [];
  const said = acceptedMessages(log);
  for (const client of log.clients) {
    const timeline = memberships(client);
    const seen = new Set<string>();
    const last = new Map<string, number>();
    const received = new Map<string, Map<Interval | 'whole', Set<number>>>(); // sender|channel -> stretch -> numbers
    for (const m of messagesOf(client)) {
      const key = `${m.sender}|${m.channel}`;
      if (m.sender === client.user) violations.push(`${client.user} received its own message ${msgName(m.sender, m.n, m.channel)}`);
      if (seen.has(`${m.sender} ${m.n}`)) violations.push(`${client.user} received ${msgName(m.sender, m.n, m.channel)} twice`);
      seen.add(`${m.sender} ${m.n}`);
      const before = last.get(key);
      if (before !== undefined && m.n < before) violations.push(`${client.user} received ${msgName(m.sender, m.n, m.channel)} after message ${before}: not in ${m.sender}'s order`);
      last.set(key, Math.max(before ?? 0, m.n));
      if (!(said.get(m.sender)?.get(m.channel) ?? []).includes(m.n)) {
        violations.push(`${client.user} received ${msgName(m.sender, m.n, m.channel)}, which the server never accepted from ${m.sender} in that channel`);
      }
      const stretch = memberAt(timeline, m.channel, m.unit.seq);
      if (!stretch) continue; // not a member: checkNonMembers says so
      const byStretch = received.get(key) ?? new Map<Interval | 'whole', Set<number>>();
      const set = byStretch.get(stretch) ?? new Set<number>();
      set.add(m.n);
      byStretch.set(stretch, set);
      received.set(key, byStretch);
    }
    for (const [sender, channels] of said) {
      if (sender === client.user) continue;
      for (const [channel, numbers] of channels) {
        const stretches = received.get(`${sender}|${channel}`);
        if (client.stays && channel === client.home) {
          const got = new Set([...(stretches?.values() ?? [])].flatMap((s) => [...s]));
          const missing = numbers.filter((n) => !got.has(n));
          if (missing.length > 0) violations.push(`${client.user}, a member of ${channel} for the whole storm, never received ${sender}'s message(s) ${missing.join(', ')} in it`);
          continue;
        }
        for (const got of stretches?.values() ?? []) {
          const low = Math.min(...got);
          const high = Math.max(...got);
          const missing = numbers.filter((n) => n > low && n < high && !got.has(n));
          if (missing.length > 0) {
            violations.push(`${client.user} received ${sender}'s messages ${low} and ${high} in ${channel} while a member, but not ${missing.join(', ')} said in between`);
          }
        }
      }
    }
  }
  return violations;
}

/** Every channel that has members has exactly one owner (WHO after the storm, by each stayer). */
export function checkOneOwner(log: StormLog): string[] {
  const violations: string[] = [];
  for (const [user, members] of log.whoAfter) {
    if (members.length === 0) continue;
    const owners = members.filter((m) => m.role === 'owner').map((m) => m.nick);
    if (owners.length !== 1) {
      const home = log.clients.find((c) => c.user === user)?.home ?? '?';
      violations.push(`WHO in ${home} (asked by ${user}) shows ${owners.length === 0 ? 'no owner' : `${owners.length} owners: ${owners.join(', ')}`} among ${members.length} members`);
    }
  }
  return violations;
}

/**
 * WHO and LIST agree with the events: each stayer's member list before the storm, changed by every JOIN,
 * LEAVE, KICK, QUIT and NICK it received in its channel (and the kicks it made itself), is the list WHO
 * gives after the storm; and LIST
 * shows exactly the storm's channels that still have a member (each user knows from its own replies and
 * kicks which channels it is still in).
 */
export function checkViews(log: StormLog): string[] {
  const violations: string[] = [];
  for (const client of log.clients) {
    const before = log.whoBefore.get(client.user);
    const after = log.whoAfter.get(client.user);
    if (!client.stays || !before || !after) continue;
    const members = new Set(before.map((m) => m.nick));
    // The stayer's own kicks are replies, not events: they change the list too, in their place.
    const ownKicks: ReceivedUnit[] = client.commands
      .filter((c) => c.command === 'kick' && c.ok && c.target !== undefined)
      .map((c) => ({ seq: c.seq, text: '', event: 'kicked', fields: { channel: c.channel ?? client.home, nick: c.target! } }));
    for (const u of [...client.received, ...ownKicks].sort((a, b) => a.seq - b.seq)) {
      const f = u.fields ?? {};
      const here = f.channel === client.home;
      if (u.event === 'joined' && here) members.add(f.nick!);
      else if ((u.event === 'left' || u.event === 'kicked') && here) members.delete(f.nick!);
      else if (u.event === 'quit') members.delete(f.nick!);
      else if (u.event === 'nick' && members.delete(f.old!)) members.add(f.new!);
    }
    const listed = new Set(after.map((m) => m.nick));
    const missing = [...members].filter((n) => !listed.has(n));
    const extra = [...listed].filter((n) => !members.has(n));
    if (missing.length + extra.length > 0) {
      violations.push(
        `${client.user}'s events say ${client.home} has ${[...members].sort().join(' ')}, but WHO lists ${[...listed].sort().join(' ')}` +
          `${missing.length > 0 ? ` (missing: ${missing.join(' ')})` : ''}${extra.length > 0 ? ` (not a member by the events: ${extra.join(' ')})` : ''}`,
      );
    }
  }
  const occupied = new Set<string>();
  for (const client of log.clients) {
    for (const [channel, stretches] of memberships(client).member) if (stretches.some(([, to]) => to === Number.POSITIVE_INFINITY)) occupied.add(channel);
  }
  const listed = new Set(log.listAfter.channels.filter((c) => log.channels.includes(c)));
  for (const channel of log.channels) {
    if (occupied.has(channel) && !listed.has(channel)) violations.push(`LIST (asked by ${log.listAfter.user}) leaves out ${channel}, which still has members`);
    if (!occupied.has(channel) && listed.has(channel)) violations.push(`LIST (asked by ${log.listAfter.user}) shows ${channel}, which every member has left`);
  }
  return violations;
}

/** No channel message reaches a user who is not a member of that channel at that moment. */
export function checkNonMembers(log: StormLog): string[] {
  const violations: string[] = [];
  for (const client of log.clients) {
    const timeline = memberships(client);
    for (const m of messagesOf(client)) {
      if (memberAt(timeline, m.channel, m.unit.seq)) continue;
      const was = timeline.member.get(m.channel);
      violations.push(`${client.user} received ${msgName(m.sender, m.n, m.channel)} while not a member of ${m.channel}${was ? ' (it had left or been kicked before)' : ' (it never joined)'}`);
    }
  }
  return violations;
}

/**
 * Nothing is delivered after a QUIT: the quitting user gets nothing after the reply to its BYE, and no
 * one receives a message from a user after that user's QUIT.
 */
export function checkAfterQuit(log: StormLog): string[] {
  const violations: string[] = [];
  for (const client of log.clients) {
    if (client.quitSeq !== undefined) {
      const late = client.received.filter((u) => u.seq > client.quitSeq!);
      if (late.length > 0) violations.push(`${client.user} quit, then still received ${late.map((u) => JSON.stringify(u.text)).join(', ')}`);
    }
    const quit = new Map<string, number>();
    for (const u of client.received) {
      if (u.event === 'quit' && u.fields?.nick !== undefined) quit.set(u.fields.nick, u.seq);
      const from = u.event === 'message' ? u.fields?.from : undefined;
      if (from !== undefined && quit.has(from)) violations.push(`${client.user} received ${JSON.stringify(u.text)} from ${from} after ${from}'s QUIT`);
    }
  }
  return violations;
}

/** The invariants by the words the feature uses for them (steps/load.steps.ts). */
export const INVARIANTS = {
  delivery: checkDelivery,
  owner: checkOneOwner,
  views: checkViews,
  nonMembers: checkNonMembers,
  afterQuit: checkAfterQuit,
} as const satisfies Record<string, (log: StormLog) => string[]>;

export type InvariantName = keyof typeof INVARIANTS;

/** One failure message: the rule, the first violations, how many, and the seed that replays the storm. */
export function describeViolations(rule: string, violations: readonly string[], log: StormLog, shown = 12): string {
  const lines = violations.slice(0, shown).map((v) => `  - ${v}`);
  if (violations.length > shown) lines.push(`  - ... and ${violations.length - shown} more`);
  return `${rule}: ${violations.length} violation(s) after a storm of ${log.clients.length} users (seed ${log.seed}; --seed ${log.seed} replays the same choices):\n${lines.join('\n')}`;
}
