/**
 * A target the runner owns: started by a Launcher, restarted when it dies or when a scenario needs a fresh
 * one, its deaths recorded as numbered crash reports. Restarts are single-flight, so parallel workers
 * asking at the same moment share one restart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { tryConnect } from './probe.ts';
import {
  KILL_NOW,
  NotSupportedByTarget,
  TargetStartError,
  type ConsoleOutcome,
  type CrashReport,
  type Launcher,
  type LimitedInstance,
  type ServerLimits,
  type TargetAddress,
  type TargetController,
  type TargetInstance,
} from './types.ts';

/** Starts a separate instance with §7 limits (only a target that can pass them to its server has one). */
export type LimitedLauncher = (limits: ServerLimits) => Promise<TargetInstance>;

/** Consecutive failed (re)starts after which the runner stops trying and fails the remaining scenarios fast. */
const MAX_FAILED_STARTS = 3;
/** How long a failed scenario waits for a target that refuses connections to report its death. */
const SETTLE_MS = 2000;
/** Same, when the target still accepted a connection. */
const SETTLE_ALIVE_MS = 200;
/** How long a server may take to handle the departures of a scenario's closed connections. */
// Only a server that stays busy (or starved) with connections still open waits this long; one that handled
// the departures ends the wait as soon as its count is back, one that keeps their sockets after SETTLE_MIN_MS.
const TEARDOWN_SETTLE_MS = 3000;
/** Where the harness cannot see whether the departures were handled: how long a dying process may take to be seen ending. */
const BLIND_EXIT_NOTICE_MS = 100;
/**
 * Between two looks at the server's sockets, at most. The first looks come sooner (1, 2, 4, 8 ms): a healthy
 * server has handled the departures within a millisecond or two, and a first wait of the whole 10 ms was
 * about a third of a serial run against a spawned server (371 scenarios x 9 ms).
 */
const POLL_MS = 10;
const settlePollMs = (look: number): number => Math.min(POLL_MS, 2 ** look);
/** A count of open connections that has not moved for this long (after SETTLE_MIN_MS) is final. */
// Generous: on a loaded machine a server may take a few hundred ms to handle a departure; a server that
// never closes a departed client's socket pays this once per scenario.
const SETTLE_STABLE_MS = 200;
const SETTLE_MIN_MS = 300;
/**
 * Standby instances kept started (see RestartableTarget's `standby`) once the target has restarted.
 * Scenarios that each need a fresh server (@server-wide, @pristine) come in runs of dozens: with one
 * standby, started only when the previous one was taken, each of them waited for a whole start-up. Until
 * the first restart one is enough: a run that never restarts (a few scenarios, a tag selection) pays one
 * standby start, not two.
 */
export const STANDBY_INSTANCES = 2;

/** A standby instance being started or ready (see RestartableTarget's `standby`). */
interface Spare {
  cancel: AbortController;
  ready: Promise<TargetInstance | undefined>;
  /** It ended by itself before being used. */
  gone: boolean;
  /** Set once it has started (what a synchronous kill reaches). */
  instance?: TargetInstance;
}

