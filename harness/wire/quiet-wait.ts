/**
 * How long to wait for a server without a barrier (no /PING) before concluding "nothing more is coming":
 * after a silent command (success is silence), before a "receives nothing" check, and before forgetting
 * what the setup sent.
 *
 * A fixed quiet period (300 ms) is safe but makes a whole suite take minutes. Here the harness LEARNS how
 * fast the server answers: each reply it waits for (the greeting, registration, any command with a
 * reply) gives a sample, from the moment the line was sent to the moment its reply was recognised. Once
 * MIN_SAMPLES are in, the wait is MULTIPLIER x the 90th percentile of the last WINDOW samples (those of the last FRESH_MS when there are enough) (one stray
 * hiccup of a loaded machine does not make every later wait long), never below FLOOR_MS and never above
 * the ceiling; until then it is the configured quiet period. Waits count from the scenario's last send,
 * so a check right after another wait, with nothing sent in between, costs nothing. A server that is slow therefore gets
 * long waits (up to the ceiling, which is above the fixed quiet period: a slow server is safer than with
 * the fixed wait), a fast one short waits.
 *
 * Back-off: when something arrives on a connection after the harness decided it was quiet, and before
 * anyone in the scenario sent anything else (so it can only be the late answer to what came before), the
 * next waits (for a window of waits and samples) last at least LATE_MARGIN x that lateness, and it counts
 * as a sample too; each such event is counted and reported. (It used to become a sample only, so the waits
 * grew to MULTIPLIER x the lateness: a single 40 ms hiccup of a loaded machine made the next sixty waits
 * 160 ms long.)
 *
 * Learning starts from MIN_SAMPLES replies; with fewer than ten the percentile is their largest, so the
 * first learned waits are MULTIPLIER x the slowest reply seen.
 *
 * One instance per process (`sharedQuietWait`): a run's scenarios share what was learned. A `--parallel`
 * worker process that has learned nothing yet starts from the runner's recent samples (`seedFrom`, handed
 * over by the runner's control endpoint with the worker's first scenarios): the same server, moments
 * earlier. Learning from scratch cost its first scenarios the configured quiet period at every check
 * (300 ms), and on a dialect whose commands are silent few replies come to learn from. Not used at all when
 * the profile has a barrier.
 */

export interface QuietWaitSettings {
  /** The configured quiet period (--quiet-ms): the wait before anything is learned, ms. */
  quietMs: number;
  /** Never wait more than this, ms. */
  ceilingMs: number;
  /** False: always wait `quietMs` (--fixed-quiet). */
  adaptive: boolean;
}

/** What was learned, for the run's notes. */
export interface QuietWaitSummary {
  adaptive: boolean;
  samples: number;
  waits: number;
  /** Total time spent in quiet waits, ms. */
  waitedMs: number;
  /** The 90th percentile of the recent reply latencies, ms (undefined before any sample). */
  latencyMs: number | undefined;
  /** Checks that needed no wait at all (the scenario had sent nothing for long enough already). */
  freeChecks: number;
  /** The wait the policy would use now, ms. */
  currentWaitMs: number;
  /** Largest and smallest wait used, ms. */
  minWaitMs: number | undefined;
  maxWaitMs: number | undefined;
  lateArrivals: number;
  /** The latest late arrival, ms after the last send (undefined when none). */
  worstLateMs: number | undefined;
  /** Samples taken over from another process of the run (seedFrom) rather than measured here. */
  seededSamples: number;
}

/** Waits are MULTIPLIER x the largest recent reply latency. */
export const MULTIPLIER = 4;
/** Samples needed before the wait adapts (the largest of them counts while there are fewer than ten). */
export const MIN_SAMPLES = 3;
/** How many recent samples the percentile is taken over. */
export const WINDOW = 64;
/**
 * Among them, only those of the last FRESH_MS count when there are at least MIN_SAMPLES such: a burst
 * of slow replies (a hundred clients starting at once on a 2-core machine) says how the machine was
 * then, and must not keep every wait at the ceiling long after it ended.
 */
