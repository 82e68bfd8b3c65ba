/**
 * One scenario's Session (harness/session/session-api.ts): logical names mapped to unique real names, the
 * scenario's connections, and every action rendered and recognised through the dialect profile.
 *
 * Soundness of negative checks: `expectNoEvent` relies on PROTOCOL.md §2.1. The caller has already
 * awaited the actor's final reply, so every event the actor's command caused was queued to its
 * recipients before the server processes any later line; the barrier request sent now by the
 * observing user is answered after those events, on the same TCP connection, in order. Once the
 * barrier's answer is in, "not among the received units" means "not sent". Without a barrier (or
 * with forceQuiet) the check waits until the scenario has sent nothing for a quiet period instead, and
 * says so in its message: a period learned from the server's reply latency (harness/wire/quiet-wait.ts), or
 * the configured one with fixedQuiet.
 */
import { randomBytes } from 'node:crypto';
import { setImmediate as nextLoopTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  NotGradableError,
  VariantNotGradableError,
  type Capability,
  type CommandName,
  type EventName,
  type ExpectedEvent,
  type HarnessParameters,
  type Member,
  type ReceivedUnit,
  type Reply,
  type Session,
} from './session-api.ts';
import { Dialect, type Fields, type ReadNeed, type ReplyUnit } from '../dialect/dialect.ts';
import { ConsoleDialect } from '../dialect/console.ts';
import { COMMAND_FACTS } from '../../common/commands.ts';
import { loadProfile } from '../dialect/load-profile.ts';
import type { Profile } from '../dialect/profile-types.ts';
import { Memberships } from './memberships.ts';
import { NameMap } from './names.ts';
import type { Variants } from '../dialect/variants.ts';
import { clientCommand } from '../wire/process-link.ts';
import { QuietWait, sharedQuietWait } from '../wire/quiet-wait.ts';
import { ExpectationError, TestClient, type Matcher } from '../wire/test-client.ts';
import { ARROWS, Transcript, escapeInvisible } from '../wire/transcript.ts';

/** How long a connection that gave no reply gets to answer a barrier request (probeSilence). */
const SILENCE_PROBE_MS = 2000;

export interface SessionOptions {
  /** An already compiled profile (tests); default: loadProfile(params.profile). */
  profile?: Profile;
  /** Name suffix (tests); default: a fresh random one. */
  nameSuffix?: string;
  /** Connect timeout, ms; default: params.timeoutMs. */
  connectTimeoutMs?: number;
  /** What the quiet waits learn and use (tests); default: the process's shared one. */
  quietWait?: QuietWait;
  /**
   * Where each new connection goes, asked at every connect; default: params.target. The steps' World passes
   * its own: a scenario's target changes (a restart, a limited instance) while the run's parameters do not.
   */
  target?: () => HarnessParameters['target'];
}

export function createSession(params: HarnessParameters, options: SessionOptions = {}): Session {
  return new ScenarioSession(params, options);
}

let barrierCounter = 0;
/**
 * The least wait after a console line (consoleWaitMs): a server reads its console on another input than its
 * sockets (a thread, a select on stdin), so a margin above the socket latency it was learned from.
 */
export const CONSOLE_FLOOR_MS = 100;

/** Requests per write in sendRepeatedly: small writes, so a close is noticed soon after it happens. */
const REPEAT_BATCH = 100;


class ScenarioSession implements Session {
  private readonly dialect: Dialect;
  /** Built on first use: only the console steps need it, and a profile without console makes it throw. */
  private console: ConsoleDialect | undefined;
  private readonly names: NameMap;
  private readonly log = new Transcript();
  private readonly clients = new Map<string, TestClient>();
  /** Each user's channels, as the scenario's successful commands tell (lobby, course variants). */
  private readonly memberships = new Memberships();
  /** Channels each user left before saying goodbye, under the course variant bye=leave-first. */
  private readonly leftFirst = new Map<string, string[]>();
  /** The last line sent by each user, to say what a reply answers. */
  private readonly lastSent = new Map<string, string>();
  /** Per user: the client's requestMark() just before its last request was sent. */
  private readonly requestMarks = new Map<string, number>();
  /** Barrier tokens sent in this scenario (replaced in comparableTranscript: they differ run to run). */
  private readonly barrierTokens: string[] = [];
  /** Users whose last raw write ended in the middle of a line (no barrier may be sent to them). */
  private readonly midLine = new Set<string>();
  private readonly quiet: QuietWait;
  /** When this scenario last sent, connected or dropped anything (what a quiet wait counts from). */
  private lastStimulusAt = 0;
  /** When each user last sent a line (what a reply's latency counts from). */
  private readonly sentAt = new Map<string, number>();
  /** Connections judged quiet and not stimulated since: data arriving on them is a late reply. */
  private readonly quietWatch = new Map<TestClient, () => void>();
  /** Silent successes concluded after a wait shorter than the ceiling: when the quiet wait ended. */
  private readonly tentative = new WeakMap<Reply, { client: TestClient; since: number }>();