export class RestartableTarget implements TargetController {
  readonly owned = true;
  private instance: TargetInstance | undefined;
  private dead = true;
  /** True once the current instance has served a scenario (a fresh one is not restarted again for @pristine). */
  private used = false;
  private restarting: Promise<TargetAddress> | undefined;
  private failedStarts = 0;
  private lastStartError = '';
  private readonly crashes: CrashReport[] = [];
  /** Connections the server held when the last scenario began (what a teardown brings it back to). */
  private openAtAcquire = 0;
  /** A death seen but not yet described (its last output is still arriving): recorded when this settles. */
  private pendingCrash: Promise<void> | undefined;
  /** Crashes before this index have been attached to some scenario. */
  private reported = 0;
  private stopped = false;
  /** Cancels the launch in progress, if any: stopping the run must not wait for (or leak) a starting server. */
  private launching: AbortController | undefined;
  /** Per-scenario instances with limits still running: stopped with the run if their scenario did not. */
  private readonly limited = new Set<TargetInstance>();
  /**
   * With `standby`: instances started in advance (one until the first restart, then STANDBY_INSTANCES), each
   * on a port of its own, that a restart switches to at once, the oldest first; each taken one is replaced in
   * the background. Empty while none is wanted or before the first start.
   */
  private spares: Spare[] = [];
  /** Old instances still being stopped in the background (a restart does not wait for them). */
  private readonly stopping = new Set<Promise<void>>();
  /** Targets of their own handed to scenarios (privateTarget) and not stopped yet: stopped with the run. */
  private readonly privates = new Set<RestartableTarget>();
  /** For such a target: the one whose pool its instance came from (it forgets this one once stopped). */
  private owner: RestartableTarget | undefined;
  /** The stop under way or done (stop() is idempotent). */
  private ending: Promise<void> | undefined;

  constructor(
    private readonly launch: Launcher,
    private readonly description: (address: TargetAddress | undefined) => string,
    readonly operPassword: string | undefined,
    launchLimited?: LimitedLauncher,
    /**
     * Keep a standby instance ready and switch to it on restart, and stop old instances without waiting:
     * a restart then costs nothing but the switch. Only for a target whose instances can run side by side
     * (each on a port of its own); never with a fixed port.
     */
    private readonly standby = false,
  ) {
    this.startLimited = launchLimited ? (limits) => this.launchWithLimits(launchLimited, limits) : undefined;
    this.privateTarget = standby ? () => this.makePrivate() : undefined;
  }

  /**
   * Present only with standbys (instances that can run side by side): a target of its own for one scenario,
   * its instance taken from this target's standby pool (topped up again at once), so it usually costs no
   * start-up. It records its own crashes; stopping it stops its instance.
   */
  readonly privateTarget: (() => RestartableTarget) | undefined;

  private makePrivate(): RestartableTarget {
    const own = new RestartableTarget((signal) => this.launchForPrivate(signal), this.description, this.operPassword);
    own.owner = this;
    this.privates.add(own);
    return own;
  }

  private async launchForPrivate(signal: AbortSignal): Promise<TargetInstance> {
    if (this.stopped) throw new TargetStartError('the run is over');
    const spare = await this.takeSpare();
    while (!this.stopped && this.spares.length < STANDBY_INSTANCES) this.spares.push(this.startSpare());
    return spare ?? this.launch(signal);
  }

  describe(): string {
    return this.description(this.instance?.address);
  }

  async start(): Promise<TargetAddress> {
    return this.restart();
  }

  private restart(): Promise<TargetAddress> {
    this.restarting ??= (async () => {
      try {
        const old = this.instance;
        this.instance = undefined;
        this.dead = true;
        if (old && this.standby) this.stopInBackground(old);
        else if (old) await old.stop();
        if (this.stopped) throw new TargetStartError('the run is over');
        let instance = await this.takeSpare();
        if (instance === undefined) {
          const launching = new AbortController();
          this.launching = launching;
          try {
            instance = await this.launch(launching.signal);
          } finally {
            this.launching = undefined;
          }
        }
        // A restart (an old instance replaced, dead or alive) tops the standbys up to STANDBY_INSTANCES; the
        // first start (or one after a failed launch) to one. The pool never shrinks.
        const standbys = !this.standby ? 0 : old !== undefined ? STANDBY_INSTANCES : 1;
        while (!this.stopped && this.spares.length < standbys) this.spares.push(this.startSpare());
        this.instance = instance;
        this.dead = false;
        this.used = false;
        this.failedStarts = 0;
        // The death is known at once (so the next scenario never gets a dead address), described once its
        // last output arrived.
        const exitSeen = instance.exited ?? instance.died.then(() => Date.now());
        void exitSeen.then((at) => {
          if (this.instance !== instance) return; // stopped on purpose, or already replaced
          this.dead = true;
          const recorded = instance.died.then((text) => {
            this.crashes.push({ seq: this.crashes.length, text, at });
          });
          this.pendingCrash = recorded;
          void recorded.then(() => {
            if (this.pendingCrash === recorded) this.pendingCrash = undefined;
          });
        });
        return instance.address;
      } catch (error) {
        this.failedStarts += 1;
        this.lastStartError = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        this.restarting = undefined;
      }
    })();
    return this.restarting;
  }