export const FRESH_MS = 10_000;
/** Which percentile of the recent samples stands for the server's latency. */
export const PERCENTILE = 0.9;
/** The shortest adaptive wait, ms: below it a scheduling hiccup of this machine could hide a reply. */
export const FLOOR_MS = 20;
/** After a late arrival, waits cover this many times its lateness. */
export const LATE_MARGIN = 2;

export class QuietWait {
  private settings: QuietWaitSettings;
  private recent: Array<{ ms: number; at: number }> = [];
  private samples = 0;
  private waits = 0;
  private freeChecks = 0;
  private waitedMs = 0;
  private minWait: number | undefined;
  private maxWait: number | undefined;
  private lateArrivals = 0;
  private worstLate: number | undefined;
  /** The wait a late arrival asks for, and until which count of samples + waits it holds. */
  private lateFloorMs = 0;
  private lateFloorUntil = 0;
  private seededSamples = 0;

  constructor(
    settings: QuietWaitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.settings = settings;
  }

  /** Take the run's settings (they arrive with the first scenario); what was learned is kept. */
  configure(settings: QuietWaitSettings): void {
    this.settings = settings;
  }

  /**
   * Forget what was learned and counted: a new run, perhaps against another server, starts from the
   * configured quiet period (a process that runs several suites one after the other, e.g. the tests).
   */
  forget(): void {
    this.recent = [];
    this.samples = 0;
    this.waits = 0;
    this.freeChecks = 0;
    this.waitedMs = 0;
    this.minWait = undefined;
    this.maxWait = undefined;
    this.lateArrivals = 0;
    this.worstLate = undefined;
    this.lateFloorMs = 0;
    this.lateFloorUntil = 0;
    this.seededSamples = 0;
  }

  /** Still learning: fewer than MIN_SAMPLES replies seen, so every wait is the configured quiet period. */
  get learning(): boolean {
    return this.samples < MIN_SAMPLES;
  }

  /** The latencies the current wait is computed from (what another process of the run may start from). */
  recentLatencies(): number[] {
    return this.learning ? [] : this.freshSamples().map((s) => s.ms);
  }

  /**
   * Start from latencies another process of the same run measured against the same server (at least
   * MIN_SAMPLES of them), when this one is still learning: they count as samples, and the late-arrival
   * back-off still lengthens the waits if this process finds the server slower. Returns whether they were taken.
   */
  seedFrom(latencies: readonly number[]): boolean {
    const valid = latencies.filter((ms) => Number.isFinite(ms) && ms >= 0).slice(-WINDOW);
    if (!this.learning || valid.length < MIN_SAMPLES) return false;
    for (const ms of valid) this.recordLatency(ms);
    this.seededSamples += valid.length;
    return true;
  }