  constructor(
    private readonly params: HarnessParameters,
    private readonly options: SessionOptions,
  ) {
    this.dialect = new Dialect(options.profile ?? loadProfile(params.profile));
    this.names = new NameMap(options.nameSuffix, this.dialect.profile.names);
    this.quiet = options.quietWait ?? sharedQuietWait;
    this.quiet.configure({ quietMs: params.quietMs, ceilingMs: Math.max(params.quietMs, Math.floor(params.timeoutMs / 2)), adaptive: !params.fixedQuiet });
  }

  /** Each user is a client program (--client), or the forecast of such a run (HarnessParameters.asIfClientDriven). */
  private get clientDriven(): boolean {
    return this.params.client !== undefined || this.params.asIfClientDriven === true;
  }

  // ---- names ------------------------------------------------------------------------------

  nick(logical: string): string {
    return this.names.nick(logical);
  }

  channel(logical: string): string {
    return this.names.channel(logical);
  }

  logical(real: string): string {
    return this.names.logical(real);
  }

  // ---- connections ------------------------------------------------------------------------

  async connect(user: string): Promise<void> {
    if (this.clients.get(user)?.isOpen) return;
    const profile = this.dialect.profile;
    const common = {
      user,
      transcript: this.log,
      framing: profile.framing,
      stripAnsi: profile.stripAnsi,
      idleMs: profile.idleMs,
      sendPauseMs: profile.sendPauseMs,
      ...(profile.split !== undefined || profile.expand.length > 0 ? { unitTransform: (unit: string) => this.dialect.units(unit) } : {}),
    };
    const { host, port } = this.options.target?.() ?? this.params.target;
    this.stimulus();
    const client =
      this.params.client !== undefined
        ? await TestClient.spawn({ ...common, command: clientCommand(this.params.client, host, port), ...(this.params.sandbox ? { sandbox: this.params.sandbox } : {}) })
        : await TestClient.connect({ ...common, host, port, connectTimeoutMs: this.options.connectTimeoutMs ?? this.params.timeoutMs });
    this.clients.set(user, client);
    this.requestMarks.delete(user); // a new connection: nothing requested on it yet
    if (profile.greeting.length === 0) return;
    // A refusal instead of the greeting (banned, server full) is left for nextReply/expectClosed.
    const greeting = this.dialect.patternMatcher(profile.greeting);
    const refusal = this.dialect.errorMatcher();
    await client.expect<unknown>(
      (text) => greeting(text) ?? (refusal(text) ? { value: undefined, keep: true } : null),
      { timeoutMs: this.params.timeoutMs, description: `the server's greeting (${profile.greeting.map((p) => p.source).join(' or ')})` },
    );
  }

  async register(user: string, realNick?: string): Promise<Reply> {
    await this.connect(user);
    const client = this.client(user);
    const nick = realNick ?? this.names.nick(user);
    const steps = this.dialect.profile.register;
    let reply: Reply | undefined;
    for (const step of steps) {
      if (step.kind === 'send') {
        await this.sendLine(client, this.dialect.renderRegisterStep(step.template, nick));
        reply = undefined;
        continue;
      }
      const patterns = this.dialect.registerPatterns(step, nick);
      const expected = this.dialect.patternMatcher(patterns);
      const refusal = this.dialect.errorMatcher();
      const unit = await client.expect<ReplyUnit | { kind: 'expected'; fields: Fields; raw: string }>(
        (text) => {
          const found = expected(text);
          if (found) return { ...found, value: { kind: 'expected', fields: found.value, raw: text } };
          return refusal(text);
        },
        {
          timeoutMs: this.params.timeoutMs,
          description: `the answer to registering as "${nick}" (${patterns.map((p) => p.source).join(' or ')})`,
          after: this.afterRequest(client),
        },
      );
      this.replyArrived(client);
      if (unit.kind === 'error') return toReply(unit, []);
      reply = { ok: true, fields: unit.fields, data: [], raw: unit.raw };
    }
    // A script that ends with a send: the dialect answers a successful registration with silence.
    reply ??= await this.silentOutcome(client);
    if (reply.ok && realNick !== undefined) this.names.bindNick(user, realNick);
    return reply;
  }

