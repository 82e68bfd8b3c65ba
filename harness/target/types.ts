/** Target control: the server under test, however the runner reaches it. */

export interface TargetAddress {
  host: string;
  port: number;
}

/** A death of the target, as the runner saw it: numbered so a scenario can ask "what died since I began?". */
export interface CrashReport {
  seq: number;
  /** One paragraph starting with "target crashed: ", naming the exit code or signal and the last output lines. */
  text: string;
  /** When the harness saw the process end (epoch ms): before or after a scenario's teardown began. */
  at: number;
}

/** A running instance of the target (one process, or one in-process server). */
export interface TargetInstance {
  readonly address: TargetAddress;
  /** Resolves when the instance ends by itself, with the paragraph that names how (never resolves for in-process). */
  readonly died: Promise<string>;
  /**
   * Resolves, with the time (epoch ms), the moment the process is seen to end: before `died`, which also
   * waits for its last output. Absent for in-process instances.
   */
  readonly exited?: Promise<number>;
  /**
   * Whether the server still listens on its port, found WITHOUT opening a connection (a fragile server
   * may die when a client connects and leaves without a word). Absent where the harness cannot tell.
   */
  listening?(): boolean;
  /**
   * How many connections the server holds open right now (sockets besides its listening one), found
   * without opening one: after a scenario closed its connections, the count falls as the server handles
   * their departures. Absent where the harness cannot tell.
   */
  openConnections?(): number;
  /**
   * Whether a process of the server is runnable right now (it has work not done yet, e.g. departures it
   * has not read because the machine is busy). Absent where the harness cannot tell.
   */
  running?(): boolean;
  /** Stop it and wait until it is gone (bounded). Never throws. */
  stop(): Promise<void>;
  /** Last-resort synchronous kill, for process 'exit' handlers. */
  killNow(): void;
  /** Type one line on this instance's server console (§5.18); absent when the harness cannot reach it. */
  console?(line: string): Promise<ConsoleOutcome>;
}

/** What typing one line on the target's server console gave. */
export interface ConsoleOutcome {
  /** The server's own answer lines to that console line when the harness can read them; null when it cannot. */
  output: string[] | null;
}

/**
 * Small values for the server's §7 limits, for one scenario (keys as the reference server's options).
 * A key left out keeps the server's default.
 */
export interface ServerLimits {
  maxConnections?: number;
  registrationTimeoutMs?: number;
  maxOutputBytes?: number;
  maxLineBytes?: number;
  maxFileBytes?: number;
  maxPendingFiles?: number;
  historySize?: number;
}

export const LIMIT_KEYS = [
  'maxConnections',
  'registrationTimeoutMs',
  'maxOutputBytes',
  'maxLineBytes',
  'maxFileBytes',
  'maxPendingFiles',
  'historySize',
] as const satisfies ReadonlyArray<keyof ServerLimits>;

/** A separate instance of the target started with limits for one scenario; stopped when the scenario ends. */
export interface LimitedInstance {
  readonly address: TargetAddress;
  /** Stop it and wait until it is gone (bounded). Never throws. */
  stop(): Promise<void>;
}

/**
 * The target cannot do what was asked (set limits, reach its console): the control endpoint answers
 * 501 with this message, and the step marks the scenario not gradable instead of failed.
 */
export class NotSupportedByTarget extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSupportedByTarget';
  }
}

/**
 * Starts one instance; throws TargetStartError when it does not come up.
 * When `cancel` aborts while it is starting (the run is being stopped), the launcher stops what it has
 * started and rejects with TargetStartError. Abort reason KILL_NOW asks for a synchronous SIGKILL inside
 * the abort call itself (the process is about to exit); any other reason for the usual graceful stop.
 */
export type Launcher = (cancel: AbortSignal) => Promise<TargetInstance>;

/** Abort reason for a Launcher's `cancel`: kill at once, in the abort call (see Launcher). */
export const KILL_NOW = 'kill-now';

/** The target could not be reached or started: exit code 2 with this one-line message. */
export class TargetStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetStartError';
  }
}

export type Isolation = 'run' | 'feature' | 'scenario';

export interface TargetController {
  /** One line for the console and the reports. */
  describe(): string;
  /** True when the runner started the target (restarts possible, nobody else uses it). */
  readonly owned: boolean;
  /** Operator password of the target, when known. */
  readonly operPassword: string | undefined;
  /** Bring the target up the first time (or just check it is reachable). Throws TargetStartError. */
  start(): Promise<TargetAddress>;
  /**
   * A ready target for the next scenario: restarted first when it died, or when `fresh` is asked and the
   * current instance has already served a scenario. Throws (with a readable message) when it cannot.
   */
  acquire(fresh: boolean): Promise<TargetAddress>;
  /** Number of crashes recorded so far (a scenario keeps it as its starting mark). */
  crashCount(): number;
  /**
   * Crashes recorded since `mark`. With `settle` (the scenario failed), first give a target that no longer
   * accepts connections a short, bounded time to report its death, so the crash lands in the right scenario.
   */
  crashesSince(mark: number, settle: boolean): Promise<CrashReport[]>;
  /**
   * Crashes that happened after the last scenario asked and before the next one began (so no scenario
   * has them yet): the next scenario attaches them, so no death goes unreported.
   */
  unreportedCrashes(): CrashReport[];
  /**
   * A scenario has just closed its connections: give the server a short, bounded time to handle those
   * departures and, if handling them kills it, to be seen dying, so the crash is charged to that
   * scenario's teardown and not to whichever scenario comes next. Never opens a connection.
   */
  settleAfterTeardown(): Promise<void>;
  /** Stop everything the runner started. Never throws. */
  stop(): Promise<void>;
  /** Synchronous last resort (process 'exit'). */
  killNow(): void;
  /**
   * Type one line on the current instance's server console. Absent, or throwing NotSupportedByTarget,
   * when the harness cannot reach the target's console.
   */
  console?(line: string): Promise<ConsoleOutcome>;
  /**
   * Start a separate instance with these §7 limits, for one scenario (the caller stops it). Absent when
   * the harness cannot set the target's limits (only the embedded reference server can), so its presence
   * says whether @limits scenarios can run.
   */
  startLimited?(limits: ServerLimits): Promise<LimitedInstance>;
  /**
   * A target of its own for one scenario, whose instance nobody else uses (the caller stops it): what a
   * @server-wide scenario changes (a ban, a console kill) then stays there, and it can run beside the
   * others in a --parallel run. Absent when the target's instances cannot run side by side (a fixed
   * port) or are not the runner's.
   */
  privateTarget?(): TargetController;
}
