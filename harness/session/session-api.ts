/**
 * The seam between step definitions and the wire.
 *
 * Step definitions (steps/) speak ONLY through this interface: they name a protocol action or an
 * observable event and its fields; the Session renders it into bytes through the active dialect
 * profile (profiles/*.json) and recognises events in received text through the same profile.
 * No step definition ever contains a wire string.
 *
 * Logical names (alice, #room) are what feature files say; real names are what goes on the wire.
 * The Session maps each logical name to a unique real name per scenario, so scenarios never see
 * each other's users or channels on a shared, long-running target.
 */

import type { ConsoleDialect } from '../dialect/console.ts';
import type { Member, ReadNeed } from '../dialect/dialect.ts';
import type { Variants } from '../dialect/variants.ts';
import type { SandboxSpec } from '../target/sandbox.ts';
import type { CommandName, EventName } from '../../common/commands.ts';

/**
 * Every action a user can perform, and every asynchronous event a user can observe, with their arguments
 * and fields: the command catalogue (common/commands.ts). Arguments and field values are REAL names
 * (use Session.nick / Session.channel); `msg` goes through Session.msg(user, nicks, text), as the profile
 * joins the nicks with its separator; `unknown` sends an unknown command word, to check the error path.
 */
export type { CommandName, EventName } from '../../common/commands.ts';

/** One step of an ordered expectation (Session.expectEventsInOrder). Field values are REAL names. */
export interface ExpectedEvent {
  event: EventName;
  fields?: Record<string, string>;
}

/** The outcome of one command, read from its final reply (and the data lines before it). */
export interface Reply {
  ok: boolean;
  /** Normative error code (canonical), or undefined when the profile cannot tell codes apart. */
  code?: string;
  /** A refusal whose code the profile cannot read (not the server's fault): why, naming the profile field. */
  codeUnreadable?: string;
  /** Fields the profile extracted from the final reply (e.g. channel, role, members, channels). */
  fields: Record<string, string>;
  /** Data lines received before the final reply (HELP, HISTORY, FILEDATA), profile-parsed. */
  data: Array<Record<string, string>>;
  /** The raw final reply text, for messages in assertion errors only. */
  raw: string;
  /**
   * A success concluded from silence (a dialect that answers some commands with nothing): how, for
   * messages ("nothing arrived after a quiet period of 300 ms after \"/KICK bob\"").
   */
  silence?: string;
}

/** One unit a user received (takeReceived), with its arrival number and the event the profile sees in it. */
export interface ReceivedUnit {
  /** Arrival number on this connection: 1 for the first line received. */
  seq: number;
  text: string;
  event?: EventName;
  /** The event's fields (REAL names), when `event` is set. */
  fields?: Record<string, string>;
}

export type { Member } from '../dialect/dialect.ts';
export { NotGradableError, VariantNotGradableError } from '../dialect/not-gradable.ts';

/** What a dialect may or may not offer; see Session.requireCapability. */
export type Capability =
  | 'lobby' // a registered user starts in no channel (else the profile names a default channel)
  | 'rawWire' // scenarios may send literal wire lines (framing, bad input)
  | 'errorCodes' // error replies carry distinguishable codes
  | 'barrier'; // negative checks are proved by a PING/PONG-like barrier instead of a quiet period

export interface Session {
  /** Real nick for a logical user name (stable within the scenario). */
  nick(logical: string): string;
  /** Real channel name for a logical channel name such as "#room" (stable within the scenario). */
  channel(logical: string): string;
  /** Logical name for a real nick or channel, for readable error messages. */
  logical(real: string): string;

  /** Open a TCP connection for `user` and consume the server's greeting, if the profile has one. */
  connect(user: string): Promise<void>;
  /** connect (if needed) + register under nick(user) (or `realNick` when given, e.g. an invalid one). */
  register(user: string, realNick?: string): Promise<Reply>;
  /** Send one command and wait for its final reply (bounded by the step timeout). */
  run(user: string, command: CommandName, args?: Record<string, string | undefined>): Promise<Reply>;
  /**
   * The same command once per element of `argsList`, in order; resolves to the first refusal, or the last
   * success. A command the dialect answers with silence is sent line after line (about one reply latency
   * apart) and settled ONCE, instead of one quiet wait per line; others go one reply at a time.
   */
  runAll(user: string, command: CommandName, argsList: ReadonlyArray<Record<string, string | undefined>>): Promise<Reply>;
  /**
   * A reply about to be judged a success where a refusal was expected: a silent success concluded after a
   * learned (shortened) quiet wait is looked at again once the longest quiet wait has passed, so a slow
   * server's late refusal is not missed. Any other reply is returned as it is.
   */
  recheck(user: string, reply: Reply): Promise<Reply>;
  /** /MSG to several users (multi-target is rendered by the profile). */
  msg(user: string, nicks: readonly string[], text: string): Promise<Reply>;
  /**
   * WHO, parsed into members (in the order the server gave). `inLobbyChannel`: the user is in the lobby
   * and the profile's lobby is a channel (course variant lobby=default-channel): WHO is then asked there
   * instead of being not gradable.
   */
  who(user: string, options?: { inLobbyChannel?: boolean }): Promise<{ reply: Reply; members: Member[] }>;
  /** LIST, parsed into channel names (without the lobby channel of the course variant lobby=default-channel). */
  list(user: string): Promise<{ reply: Reply; channels: string[] }>;