  async run(user: string, command: CommandName, args: Record<string, string | undefined> = {}): Promise<Reply> {
    this.requireLobbyFor(user, command, args);
    if (command === 'bye') await this.leaveBeforeGoodbye(user);
    return this.execute(user, command, args);
  }

  /** Send one command and read its outcome; the lobby and variant rules are run()'s. */
  private async execute(user: string, command: CommandName, args: Record<string, string | undefined>): Promise<Reply> {
    const line = this.dialect.render(command, args); // NotGradableError before anything is sent
    const client = this.client(user);
    await this.sendLine(client, line);
    const reply = this.dialect.command(command).silent
      ? await this.silentOutcome(client)
      : await this.finalReply(client, command, `the reply to "${line.trimEnd()}"`);
    if (reply.ok && (command === 'nick' || command === 'register') && args.nick !== undefined) this.names.bindNick(user, args.nick);
    if (reply.ok) this.memberships.succeeded(user, command, args, (nick) => this.userOfNick(nick));
    if (reply.ok && command === 'bye') this.memberships.gone(user);
    return reply;
  }

  private userOfNick(nick: string): string | undefined {
    const logical = this.names.logical(nick);
    return this.clients.has(logical) ? logical : undefined;
  }

  /**
   * Course variant bye=leave-first (harness/dialect/variants.ts): the server refuses /BYE inside a
   * channel, so the user leaves every channel the scenario saw them join (the current one first, then
   * each other one made current), then says goodbye. Not gradable when the profile cannot switch channel.
   */
  private async leaveBeforeGoodbye(user: string): Promise<void> {
    const variants = this.dialect.profile.variants;
    if (variants.bye !== 'leave-first') return;
    const left: string[] = [];
    for (const channel of this.memberships.channels(user)) {
      // A refusal means the server no longer counts the user in that channel (kicked by someone whose
      // command this Session did not see, renamed...): nothing to leave there. The goodbye says the rest.
      if (this.memberships.inLobby(user) && !(await this.run(user, 'current', { channel })).ok) continue;
      if ((await this.run(user, 'leave')).ok) left.push(channel);
    }
    if (left.length > 0) this.leftFirst.set(user, left);
  }

  leftBeforeGoodbye(user: string): string[] {
    return this.leftFirst.get(user) ?? [];
  }

  variants(): Variants {
    return this.dialect.profile.variants;
  }

  defaultChannel(): string | undefined {
    return this.dialect.profile.defaultChannel;
  }

  async runAll(user: string, command: CommandName, argsList: ReadonlyArray<Record<string, string | undefined>>): Promise<Reply> {
    if (!this.dialect.command(command).silent || argsList.length < 2) {
      let last: Reply = { ok: true, fields: {}, data: [], raw: '' };
      for (const args of argsList) {
        last = await this.run(user, command, args);
        if (!last.ok) return last;
      }
      return last;
    }
    for (const args of argsList) this.requireLobbyFor(user, command, args);
    const lines = argsList.map((args) => this.dialect.render(command, args)); // NotGradableError before anything is sent
    const client = this.client(user);
    let firstMark = 0;
    for (const [i, line] of lines.entries()) {
      // About one reply latency apart, so a server that handles one read as one command reads them one by one.
      if (i > 0) await sleep(this.quiet.paceMs());
      await this.sendLine(client, line);
      if (i === 0) firstMark = this.afterRequest(client);
    }
    this.requestMarks.set(user, firstMark); // a refusal of any of the lines counts, not only of the last
    const reply = await this.silentOutcome(client);
    if (reply.ok) for (const args of argsList) this.memberships.succeeded(user, command, args, (nick) => this.userOfNick(nick));
    return reply;
  }

  async recheck(user: string, reply: Reply): Promise<Reply> {
    const tentative = this.tentative.get(reply);
    if (tentative === undefined) return reply;
    this.tentative.delete(reply);
    const { client, since } = tentative;
    await quietUntil(this.lastStimulusAt + this.quiet.ceilingMs);
    const error = client.takeNow(this.dialect.errorMatcher(), this.afterRequest(client));
    if (!error) return reply;
    this.log.note(user, `a refusal arrived ${Date.now() - since} ms after the quiet wait ended: the silent "success" was a refusal`);
    return toReply(error, []);
  }

