/**
 * A load storm (@load scenarios): tens of users JOIN, LEAVE, KICK, GRANT, change NICK, talk and QUIT at
 * the same time in a few channels, through the scenario's Session (so through the profile, like every
 * other step). Nothing is checked while it runs, except that every command gets an answer in time; what
 * each user did (its commands, their outcome, the arrival number of each reply) and everything each user
 * received (numbered in arrival order) is logged, and the invariants (invariants.ts) are checked on the
 * log afterwards: they must hold whatever the interleaving.
 *
 * The users:
 * - stayers (a few per channel) join their channel before the storm and never leave it; nobody kicks
 *   them. They talk, grant admin to movers and kick them, and they are the witnesses: they saw the whole storm from
 *   inside their channel (the first of them inherits it when its founder leaves).
 * - movers do everything else. One founder per channel creates it before the storm and leaves first
 *   (so ownership passes on while the others act); every third mover quits half-way.
 *
 * The choices come from a seeded PRNG: the seed is noted in the transcript, and --seed replays the same
 * choices (the interleaving, decided by the server and the network, may still differ).
 */
import { prng, type Random } from './prng.ts';
import type { CommandName, Member, ReceivedUnit, Session } from '../session/session-api.ts';

export interface StormSize {
  users: number;
  channels: number;
  /** Stayers per channel. */
  stayers: number;
  /** Actions per mover (and messages per stayer). */
  rounds: number;
  seed: number;
}

/** One command a user sent during the scenario, and how the server answered it. */
export interface CommandRecord {
  command: CommandName;
  ok: boolean;
  code?: string;
  /** The channel the reply names (or the one the user was known to be in, for a profile whose reply does not say). */
  channel?: string;
  /** The user's nick after a successful NICK (real). */
  nick?: string;
  /** Who a successful KICK removed (real nick). */
  target?: string;
  /** For a plain message: its number in `load <user> <n>`. */
  msg?: number;
  /** Arrival number of the reply on the user's connection. */
  seq: number;
}

export interface ClientLog {
  /** Logical name (the one in message texts). */
  user: string;
  stays: boolean;
  /** The channel a stayer stays in, a mover's favourite (real). */
  home: string;
  /** Real nick at registration. */
  firstNick: string;
  commands: CommandRecord[];
  /** Everything received from the start of the storm on, in arrival order. */
  received: ReceivedUnit[];
  /** Arrival number of the reply to the user's BYE, when it quit. */
  quitSeq?: number;
}

export interface StormLog {
  seed: number;
  /** The storm's channels (real names): one per group of stayers, then the side channel. */
  channels: string[];
  clients: ClientLog[];
  /** WHO of each stayer's channel, as that stayer saw it just before the storm and just after. */
  whoBefore: Map<string, Member[]>;
  whoAfter: Map<string, Member[]>;
  /** LIST after the storm, by the first stayer. */
  listAfter: { user: string; channels: string[] };
}

/** The text of message `n` of `user`: unique in the run, and says who sent it whatever the sender's nick. */
export function loadText(user: string, n: number): string {
  return `load ${user} ${n}`;
}

export function parseLoadText(text: string): { user: string; n: number } | undefined {
  const m = /^load (\S+) (\d+)$/.exec(text);
  return m ? { user: m[1]!, n: Number(m[2]) } : undefined;
}

/** The scale knob (--load-scale) multiplies the users; channels and rounds stay as the scenario says. */
export function scaled(size: Omit<StormSize, 'seed'>, scale: number): Omit<StormSize, 'seed'> {
  return { ...size, users: Math.max(size.users, Math.round(size.users * scale)) };
}

class Actor {
  readonly log: ClientLog;
  current: string | undefined;
  private said = 0;
  private nicks = 0;

  constructor(
    private readonly session: Session,
    user: string,
    stays: boolean,
    home: string,
  ) {
    this.log = { user, stays, home, firstNick: session.nick(user), commands: [], received: [] };
  }

  get user(): string {
    return this.log.user;
  }

  async run(command: CommandName, args: Record<string, string | undefined> = {}): Promise<CommandRecord> {
    const reply = await this.session.run(this.user, command, args);
    const record: CommandRecord = { command, ok: reply.ok, seq: this.session.lastReplySeq(this.user) };
    if (reply.code !== undefined) record.code = reply.code;
    if (reply.ok && command === 'join') this.current = reply.fields.channel ?? args.channel;
    if (reply.ok && command === 'leave') {
      record.channel = reply.fields.channel ?? this.current;
      this.current = undefined;
    }
    if (command === 'join' && reply.ok) record.channel = this.current;
    if (command === 'say') {
      const channel = reply.ok ? (reply.fields.channel ?? this.current) : undefined;
      if (channel !== undefined) record.channel = channel;
    }
    if (command === 'nick' && reply.ok) record.nick = reply.fields.new ?? args.nick;
    if (command === 'kick' && reply.ok) {
      const target = reply.fields.nick ?? args.nick;
      if (target !== undefined) record.target = target;
      record.channel = reply.fields.channel ?? this.current;
    }
    if (command === 'bye' && reply.ok) this.log.quitSeq = record.seq;
    this.log.commands.push(record);
    return record;
  }

  async say(): Promise<void> {
    this.said += 1;
    const record = await this.run('say', { text: loadText(this.user, this.said) });
    record.msg = this.said;
  }

  nextNick(): string {
    this.nicks += 1;
    return this.session.nick(`${this.user}n${this.nicks}`);
  }
}