  /**
   * Wire-level escape hatch for framing and bad-input scenarios. Throws NotGradableError unless the
   * profile declares raw wire access (the canonical dialect does).
   */
  sendRaw(user: string, data: string | Uint8Array, options?: { pauseMsBetweenParts?: number; parts?: Array<string | Uint8Array> }): Promise<void>;
  /** Wait for the final reply to a line sent with sendRaw. */
  nextReply(user: string): Promise<Reply>;

  /** Wait (bounded) until `user` observes `event` whose fields include `fields`; consumes it. */
  expectEvent(user: string, event: EventName, fields?: Record<string, string>): Promise<Record<string, string>>;
  /**
   * Wait (bounded) until `user` observes each of `events` in this order; consumes them and returns
   * their fields. Unrelated events may come in between, but an expected event that arrives before
   * one listed earlier fails the expectation (PROTOCOL.md §2.2: the events of one command come in
   * their causal order, e.g. a departing owner's LEAVE/QUIT before the OWNER).
   */
  expectEventsInOrder(user: string, events: readonly ExpectedEvent[]): Promise<Array<Record<string, string>>>;
  /**
   * Prove that `user` has NOT observed a matching event (any event when `event` is omitted), without
   * a fixed sleep: barrier (PING/PONG) when the profile supports it, else the configured quiet period.
   */
  expectNoEvent(user: string, event?: EventName, fields?: Record<string, string>): Promise<void>;
  /**
   * Forget what `user` (every open connection when omitted) received and no expectation consumed,
   * once it has surely all arrived: barrier on each connection (in parallel), else one quiet period.
   * Called when a scenario's action starts, so that later expectations, positive and negative, see
   * only what arrived since. Skips a connection with a half-sent raw line (a barrier request would
   * complete it) and one the server closes meanwhile.
   */
  discardReceived(user?: string): Promise<void>;
  /**
   * Wait (bounded) until the server closes `user`'s connection. A user who stopped reading reads again
   * to see the close, and what arrives is thrown away unseen.
   */
  expectClosed(user: string): Promise<void>;
  /**
   * `user` stops reading what the server sends (PROTOCOL.md §7 unsent output): nothing it receives is
   * looked at any more, and discardReceived skips it. NotGradableError in client-driven mode.
   */
  stopReading(user: string): Promise<void>;
  /**
   * Send `command` `count` times without waiting for any reply (a user who stopped reading), in bounded
   * batches; stops early once the server has closed the connection. Resolves to how many were sent.
   */
  sendRepeatedly(user: string, command: CommandName, args: Record<string, string | undefined>, count: number): Promise<{ sent: number; closed: boolean }>;
  /**
   * For the concurrency checks (@load): everything `user` received that no expectation consumed, oldest
   * first, each with its arrival number and the event the profile recognises in it; then forgotten.
   * Makes sure it has all arrived first (barrier, else the quiet period), unless the connection is closed.
   * NotGradableError when the profile frames by stream (no lines to number).
   */
  takeReceived(user: string): Promise<ReceivedUnit[]>;
  /** Arrival number of the last reply `user` got (to place it among the units of takeReceived); 0 before any. */
  lastReplySeq(user: string): number;
  /**
   * Something outside the scenario's connections was done that may make the server send (a line typed on
   * its console): quiet waits count from now.
   */
  noteOutsideAction(): void;
  /**
   * How long to wait after typing a line on a console whose answer the harness cannot read, before anything
   * is checked: the quiet wait learned from the server's reply latency (harness/wire/quiet-wait.ts), at
   * least CONSOLE_FLOOR_MS (the console is another input than the one the latency was learned on); the
   * configured quiet period with fixedQuiet or before anything was learned.
   */
  consoleWaitMs(): number;
  /** True while `user`'s connection is open. */
  isConnected(user: string): boolean;
  /** Close `user`'s socket abruptly, without any goodbye. */
  drop(user: string): Promise<void>;

  /**
   * Throw NotGradableError unless the active profile has `capability`; for steps whose meaning
   * depends on it (e.g. "alice is in the lobby" needs 'lobby').
   */
  requireCapability(capability: Capability): void;

