/**
 * The Cucumber World: everything one scenario owns, and nothing else does: its Session, the target its
 * connections go to, what steps must remember between each other (each user's last Reply, who is
 * registered, the files sent, the last console line, a @load storm's log) and the bans it placed.
 * Cucumber makes a new World for every scenario, so none of it can leak into the next one; no step file
 * keeps scenario state of its own. The run's configuration (`this.parameters`) is read-only and never
 * changed here. Steps never hold sockets; the Session does. When each part of the scenario's life runs
 * is steps/support/hooks.ts.
 */
import { BeforeAll, World, setDefaultTimeout, setDefinitionFunctionWrapper, setWorldConstructor } from '@cucumber/cucumber';
import type { IWorldOptions } from '@cucumber/cucumber';
import { createSession } from '../../harness/session/session.ts';
import { TRANSCRIPT_PREFIX } from '../../harness/reports/failure-evidence.ts';
import { TRANSCRIPT_TITLE } from '../../harness/reports/cucumber-html.ts';
import type { CommandName, HarnessParameters, Reply, Session } from '../../harness/session/session-api.ts';
import { VARIANT_PREFIX } from '../../harness/dialect/variants.ts';
import { COMPARABLE_PREFIX } from '../../harness/reports/side-by-side.ts';
import { RENDER_MAX_CHARS } from '../../harness/wire/transcript.ts';
import type { StormLog, StormSize } from '../../harness/load/storm.ts';

/**
 * Generous on purpose: the Session bounds every expectation itself with parameters.timeoutMs, so
 * this only catches a step that loops (e.g. sending 105 messages) far beyond reason.
 */
setDefaultTimeout(60_000);

/** Where a user's connection stands, as far as the steps have driven it. */
type UserState = 'connected' | 'registered' | 'gone';

/** A ban a step placed, kept until it is lifted (steps/support/bans.ts). */
export type PlacedBan =
  /** `user` banned `address` with /BAN; lifted with /UNBAN on a connection (that user's by default). */
  | { readonly from: 'user'; readonly user: string; readonly address: string }
  /** Banned from the console; lifted by typing UNBAN for each address it may have been written as. */
  | { readonly from: 'console'; readonly addresses: ReadonlyArray<string> };

/** A line typed on the console and what the console showed for it (the World keeps the scenario's last one; steps/support/console.ts). */
export interface TypedLine {
  readonly line: string;
  /** The command it was rendered from; undefined for a literal line. */
  readonly command?: CommandName;
  readonly output: ReadonlyArray<string> | null;
}

export class ChatWorld extends World<HarnessParameters> {
  #session: Session | undefined;
  /** The last final reply each user got (what "Then bob is refused with NOT_ADMIN" reads). */
  readonly lastReplies = new Map<string, Reply>();
  /** Every reply of the last raw-wire step of each user, in order. */
  readonly rawReplies = new Map<string, Reply[]>();
  readonly users = new Map<string, UserState>();
  /**
   * New nick -> the user whose connection took it ("alice changes nick to alicia": alicia -> alice).
   * Such a name is a nick, never a connection of its own: steps that would make it act say so.
   */
  readonly nickTakenBy = new Map<string, string>();
  /**
   * Where this scenario's connections go: the run's target at first, then what the target-control Before
   * hook was told (a restart gives a new port) or a limited instance of this scenario (startLimitedTarget).
   */
  target: HarnessParameters['target'];
  /** Bans this scenario placed and did not lift yet, oldest first: the teardown lifts them, even after a failure. */
  readonly bans: PlacedBan[] = [];
  /** What each generated file this scenario sent contained, by file name, to compare a fetch byte for byte. */
  readonly sentFiles = new Map<string, Uint8Array>();
  /** The last line typed on the server console in this scenario and what the console showed for it. */
  lastConsoleLine: TypedLine | undefined;
  /** The @load crowd a Given described (steps/load.steps.ts), and the log of the storm it then ran. */
  crowd: Omit<StormSize, 'seed' | 'rounds'> | undefined;
  stormLog: StormLog | undefined;
  readonly #nicks = new Map<string, string>();
  /** Counter that makes "next message" texts unique within the scenario. */
  #serial = 0;
  /** True while the scenario is in a When block (a When and the And/But steps after it). */
  inAction = false;
  /** The failed step already carries the transcript, so the After hook does not attach it again. */
  transcriptAttached = false;

  constructor(options: IWorldOptions<HarnessParameters>) {
    super(options);
    this.target = options.parameters.target;
  }