  /** A reply arrived `ms` after the line it answers was sent. */
  recordLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.samples += 1;
    this.recent.push({ ms, at: this.now() });
    if (this.recent.length > WINDOW) this.recent.shift();
  }

  /**
   * Data arrived `ms` after the last send, on a connection already judged quiet: the wait was too short.
   * Kept as a sample (so the largest recent one covers it) and counted.
   */
  recordLateArrival(ms: number): void {
    this.lateArrivals += 1;
    this.worstLate = Math.max(this.worstLate ?? 0, ms);
    const active = this.events < this.lateFloorUntil;
    this.lateFloorMs = Math.max(active ? this.lateFloorMs : 0, LATE_MARGIN * ms);
    this.recordLatency(ms);
    this.lateFloorUntil = this.events + WINDOW;
  }

  /** Samples and waits so far: what a late arrival's floor lasts for. */
  private get events(): number {
    return this.samples + this.waits + this.freeChecks;
  }

  /** The samples the latency is taken over: those of the last FRESH_MS when there are enough, else the last few. */
  private freshSamples(): Array<{ ms: number; at: number }> {
    const since = this.now() - FRESH_MS;
    const fresh = this.recent.filter((s) => s.at >= since);
    return fresh.length >= MIN_SAMPLES ? fresh : this.recent.slice(-MIN_SAMPLES);
  }

  private get latency(): number | undefined {
    if (this.recent.length === 0) return undefined;
    const sorted = this.freshSamples().map((s) => s.ms).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(PERCENTILE * sorted.length))];
  }

  /** How long the next quiet wait lasts, ms. */
  waitMs(): number {
    const { quietMs, ceilingMs, adaptive } = this.settings;
    const latency = this.latency;
    if (!adaptive) return quietMs;
    const late = this.events < this.lateFloorUntil ? this.lateFloorMs : 0;
    const ceiling = Math.max(ceilingMs, quietMs);
    if (this.learning || latency === undefined) return Math.round(Math.min(Math.max(quietMs, late), ceiling));
    const floor = Math.min(FLOOR_MS, quietMs);
    return Math.round(Math.min(Math.max(floor, MULTIPLIER * latency, late), ceiling));
  }

  /** The pause between two silent lines sent in a row: about one reply latency, so a server reads them one at a time. */
  paceMs(): number {
    const latency = this.latency;
    if (!this.settings.adaptive || this.learning || latency === undefined) return Math.min(this.settings.quietMs, FLOOR_MS);
    return Math.max(1, Math.min(Math.ceil(latency), FLOOR_MS));
  }

  /** Count a wait of `ms` (0: the check needed none). */
  noteWait(ms: number): void {
    if (ms <= 0) {
      this.freeChecks += 1;
      return;
    }
    this.waits += 1;
    this.waitedMs += ms;
    this.minWait = Math.min(this.minWait ?? ms, ms);
    this.maxWait = Math.max(this.maxWait ?? 0, ms);
  }

  get ceilingMs(): number {
    return Math.max(this.settings.ceilingMs, this.settings.quietMs);
  }

  summary(): QuietWaitSummary {
    return {
      adaptive: this.settings.adaptive,
      samples: this.samples,
      waits: this.waits,
      waitedMs: this.waitedMs,
      latencyMs: this.latency,
      freeChecks: this.freeChecks,
      currentWaitMs: this.waitMs(),
      minWaitMs: this.minWait,
      maxWaitMs: this.maxWait,
      lateArrivals: this.lateArrivals,
      worstLateMs: this.worstLate,
      seededSamples: this.seededSamples,
    };
  }
}

/** The process's policy: every scenario of a run (in this process or worker) learns into it and waits by it. */
export const sharedQuietWait = new QuietWait({ quietMs: 300, ceilingMs: 1000, adaptive: true });

/** One sentence for the run's notes (several workers: one summary each). */
export function describeQuietWait(s: QuietWaitSummary, quietMs: number): string {
  if (s.waits === 0 && s.freeChecks === 0) return '';
  const spent = `${s.waits} quiet waits, ${(s.waitedMs / 1000).toFixed(1)} s in all, ${s.freeChecks} checks needing none`;
  if (!s.adaptive) return `no barrier: ${spent}, each the fixed quiet period of ${quietMs} ms (--fixed-quiet)`;
  const learned =
    s.latencyMs === undefined
      ? `no reply latency learned (${s.samples} samples)`
      : `reply latency ${s.latencyMs.toFixed(1)} ms (90th percentile of the recent ones; ${s.samples} samples${s.seededSamples > 0 ? `, the first ${s.seededSamples} taken over from the runner` : ''}), so waits of ${MULTIPLIER} x that, at least ${Math.min(FLOOR_MS, quietMs)} ms`;
  const range = s.minWaitMs !== undefined ? ` (${Math.round(s.minWaitMs)}-${Math.round(s.maxWaitMs ?? 0)} ms; ${quietMs} ms while learning)` : '';
  const late = s.lateArrivals > 0 ? `; ${s.lateArrivals} late repl${s.lateArrivals === 1 ? 'y' : 'ies'} seen (up to ${s.worstLateMs} ms after the send): waits lengthened` : '; no late reply seen';
  return `no barrier, adaptive quiet waits: ${learned}${range}; ${spent}${late}`;
}