  /** Starts a standby instance; its own death before it is used only discards it. */
  private startSpare(): Spare {
    const cancel = new AbortController();
    const spare: Spare = { cancel, gone: false, ready: undefined as unknown as Promise<TargetInstance | undefined> };
    spare.ready = this.launch(cancel.signal).then(
      (instance) => {
        spare.instance = instance;
        void (instance.exited ?? instance.died).then(() => (spare.gone = true));
        return instance;
      },
      () => undefined, // a standby that did not start: the restart launches one the usual way
    );
    return spare;
  }

  /** The oldest standby instance that started and is still alive (waiting for it if it is still starting). */
  private async takeSpare(): Promise<TargetInstance | undefined> {
    for (let spare = this.spares.shift(); spare !== undefined; spare = this.spares.shift()) {
      const instance = await spare.ready;
      if (instance === undefined) continue;
      if (spare.gone || this.stopped) {
        this.stopInBackground(instance);
        continue;
      }
      return instance;
    }
    return undefined;
  }

  private stopInBackground(instance: TargetInstance): void {
    const stopping = instance.stop().finally(() => this.stopping.delete(stopping));
    this.stopping.add(stopping);
  }

  async acquire(fresh: boolean): Promise<TargetAddress> {
    if (this.restarting) await this.restarting.catch(() => undefined);
    // A server that no longer listens is going down: let its death be seen (and restart it) rather than
    // hand its address to the next scenario.
    const current = this.instance;
    if (current && !this.dead && current.listening && !current.listening()) await Promise.race([current.exited ?? current.died, sleep(SETTLE_MS)]);
    // A process that has just ended: its exit handler marks the death before the look below. An in-process
    // instance (no `exited`) cannot end by itself, and this timer (1 ms at least, more in a busy event loop)
    // was about 0.5 s of every serial run of the suite.
    if (current?.exited !== undefined || this.dead) await sleep(0);
    await this.pendingCrash; // a death being described is recorded before the restart replaces the instance
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      throw new TargetStartError(`target given up after ${this.failedStarts} failed starts; last: ${this.lastStartError}`);
    }
    if (this.dead || !this.instance || (fresh && this.used)) await this.restart();
    this.used = true;
    this.openAtAcquire = this.instance!.openConnections?.() ?? 0;
    return this.instance!.address;
  }

  crashCount(): number {
    return this.crashes.length;
  }

  async settleAfterTeardown(): Promise<void> {
    const instance = this.instance;
    if (!instance || this.dead || !instance.exited) {
      await this.pendingCrash;
      return; // dead already, or in-process (its death would be the harness's)
    }
    if (instance.openConnections && instance.listening) {
      // Wait until the server has closed its side of the connections the scenario closed (its count of
      // open connections is back to what it was when the scenario began, or stops falling: a server that
      // never closes a departed client's socket must not cost the full wait every time), then look once
      // more: a process that died of them no longer listens either (exit closes every socket at once) and
      // is given time to be seen ending. A healthy server costs a look or two at its fd links.
      const start = Date.now();
      let last = instance.openConnections();
      let stableSince = start;
      for (let look = 0; !this.dead && last > this.openAtAcquire && Date.now() - start < TEARDOWN_SETTLE_MS; look++) {
        if (Date.now() - start >= SETTLE_MIN_MS && Date.now() - stableSince >= SETTLE_STABLE_MS) break;
        await sleep(settlePollMs(look));
        const now = instance.openConnections();
        // A count is only final once the server has had the CPU to act on the departures: while one of its
        // threads is still runnable, the pause does not count (a starved server is not a leaking one).
        if (now !== last || instance.running?.() === true) stableSince = Date.now();
        last = now;
      }
      if (!this.dead && !instance.listening()) await Promise.race([instance.exited, sleep(SETTLE_MS)]);
    } else {
      await Promise.race([instance.exited, sleep(BLIND_EXIT_NOTICE_MS)]);
    }
    await sleep(0); // let the exit handler above mark the death
    await this.pendingCrash;
  }

  async crashesSince(mark: number, settle: boolean): Promise<CrashReport[]> {
    const instance = this.instance;
    if (settle && instance && !this.dead && this.crashes.length === mark) {
      // The scenario failed, maybe because the target is dying: give its exit a moment to arrive so the
      // crash is named in this scenario. A server that no longer listens is going down: wait longer. One
      // that still listens proves little (a dying process may close its connections before its listening
      // socket), hence the short wait in that case too. Where the harness can see the listening socket it
      // opens no probe connection: a fragile server could die of the probe itself.
      const goingDown = instance.listening ? !instance.listening() : (await tryConnect(instance.address, 500)) !== undefined;
      await Promise.race([instance.exited ?? instance.died, sleep(goingDown ? SETTLE_MS : SETTLE_ALIVE_MS)]);
      await sleep(0);
    }
    await this.pendingCrash;
    const since = this.crashes.slice(mark);
    this.reported = Math.max(this.reported, this.crashes.length);
    return since;
  }

  /** Crashes no scenario has reported yet (they happened between two scenarios); marks them reported. */
  unreportedCrashes(): CrashReport[] {
    const unreported = this.crashes.slice(this.reported);
    this.reported = this.crashes.length;
    return unreported;
  }

  /** Typed on the current instance, when it has a console the harness can reach. */
  async console(line: string): Promise<ConsoleOutcome> {
    const instance = this.instance;
    if (!instance) throw new Error('the target is not running');
    if (!instance.console) throw new NotSupportedByTarget('the harness has no way to type on this server\'s console');
    return instance.console(line);
  }

  /**
   * Present only when the launcher can pass limits to its server (the embedded reference server), so
   * `target.startLimited !== undefined` says whether @limits scenarios can run on this target.
   */
  readonly startLimited: ((limits: ServerLimits) => Promise<LimitedInstance>) | undefined;

  private async launchWithLimits(launchLimited: LimitedLauncher, limits: ServerLimits): Promise<LimitedInstance> {
    if (this.stopped) throw new TargetStartError('the run is over');
    const instance = await launchLimited(limits);
    this.limited.add(instance);
    return {
      address: instance.address,
      stop: async () => {
        this.limited.delete(instance);
        await instance.stop();
      },
    };
  }

  /** Once: a second call (the run's end, an interrupt) waits for the same stop. */
  stop(): Promise<void> {
    this.ending ??= this.stopOnce().finally(() => this.owner?.privates.delete(this));
    return this.ending;
  }

  private async stopOnce(): Promise<void> {
    this.stopped = true;
    this.launching?.abort(new Error('the run is over'));
    if (this.restarting) await this.restarting.catch(() => undefined);
    const instance = this.instance;
    this.instance = undefined;
    const limited = [...this.limited];
    this.limited.clear();
    const spares = this.spares;
    this.spares = [];
    for (const spare of spares) spare.cancel.abort(new Error('the run is over'));
    const sparesStop = spares.map((spare) => spare.ready.then((s) => s?.stop()));
    const privates = [...this.privates];
    await Promise.all([instance?.stop(), ...limited.map((l) => l.stop()), ...sparesStop, ...this.stopping, ...privates.map((p) => p.stop())]);
  }

  killNow(): void {
    this.launching?.abort(KILL_NOW);
    for (const spare of this.spares) {
      spare.cancel.abort(KILL_NOW);
      spare.instance?.killNow();
    }
    this.instance?.killNow();
    for (const l of this.limited) l.killNow();
    for (const own of this.privates) own.killNow();
  }
}