  /**
   * A dialect without a lobby puts a new user in its default channel, so what a scenario means by
   * "in the lobby" (no current channel) cannot happen there: a channel command before the user's
   * first join is not gradable, rather than a misleading pass or fail.
   */
  private requireLobbyFor(user: string, command: CommandName, args: Record<string, string | undefined>): void {
    const profile = this.dialect.profile;
    if (profile.lobby || !this.memberships.inLobby(user)) return;
    // PROTOCOL.md §4.1: the catalogue says which commands act on the current channel, some only without their optional argument (/CURRENT).
    const { channel, optional = [] } = COMMAND_FACTS[command];
    const needsChannel = channel === true || (channel === 'without-argument' && optional.every((arg) => args[arg] === undefined));
    if (!needsChannel) return;
    if (profile.variants.lobby === 'default-channel') {
      throw new VariantNotGradableError(
        'lobby',
        `profile "${this.dialect.name}" declares the course variant lobby=default-channel (users start in ${profile.defaultChannel ?? 'a default channel'}, where chat works), so "${command}" from the lobby cannot be refused there: not graded`,
      );
    }
    throw new NotGradableError(
      `profile "${this.dialect.name}" has no lobby (users start in ${profile.defaultChannel ?? 'a default channel'}), so "${command}" before ${user}'s first join cannot be graded`,
    );
  }

  async msg(user: string, nicks: readonly string[], text: string): Promise<Reply> {
    const separator = this.dialect.command('msg').nickSeparator;
    if (nicks.length > 1 && separator === undefined) {
      throw new NotGradableError(`profile "${this.dialect.name}" cannot express a private message to several users (no commands.msg.nickSeparator)`);
    }
    return this.run(user, 'msg', { nicks: nicks.join(separator ?? ''), text });
  }

  async who(user: string, options: { inLobbyChannel?: boolean } = {}): Promise<{ reply: Reply; members: Member[] }> {
    if (!this.dialect.profile.who) throw new NotGradableError(`profile "${this.dialect.name}" cannot read a WHO reply (no "who" section)`);
    const reply = options.inLobbyChannel ? await this.execute(user, 'who', {}) : await this.run(user, 'who');
    return { reply, members: reply.ok ? this.dialect.parseMembers(reply.fields, reply.data) : [] };
  }

  async list(user: string): Promise<{ reply: Reply; channels: string[] }> {
    if (!this.dialect.profile.list) throw new NotGradableError(`profile "${this.dialect.name}" cannot read a LIST reply (no "list" section)`);
    const reply = await this.run(user, 'list');
    const channels = reply.ok ? this.dialect.parseChannels(reply.fields, reply.data) : [];
    // Course variant lobby=default-channel: the lobby is a channel of the server, not one of the scenario's.
    const lobby = this.dialect.profile.variants.lobby === 'default-channel' ? this.dialect.profile.defaultChannel : undefined;
    return { reply, channels: lobby === undefined ? channels : channels.filter((c) => c !== lobby) };
  }