  get session(): Session {
    if (!this.#session) throw new Error('the scenario has no session (the Before hook did not run)');
    return this.#session;
  }

  async openSession(): Promise<void> {
    // Read when a user connects, not now: a limited instance started by a step changes it mid-scenario.
    this.#session = await createSession(this.parameters, { target: () => this.target });
  }

  get hasSession(): boolean {
    return this.#session !== undefined;
  }

  /**
   * In feature files a logical name always means the SAME nick: after "alice changes nick to
   * alicia", "alice" still names the old nick (now free) and "alicia" the new one. The Session
   * rebinds a logical user to the nick it last took, so the World pins each name's first real nick.
   */
  nick(user: string): string {
    let real = this.#nicks.get(user);
    if (real === undefined) {
      real = this.session.nick(user);
      this.#nicks.set(user, real);
    }
    return real;
  }

  channel(logical: string): string {
    return this.session.channel(logical);
  }

  remember(user: string, reply: Reply): Reply {
    this.lastReplies.set(user, reply);
    return reply;
  }

  lastReply(user: string): Reply {
    const reply = this.lastReplies.get(user);
    if (!reply) throw new Error(`${user} has not sent anything yet, so there is no reply to check`);
    return reply;
  }

  /** When the teardown began (epoch ms): a death of the server after it is the teardown's, not the steps'. */
  teardownAt: number | undefined;

  /**
   * The scenario's last words (its transcript when it failed, then `lastSteps`: the hook lifts the bans it
   * left there), then every connection closed. Once (the After hook in steps/support/hooks.ts, before the
   * target-control one asks the runner what died). The bans come in as a callback so that this module,
   * which every support module imports, imports none of them (no import cycle).
   */
  async closeConnections(failed: boolean, lastSteps: () => Promise<void>): Promise<void> {
    if (this.teardownAt !== undefined || !this.hasSession) return;
    this.teardownAt = Date.now();
    try {
      if (failed || this.parameters.transcripts === 'all') {
        // A failed step attached it already (on itself); a failure outside the steps (a hook, a step
        // timeout) or a passed scenario with --transcripts all has not.
        if (!this.transcriptAttached) await this.attach(`${TRANSCRIPT_PREFIX}${this.transcriptForReport()}`, { mediaType: 'text/plain', fileName: TRANSCRIPT_TITLE });
        if (this.parameters.comparable) await this.attach(`${COMPARABLE_PREFIX}${this.session.comparableTranscript().join('\n')}`, { mediaType: 'text/plain', fileName: 'comparable transcript' });
      }
      await lastSteps();
    } finally {
      await this.session.closeAll();
    }
  }

  /**
   * The transcript as the reports get it. Bounded per scenario (RENDER_MAX_CHARS) and per run: once this
   * process attached its budget, only the end of each transcript goes into the reports, so a server
   * replying megabyte lines to every scenario cannot blow up cucumber.html and messages.ndjson.
   */
  transcriptForReport(): string {
    const text = this.session.transcript(transcriptBudget > 0 ? RENDER_MAX_CHARS : SMALL_TRANSCRIPT_CHARS);
    transcriptBudget -= text.length;
    return text;
  }

  /** A text no other step of this scenario has sent, so observing it proves it is fresh. */
  freshText(prefix: string): string {
    this.#serial += 1;
    return `${prefix} ${this.#serial}`;
  }
}

setWorldConstructor(ChatWorld);

/**
 * NOT-GRADABLE CONVENTION (the runner relies on it): a step whose Session call throws
 * NotGradableError attaches "not gradable: <reason>" and ends PENDING. PENDING therefore always
 * means "this profile cannot express the scenario", never "unfinished".
 *
 * A step that FAILS attaches the scenario's TCP transcript to itself before failing, so the reports show
 * the evidence on the failed step (cucumber.html puts a step's attachments under it; an After hook's
 * would sit in the collapsed hooks panel).
 *
 * Installed once, for every step definition, through Cucumber's definition wrapper: it keeps each
 * step's arity and its location in the step file (a hand-made wrapper would lose both).
 */
setDefinitionFunctionWrapper(function gradable(body: (...args: unknown[]) => unknown) {
  return async function (this: { attach?: World['attach'] }, ...args: unknown[]) {
    try {
      return await body.apply(this, args);
    } catch (error) {
      if (isNotGradable(error) && typeof this?.attach === 'function') {
        await this.attach(`not gradable: ${error.message}`, 'text/plain');
        const variant = (error as { variant?: unknown }).variant;
        if (typeof variant === 'string') await this.attach(`${VARIANT_PREFIX} ${variant}: ${error.message}`, 'text/plain');
        return 'pending';
      }
      if (this instanceof ChatWorld && this.hasSession && !this.transcriptAttached) {
        this.transcriptAttached = true;
        await this.attach(`${TRANSCRIPT_PREFIX}${this.transcriptForReport()}`, { mediaType: 'text/plain', fileName: TRANSCRIPT_TITLE });
      }
      throw error;
    }
  };
});

/** By name as well as by class, in case the session module is loaded twice under two URLs. */
function isNotGradable(error: unknown): error is Error {
  return error instanceof Error && error.name === 'NotGradableError';
}

/** Characters of transcripts one run (one worker process) may attach in full; then SMALL_TRANSCRIPT_CHARS each. */
const RUN_TRANSCRIPT_BUDGET_CHARS = 16 * 1024 * 1024;
const SMALL_TRANSCRIPT_CHARS = 8 * 1024;
let transcriptBudget = RUN_TRANSCRIPT_BUDGET_CHARS;

// Each run gets the whole budget (a process may run several suites one after the other, e.g. the tests).
BeforeAll(function () {
  transcriptBudget = RUN_TRANSCRIPT_BUDGET_CHARS;
});