/** Run the storm and log it. Throws (the scenario fails) when a command gets no answer in time. */
export async function runStorm(session: Session, size: StormSize): Promise<StormLog> {
  const random = prng(size.seed);
  const channels = Array.from({ length: size.channels }, (_, i) => session.channel(`#load${i + 1}`));
  const side = session.channel('#loadside');
  const stayers: Actor[] = [];
  const movers: Actor[] = [];
  for (const [c, channel] of channels.entries()) {
    for (let k = 1; k <= size.stayers; k++) stayers.push(new Actor(session, `s${c + 1}x${k}`, true, channel));
  }
  const moverCount = Math.max(size.channels, size.users - stayers.length);
  for (let i = 0; i < moverCount; i++) movers.push(new Actor(session, `m${i + 1}`, false, channels[i % channels.length]!));
  const everyone = [...stayers, ...movers];
  const nickOf = new Map<string, string>(everyone.map((a) => [a.user, a.log.firstNick]));

  // Set-up: founders create the channels, stayers join after them; nothing is checked but the replies.
  await Promise.all(everyone.map((a) => session.register(a.user).then((r) => must(r.ok, `${a.user} could not register: ${r.raw}`))));
  const founders = movers.slice(0, channels.length);
  await Promise.all(
    channels.map(async (channel, c) => {
      must((await founders[c]!.run('join', { channel })).ok, `the founder of ${channel} could not create it`);
      for (const s of stayers.filter((a) => a.log.home === channel)) must((await s.run('join', { channel })).ok, `${s.user} could not join ${channel}`);
    }),
  );
  const whoBefore = new Map<string, Member[]>();
  for (const s of stayers) whoBefore.set(s.user, await who(session, s));
  await Promise.all(everyone.map((a) => session.takeReceived(a.user))); // the set-up's events: not part of the storm

  // The storm.
  // Kicks and grants aim at movers who like the same channel: they are often in it.
  const neighbours = (self: Actor): Actor[] => movers.filter((m) => m !== self && m.log.home === self.log.home);
  const moverScript = async (m: Actor, index: number, pick: Random): Promise<void> => {
    const quitsAt = index % 3 === 2 ? Math.floor(size.rounds / 2) + Math.floor(pick() * Math.ceil(size.rounds / 2)) : Number.POSITIVE_INFINITY;
    for (let round = 0; round < size.rounds; round++) {
      if (round === quitsAt) {
        await m.run('bye');
        return;
      }
      if (round === 0) {
        // Founders leave first (ownership passes on), the others come in.
        await (index < channels.length ? m.run('leave') : m.run('join', { channel: m.log.home }));
        continue;
      }
      const r = pick();
      const others = neighbours(m);
      const other = others[Math.floor(pick() * others.length)] ?? m;
      if (r < 0.4) await m.say();
      else if (r < 0.55) await m.run('join', { channel: [m.log.home, side, channels[Math.floor(pick() * channels.length)]!][Math.floor(pick() * 3)]! });
      else if (r < 0.65) await m.run('leave');
      else if (r < 0.75) await m.run('kick', { nick: nickOf.get(other.user)! });
      else if (r < 0.85) await m.run('grant', { nick: nickOf.get(other.user)! });
      else if (r < 0.92) {
        const record = await m.run('nick', { nick: m.nextNick() });
        if (record.ok && record.nick !== undefined) nickOf.set(m.user, record.nick);
      } else await m.say();
    }
  };
  // Stayers talk, and grant admin to movers and kick them now and then (the one that inherited the
  // channel can), so that kicks succeed and movers' own kicks and grants can too.
  const stayerScript = async (s: Actor, pick: Random): Promise<void> => {
    for (let round = 0; round < size.rounds; round++) {
      const others = neighbours(s);
      const other = others[Math.floor(pick() * others.length)];
      if (round % 4 === 1 && other) await s.run('grant', { nick: nickOf.get(other.user)! });
      else if (round % 4 === 3 && other) await s.run('kick', { nick: nickOf.get(other.user)! });
      else await s.say();
    }
  };
  // Each user draws from its own stream, so a user's choices do not depend on the interleaving.
  const streams = everyone.map(() => prng(Math.floor(random() * 2 ** 32)));
  await Promise.all([
    ...stayers.map((s, i) => stayerScript(s, streams[i]!)),
    ...movers.map((m, i) => moverScript(m, i, streams[stayers.length + i]!)),
  ]);

  // Everything each user received, once it has surely all arrived (a quitter: once the server closed it).
  await Promise.all(
    everyone.map(async (a) => {
      if (a.log.quitSeq !== undefined) await session.expectClosed(a.user);
      a.log.received = await session.takeReceived(a.user);
    }),
  );
  const whoAfter = new Map<string, Member[]>();
  for (const s of stayers) whoAfter.set(s.user, await who(session, s));
  const lister = stayers[0]!;
  const listed = await session.list(lister.user);
  must(listed.reply.ok, `${lister.user} could not list the channels: ${listed.reply.raw}`);
  return {
    seed: size.seed,
    channels: [...channels, side],
    clients: everyone.map((a) => a.log),
    whoBefore,
    whoAfter,
    listAfter: { user: lister.user, channels: listed.channels },
  };
}

async function who(session: Session, actor: Actor): Promise<Member[]> {
  const { reply, members } = await session.who(actor.user);
  must(reply.ok, `${actor.user} could not list the members of ${actor.log.home}: ${reply.raw}`);
  return members;
}

function must(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