  async sendRaw(
    user: string,
    data: string | Uint8Array,
    options: { pauseMsBetweenParts?: number; parts?: Array<string | Uint8Array> } = {},
  ): Promise<void> {
    if (this.clientDriven) {
      throw new NotGradableError('literal wire lines cannot be sent in client-driven mode (--client): the client program owns the wire');
    }
    if (!this.dialect.profile.rawWire) {
      throw new NotGradableError(`profile "${this.dialect.name}" does not allow literal wire lines (capabilities.rawWire is false)`);
    }
    await this.connect(user);
    const client = this.client(user);
    this.lastSent.set(user, typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    this.requestMarks.set(user, client.requestMark());
    const written = [...(options.parts ?? [data])].reverse().find((part) => part.length > 0);
    if (written !== undefined) {
      const last = typeof written === 'string' ? written.at(-1) : written.at(-1) === 0x0a ? '\n' : '';
      if (last === '\n') this.midLine.delete(user);
      else this.midLine.add(user);
    }
    this.sent(client);
    if (options.parts) await client.sendParts(options.parts, options.pauseMsBetweenParts ?? 0);
    else await client.send(data);
    this.sent(client); // the last part is what a reply answers
  }

  nextReply(user: string): Promise<Reply> {
    const last = this.lastSent.get(user);
    const description = last === undefined ? 'a final reply' : `the reply to "${escapeInvisible(last.trimEnd()).slice(0, 80)}"`;
    return this.finalReply(this.client(user), undefined, description);
  }

  // ---- events -----------------------------------------------------------------------------

  async expectEvent(user: string, event: EventName, fields: Record<string, string> = {}): Promise<Record<string, string>> {
    const matcher = this.dialect.eventMatcher(event, fields);
    return this.client(user).expect(matcher, {
      timeoutMs: this.params.timeoutMs,
      description: `a "${event}" event${this.describeFields(fields)}`,
    });
  }

  async expectEventsInOrder(user: string, events: readonly ExpectedEvent[]): Promise<Array<Record<string, string>>> {
    const matchers = events.map(({ event, fields }) => this.dialect.eventMatcher(event, fields)); // NotGradableError first
    const what = ({ event, fields }: ExpectedEvent) => `a "${event}" event${this.describeFields(fields ?? {})}`;
    const client = this.client(user);
    const seen: Array<Record<string, string>> = [];
    for (const [i, expected] of events.entries()) {
      const wanted = matchers[i]!;
      // The first unit that shows this event OR a later one decides: a later one first is out of order.
      const inOrder: Matcher<Record<string, string>> = (text) => {
        const found = wanted(text);
        for (const [j, later] of matchers.entries()) {
          if (j <= i) continue;
          const early = later(text);
          if (early && (!found || (early.index ?? 0) < (found.index ?? 0))) {
            throw new Error(`received "${escapeInvisible(text).slice(0, 200)}" (${what(events[j]!)}) before ${what(expected)}: PROTOCOL.md §2.2 requires the opposite order`);
          }
        }
        return found;
      };
      const after = i === 0 ? '' : `, after ${what(events[i - 1]!)}`;
      seen.push(await client.expect(inOrder, { timeoutMs: this.params.timeoutMs, description: `${what(expected)}${after}` }));
    }
    return seen;
  }

  async expectNoEvent(user: string, event?: EventName, fields: Record<string, string> = {}): Promise<void> {
    if (event !== undefined) this.dialect.eventPatterns(event); // NotGradableError first
    const client = this.client(user);
    const how = await this.settle(client);
    for (const unit of client.unconsumed()) {
      const seen = event !== undefined ? (this.dialect.matchEvent(event, unit, fields) && event) : this.dialect.anyEvent(unit, fields)?.event;
      if (!seen) continue;
      const wanted = event === undefined ? `any event${this.describeFields(fields)}` : `a "${event}" event${this.describeFields(fields)}`;
      throw new ExpectationError(
        `${user} should not have received ${wanted}, but received "${escapeInvisible(unit)}" (a "${seen}" event; checked ${how}).\n` +
          recentLinesText(client),
      );
    }
  }

  async discardReceived(user?: string): Promise<void> {
    const candidates = user === undefined ? [...this.clients.values()] : [this.client(user)];
    // A user who stopped reading would never see a barrier's answer: nothing of theirs is checked anyway.
    const ready = candidates.filter((client) => client.isOpen && client.isReading && !this.midLine.has(client.user));
    await Promise.all(
      ready.map(async (client) => {
        try {
          await this.settle(client);
        } catch (error) {
          if (client.isOpen) throw error; // closed meanwhile (quit, killed, refused): nothing to settle
        }
      }),
    );
    for (const client of ready) client.discardUnconsumed();
  }

  async expectClosed(user: string): Promise<void> {
    await this.client(user).waitClosed(this.params.timeoutMs);
  }

  async stopReading(user: string): Promise<void> {
    if (this.clientDriven) {
      throw new NotGradableError('a client program cannot be made to stop reading (--client): the harness reads its output through a pipe');
    }
    await this.connect(user);
    this.client(user).stopReading();
  }

  async sendRepeatedly(user: string, command: CommandName, args: Record<string, string | undefined>, count: number): Promise<{ sent: number; closed: boolean }> {
    const line = this.dialect.render(command, args); // NotGradableError before anything is sent
    const client = this.client(user);
    this.lastSent.set(user, line);
    this.midLine.delete(user);
    this.sent(client);
    const perBatch = Math.max(1, Math.min(count, REPEAT_BATCH));
    const batch = Buffer.from(line.repeat(perBatch), 'utf8');
    let sent = 0;
    while (sent < count && client.isOpen) {
      const n = Math.min(perBatch, count - sent);
      const bytes = n === perBatch ? batch : Buffer.from(line.repeat(n), 'utf8');
      try {
        await client.sendBulk(bytes, `sends ${JSON.stringify(line.trimEnd())} ${n} times (${sent + n} of ${count})`, this.params.timeoutMs);
      } catch {
        // A failed write means the server closed the connection (the point of this); a stalled one that
        // it stopped taking input. Either way sending more is pointless: the Then steps judge the outcome.
        break;
      }
      sent += n;
      this.sent(client);
      await sleep(0); // let a close be noticed before the next batch
    }
    return { sent, closed: !client.isOpen };
  }

  async takeReceived(user: string): Promise<ReceivedUnit[]> {
    if (this.dialect.profile.framing !== 'lines') {
      throw new NotGradableError(`profile "${this.dialect.name}" frames by stream: the lines a user received cannot be numbered`);
    }
    const client = this.client(user);
    if (client.isOpen) await this.settle(client);
    const units = client.unconsumedNumbered().map(({ seq, text }): ReceivedUnit => {
      const seen = this.dialect.anyEvent(text);
      return seen ? { seq, text, event: seen.event, fields: seen.found.fields } : { seq, text };
    });
    client.discardUnconsumed();
    return units;
  }

  lastReplySeq(user: string): number {
    return this.client(user).lastConsumedSeq;
  }

  isConnected(user: string): boolean {
    return this.clients.get(user)?.isOpen ?? false;
  }

  async drop(user: string): Promise<void> {
    this.stimulus(); // the others may be told that user quit
    this.clients.get(user)?.destroy();
  }

  noteOutsideAction(): void {
    this.stimulus();
  }

  consoleWaitMs(): number {
    return Math.max(Math.min(CONSOLE_FLOOR_MS, this.params.quietMs), this.quiet.waitMs());
  }

  commandWord(command: CommandName): string {
    return this.dialect.commandWord(command);
  }

  consoleDialect(): ConsoleDialect {
    this.console ??= new ConsoleDialect(this.dialect);
    return this.console;
  }

  unreadable(need: ReadNeed): string | undefined {
    return this.dialect.unreadable(need);
  }

  requireCapability(capability: Capability): void {
    const profile = this.dialect.profile;
    const has: Record<Capability, boolean> = {
      lobby: profile.lobby,
      rawWire: profile.rawWire,
      errorCodes: profile.errorCodes,
      barrier: profile.barrier !== undefined,
    };
    if (!has[capability]) {
      throw new NotGradableError(`profile "${this.dialect.name}" lacks the capability "${capability}" this step needs`);
    }
  }

  async closeAll(): Promise<void> {
    this.stopWatching();
    for (const client of this.clients.values()) {
      try {
        client.destroy();
      } catch {
        // closeAll never throws: the scenario's outcome is already decided.
      }
    }
    this.clients.clear();
  }

  transcript(maxChars?: number): string {
    return this.log.render(maxChars);
  }

  comparableTranscript(): string[] {
    const suffix = `_${this.names.suffix}`;
    const greeting = this.dialect.patternMatcher(this.dialect.profile.greeting);
    const refusal = this.dialect.errorMatcher();
    const plain = (text: string): string => {
      let out = text.split(suffix).join('');
      for (const token of this.barrierTokens) out = out.split(token).join('<barrier>');
      return out.replace(/\b\d{1,3}(?:\.\d{1,3}){3}:\d+\b/g, '<server>');
    };
    return this.log.lines().map(({ user, direction, text }) => {
      let shown = plain(text);
      if (direction === 'recv') {
        const error = refusal(text)?.value;
        if (error?.kind === 'error') shown = `(error reply${error.code !== undefined ? ` ${error.code}` : ''})`;
        else if (this.dialect.profile.greeting.length > 0 && greeting(text)) shown = '(greeting)';
      }
      return `${user} ${ARROWS[direction]} ${direction === 'note' ? `(${shown})` : escapeInvisible(shown)}`;
    });
  }

  // ---- internals --------------------------------------------------------------------------

  private client(user: string): TestClient {
    const client = this.clients.get(user);
    if (!client) throw new Error(`${user} has no connection in this scenario (connect or register ${user} first)`);
    return client;
  }

  private async sendLine(client: TestClient, line: string): Promise<void> {
    this.lastSent.set(client.user, line);
    this.midLine.delete(client.user);
    this.requestMarks.set(client.user, client.requestMark());
    this.sent(client);
    await client.send(line);
  }

  /** Replies are looked for only after the last request's mark: what came before cannot answer it. */
  private afterRequest(client: TestClient): number {
    return this.requestMarks.get(client.user) ?? 0;
  }

  /** Something this scenario did may make the server send: quiet waits count from now, nothing is late. */
  private stimulus(): void {
    this.lastStimulusAt = Date.now();
    this.stopWatching();
  }

  /** `client` sent a line: its next reply's latency counts from now. */
  private sent(client: TestClient): void {
    this.stimulus();
    this.sentAt.set(client.user, this.lastStimulusAt);
  }

  /** The reply to `client`'s last line was just recognised: one latency sample. */
  private replyArrived(client: TestClient): void {
    const at = this.sentAt.get(client.user);
    if (at === undefined) return;
    this.sentAt.delete(client.user); // one sample per line sent
    // A client program that had printed nothing when the line was typed may still have been starting
    // (a Python or Node start-up: hundreds of ms on a busy machine): that reply time is mostly its own
    // start-up, not how fast the server answers, and counted as latency it made every later quiet wait
    // several times too long. The replies it gives once running are the samples.
    if (client.isProgram && !client.hadOutputBy(at)) return;
    this.quiet.recordLatency(Date.now() - at);
  }

  private stopWatching(): void {
    for (const stop of this.quietWatch.values()) stop();
    this.quietWatch.clear();
  }

  /** After a quiet wait: data on `client` before the scenario does anything else means the wait was too short. */
  private watchForLateData(client: TestClient): void {
    if (this.quietWatch.has(client) || !client.isOpen) return;
    const stop = client.onReceive(() => {
      const late = Date.now() - this.lastStimulusAt;
      this.quiet.recordLateArrival(late);
      this.log.note(client.user, `data arrived ${late} ms after the scenario last sent anything, after a quiet wait had ended: later quiet waits are lengthened`);
      stop();
      this.quietWatch.delete(client);
    });
    this.quietWatch.set(client, stop);
  }

  /** Data lines then the final reply, all within one step timeout. */
  private async finalReply(client: TestClient, command: CommandName | undefined, description: string): Promise<Reply> {
    const matcher = this.dialect.finalReplyMatcher(command);
    const deadline = Date.now() + this.params.timeoutMs;
    const data: Fields[] = [];
    for (;;) {
      let unit: ReplyUnit;
      try {
        unit = await client.expect(matcher, { timeoutMs: Math.max(1, deadline - Date.now()), description, after: this.afterRequest(client) });
      } catch (error) {
        throw await this.probeSilence(client, error);
      }
      if (unit.kind !== 'data') {
        this.replyArrived(client);
        return toReply(unit, data);
      }
      data.push(unit.fields);
    }
  }

  /**
   * A request got nothing at all: does the connection still answer? With a barrier the dialect has, ask
   * once (bounded): an answer means the server ignored the request; none means the connection stopped
   * answering (a handler thread that died while the process lives on), which the barrier's own failure
   * names. Either way the error says which.
   */
  private async probeSilence(client: TestClient, error: unknown): Promise<unknown> {
    if (!(error instanceof ExpectationError) || !client.isOpen || !this.usesBarrier) return error;
    // Events caused by other users (a join, a message) may arrive after the request: they do not answer
    // it, so they must not hide a dead handler (lines framing, where arrivals are numbered).
    const since = this.afterRequest(client);
    const onlyEvents = (): boolean =>
      this.dialect.profile.framing === 'lines' && client.unconsumedNumbered().every((unit) => unit.seq <= since || this.dialect.anyEvent(unit.text) !== undefined);
    const request = client.unansweredSends[0] ?? (onlyEvents() ? client.lastSent : undefined);
    if (request === undefined) return error;
    const token = `b${(barrierCounter++).toString(36)}${randomBytes(3).toString('hex')}`;
    const mark = client.requestMark();
    let clause: string;
    try {
      await client.send(this.dialect.barrierRequest(token));
      await client.expect(this.dialect.barrierMatcher(token), { timeoutMs: Math.min(this.params.timeoutMs, SILENCE_PROBE_MS), description: `the answer to a barrier request (token ${token})`, after: mark });
      clause = ' (the connection still answers: a barrier request sent after it was answered, so the server ignored the request)';
    } catch {
      // Something did arrive, or it closed: the message says so.
      if (!client.isOpen || (client.unansweredSends.length < 2 && !onlyEvents())) return error;
      clause =
        `: the server stopped answering on this connection after ${JSON.stringify(request)}: nothing arrived for it, nor for a barrier ` +
        'request sent after it, and the connection is still open: its handler may have died (an uncaught exception in its thread?)';
    }
    error.message = error.message.replace(/(, but it did not arrive)[^\n]*/, `$1${clause}`);
    return error;
  }

  /**
   * For commands a dialect answers with silence on success: wait until the server has surely
   * processed the line (barrier, else quiet period), then an error reply among the received units
   * means refusal and its absence means success.
   */
  private async silentOutcome(client: TestClient): Promise<Reply> {
    const how = await this.settle(client);
    const refusal = this.dialect.errorMatcher();
    const error = client.takeNow(refusal, this.afterRequest(client));
    if (error) return toReply(error, []);
    const request = client.lastSent === undefined ? '' : ` after ${JSON.stringify(client.lastSent)}`;
    const silence = how === 'after a barrier' ? `nothing arrived${request} before the answer to a barrier request` : `nothing arrived within the quiet period${request} (${how.replace(/^after a quiet period of /, '')})`;
    const reply: Reply = { ok: true, fields: {}, data: [], raw: '', silence };
    // A wait shorter than the ceiling may have missed a slow refusal: `recheck` gives it a second look.
    if (!this.usesBarrier) this.tentative.set(reply, { client, since: Date.now() });
    return reply;
  }

  private get usesBarrier(): boolean {
    return this.dialect.hasBarrier && !this.params.forceQuiet;
  }

  /** Make sure everything the server sent `client` so far has arrived; says how, for messages. */
  private async settle(client: TestClient): Promise<string> {
    if (!client.isReading) throw new Error(`${client.user} stopped reading, so nothing ${client.user} receives can be checked`);
    if (this.usesBarrier) {
      const token = `b${(barrierCounter++).toString(36)}${randomBytes(3).toString('hex')}`;
      this.barrierTokens.push(token);
      await client.send(this.dialect.barrierRequest(token));
      await client.expect(this.dialect.barrierMatcher(token), {
        timeoutMs: this.params.timeoutMs,
        description: `the answer to the barrier request (token ${token})`,
      });
      return 'after a barrier';
    }
    // Quiet: nothing sent by this scenario for a whole wait (what the scenario sent is what the server answers).
    const wait = this.quiet.waitMs();
    const rest = this.lastStimulusAt + wait - Date.now();
    await quietUntil(this.lastStimulusAt + wait);
    this.quiet.noteWait(Math.max(0, rest));
    this.watchForLateData(client);
    return `after a quiet period of ${wait} ms${this.params.fixedQuiet ? '' : ' (learned from the server\'s reply latency)'}`;
  }

  private describeFields(fields: Record<string, string>): string {
    const entries = Object.entries(fields);
    if (entries.length === 0) return '';
    return ` with ${entries.map(([name, value]) => `${name} ${JSON.stringify(this.names.logical(value))}`).join(', ')}`;
  }
}

/**
 * The end of a quiet wait, at `deadline` (epoch ms). A timer fires in the event loop's timers phase, before
 * the loop reads the I/O that arrived while it was busy (a CPU-heavy step, a report being written, another
 * scenario's work): one turn through the poll phase first, so what the server sent before the wait ended
 * is read, not taken for silence. The same when no wait is left: the loop may not have read it yet either.
 */
async function quietUntil(deadline: number): Promise<void> {
  const rest = deadline - Date.now();
  if (rest > 0) await sleep(rest);
  await nextLoopTurn();
}

function toReply(unit: ReplyUnit, data: Fields[]): Reply {
  if (unit.kind === 'error') return { ok: false, code: unit.code, ...(unit.codeUnreadable ? { codeUnreadable: unit.codeUnreadable } : {}), fields: unit.fields, data, raw: unit.raw };
  return { ok: true, fields: unit.fields, data, raw: unit.raw };
}

function recentLinesText(client: TestClient): string {
  const lines = client.recentLines();
  if (lines.length === 0) return `${client.user} received nothing.`;
  return `Last lines received by ${client.user} (oldest first):\n${lines.map((l) => `  <- ${escapeInvisible(l)}`).join('\n')}`;
}