  /**
   * Why the active profile cannot read what a check needs (a WHO role, data lines, a reply field), naming
   * the missing profile field; undefined when it can. Steps turn a reason into NotGradableError.
   */
  unreadable(need: ReadNeed): string | undefined;

  /**
   * The word a user types for `command` in the active dialect ("/LIST", leading "/" included when the
   * dialect has one), so a step can look for it in free text such as help lines. Throws NotGradableError when the
   * profile cannot express the command or its template starts with an argument (a plain message).
   */
  commandWord(command: CommandName): string;

  /**
   * The server console as the active profile types and reads it (§5.18), for the console steps.
   * Throws NotGradableError when the profile has no console section.
   */
  consoleDialect(): ConsoleDialect;

  /** The course variants the active profile declares ({} for none). */
  variants(): Variants;
  /** The channel a profile without lobby puts new users in (capabilities.defaultChannel), if it names one. */
  defaultChannel(): string | undefined;
  /**
   * The channels `user` left before saying goodbye because the profile declares bye=leave-first
   * (empty otherwise): those members saw a leave, not a quit.
   */
  leftBeforeGoodbye(user: string): string[];

  /** Close every connection of the scenario, whatever happened. Never throws. */
  closeAll(): Promise<void>;
  /** Human-readable transcript of every byte sent and received in the scenario. */
  /** The scenario's wire transcript, rendered in at most about `maxChars` characters (harness/wire/transcript.ts). */
  transcript(maxChars?: number): string;
  /**
   * The transcript as lines that two runs of the scenario (two servers) can be compared by (--diff,
   * --repeat): logical names instead of real ones, no times, barrier tokens and addresses replaced, and
   * what the profile reads as an error reply or the greeting reduced to that (reasons and server names are
   * free text). One line per wire line: `bob <- JOIN #room alice`.
   */
  comparableTranscript(): string[];
}

/**
 * What the runner passes to every scenario through Cucumber's worldParameters: the run's configuration,
 * the same for every scenario, so read-only all the way down. What changes during a run (the target's
 * address after a restart, a scenario's limited instance) is the World's (steps/support/world.ts).
 */
export interface HarnessParameters {
  readonly target: { readonly host: string; readonly port: number };
  /** Profile name (profiles/<name>.json) or a path. */
  readonly profile: string;
  /** Per-expectation timeout, ms. */
  readonly timeoutMs: number;
  /** Quiet period for negative checks when the profile has no barrier, ms. */
  readonly quietMs: number;
  /** Force the quiet-period fallback even when the profile has a barrier (to measure its cost). */
  readonly forceQuiet?: boolean;
  /** Always wait the whole quiet period instead of one learned from the server's reply latency (harness/wire/quiet-wait.ts). */
  readonly fixedQuiet?: boolean;
  /** True when the runner started the target itself and no other client uses it (@pristine scenarios may run). */
  readonly pristine: boolean;
  /** Operator password of the target, when known (@operator scenarios need it). */
  readonly operPassword?: string;
  /**
   * Client-driven mode: a shell command with {host} and {port} that starts the submission's own client.
   * Each user is then one such process (stdin: what the user types; stdout: what the user sees), and
   * the profile describes typed lines and displayed text instead of the wire.
   */
  readonly client?: string;
  /**
   * Behave as in client-driven mode where it decides what can be graded (literal wire lines, a user who
   * stops reading), while talking TCP: the forecast of what a client-driven run cannot grade runs against
   * the bundled reference server this way (harness/run/known-ungradable.ts).
   */
  readonly asIfClientDriven?: boolean;
  /**
   * Scenarios known not gradable before the run (`uri:line` -> the reason): a hook ends each one at once,
   * "not gradable" with that reason, without touching the target (harness/run/known-ungradable.ts).
   */
  readonly knownUngradable?: Readonly<Record<string, string>>;
  /**
   * Which scenarios attach their transcripts: those that failed (default), or all of them (--repeat and the
   * reference run of --diff, which compare runs of one scenario).
   */
  readonly transcripts?: 'failed' | 'all';
  /** Also attach the comparable transcript (Session.comparableTranscript) wherever the TCP transcript goes (--diff, --repeat). */
  readonly comparable?: boolean;
  /** Seed of the run's random choices (--seed): the @load storms' users replay the same choices with it. */
  readonly seed?: number;
  /** Multiplies the number of users of the @load storms (--load-scale; default 1: the small size CI runs). */
  readonly loadScale?: number;
  /** Loopback URL of the runner's target-control endpoint (restart, crash reports), when it spawned the target. */
  readonly controlUrl?: string;
  /** The control endpoint's per-run secret (sent with every request; the target never sees it). */
  readonly controlSecret?: string;
  /** The sandbox the submission's processes run in (its --client program too), when grading sandboxes them. */
  readonly sandbox?: SandboxSpec;
}
