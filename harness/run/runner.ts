/**
 * One conformance run: bring the target up, run Cucumber over the selected scenarios with the target in
 * worldParameters, fold the message stream into reports, stop everything the runner started.
 *
 * Cucumber has no custom CLI flags and its BeforeAll runs once per parallel worker, so the target is
 * started here, once, and scenarios reach it (and restart it) through the loopback control endpoint.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { loadSources, loadSupport, runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { formats, runtime, sources } from './cucumber-options.ts';
import { andTags, readScenarios, scenarioKey } from '../../grading/scenarios.ts';
import type { Envelope } from '@cucumber/messages';
import type { HarnessParameters } from '../session/session-api.ts';
import { createTarget, startControlServer, TargetStartError, type Isolation, type TargetChoice, type TargetController } from '../target/index.ts';
import { PRISTINE_TAG, SERVER_WIDE_TAG, type ControlServer } from '../target/control-server.ts';
import { SCENARIO_ORDER_KEY, type ScenarioOrderOptions } from './scenario-order.ts';
import { prepareSandbox, type PreparedSandbox } from '../target/sandbox.ts';
import { buildJunitXml } from '../reports/junit.ts';
import { addReportScript } from '../reports/cucumber-html.ts';
import { completeHtmlReport, trimMessageReports } from '../reports/complete-html.ts';
import type { FilteredGroup, RunContext } from '../reports/run-context.ts';
import { RunModelBuilder, type RunModel, type ScenarioResult } from '../reports/run-model.ts';
import { buildSummaryMarkdown, verdict } from '../reports/summary-md.ts';
import { ProgressBar } from '../console/progress.ts';
import { painterFor } from '../console/style.ts';
import { formatFailure, formatSummary } from '../console/summary.ts';
import { discardEarlyWorker, setLanes, startWorkerEarly, type LongScenarios, type WorkerSetting } from './lanes.ts';
import { durationKey, loadDurations, longScenarios, saveDurations } from './scenario-durations.ts';
import { collectQuietWaitNotes, makeStatsDir, QUIET_WAIT_STATS_ENV } from './quiet-wait-stats.ts';
import { sharedQuietWait } from '../wire/quiet-wait.ts';
import { flakyWords, mergeRepeats, scenarioKeyOf } from '../reports/repeats.ts';
import { CONSOLE_TAG, forecastCacheable, forecastNote, forecastUngradable, gapsOf, knownUngradable } from './known-ungradable.ts';
import { loadProfile } from '../dialect/load-profile.ts';
import type { Profile } from '../dialect/profile-types.ts';
import { writeAnnotatedHtml } from '../reports/annotated-html.ts';
import { EXIT_OK, UsageError, usageErrorFrom } from '../../common/cli-support.ts';
import { PROJECT_ROOT } from '../../common/project-root.ts';
import { loadable } from '../../launch/bundle.mjs';

/** The runner's own support code, always loaded whatever --steps says: target control, quiet-wait statistics. */
const HOOKS = path.join(PROJECT_ROOT, 'steps', 'support', 'hooks.ts');
/** The Cucumber plugin that orders the scenarios (harness/run/scenario-order.ts). */
const ORDER_PLUGIN = path.join(PROJECT_ROOT, 'harness', 'run', 'scenario-order.ts');
/** The last run's scenario durations, for --parallel's scheduler (harness/run/scenario-durations.ts). */
const DURATIONS_FILE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'scenario-durations.json');

/** Which server a run's durations belong to (scenario-durations.ts): the target, its profile, its client. */
export function durationsTarget(options: Pick<RunnerOptions, 'target' | 'profile' | 'client'>): string {
  const { target } = options;
  const server = target.kind === 'embedded' ? 'embedded' : target.kind === 'external' ? `external ${target.address.host}:${target.address.port}` : `spawned ${target.command}`;
  return [server, `profile ${options.profile}`, ...(options.client !== undefined ? [`client ${options.client}`] : [])].join('\n');
}

/**
 * The long scenarios of the last run against the same server, for the lanes; those the run's order keeps
 * last (`lastTags`, see scenarioOrder) excluded, so they keep their place.
 */
function longHints(order: ScenarioOrderOptions, target: string): LongScenarios {
  const durations = loadDurations(DURATIONS_FILE, target);
  const long = longScenarios(durations);
  const last = new Set(order.lastTags ?? []);
  const pinned = (tags: ReadonlyArray<{ name: string }>): boolean => tags.some((t) => last.has(t.name));
  const key = (p: { uri?: string; name?: string }): string => durationKey({ uri: p.uri ?? '', name: p.name ?? '' });
  return {
    isLong: (pickle) => !pinned(pickle.tags) && long.has(key(pickle)),
    expectedMs: (pickle) => durations[key(pickle)] ?? 0,
  };
}

/**
 * The support code this process loaded for its first run. Node imports a module once per process, so a
 * second run that asked Cucumber to import the same step files would find no step definitions: it
 * reuses the library (a process that runs several suites one after the other, e.g. the tests). A run
 * with other support files cannot get them registered here at all: it is refused, not run without steps.
 */
let loadedSupport: { paths: string; library: ISupportCodeLibrary } | undefined;

/** The support files a run imports: its step definitions and the runner's own hooks. */
const supportPaths = (options: RunnerOptions): string[] => [...new Set([...options.steps, HOOKS])];

/** The support library of `options`' files: loaded by this process's first run, the same library after. */
async function supportLibrary(options: RunnerOptions): Promise<ISupportCodeLibrary> {
  const importPaths = supportPaths(options);
  if (loadedSupport === undefined) {
    const library = await loadSupport({ sources: sources(options.features, ''), support: { importPaths: importPaths.map(loadable), requireModules: [], requirePaths: [], loaders: [] } }, { cwd: PROJECT_ROOT });
    loadedSupport = { paths: importPaths.join('\n'), library };
  }
  if (loadedSupport.paths !== importPaths.join('\n')) {
    throw new Error(`this process already ran the suite with other support code (${loadedSupport.paths.replaceAll('\n', ', ')}); a run with ${importPaths.join(', ')} needs a process of its own`);
  }
  return loadedSupport.library;
}

export const REPORT_FILES = ['summary.md', 'cucumber.html', 'junit.xml', 'messages.ndjson'] as const;

export interface RunnerOptions {
  target: TargetChoice;
  profile: string;
  /** User's tag expression ('' = everything). */
  tags: string;
  parallel: number;
  timeoutMs: number;
  quietMs: number;
  forceQuiet: boolean;
  /** Always wait the whole quiet period (no learning from the server's reply latency). */
  fixedQuiet?: boolean;
  isolation: Isolation;
  /** Absolute. */
  reportsDir: string;
  /** Absolute feature paths or globs. */
  features: string[];
  /** Absolute support-code globs (step definitions, World). */
  steps: string[];
  /** Client-driven mode: the client command with {host} and {port} (see HarnessParameters.client). */
  client?: string;
  /** Seed of the harness's random choices (HarnessParameters.seed). */
  seed?: number;
  /** Size multiplier of the @load crowds (HarnessParameters.loadScale). */
  loadScale?: number;
  /** Run the selection this many times; a scenario whose verdict changes is flaky (default 1). */
  repeat?: number;
  /** Run the scenarios in a random order drawn from `seed` (a random seed when none is given; it is printed). */
  shuffle?: boolean;
  /** Run each failed scenario against the embedded reference server too and show both side by side. */
  diff?: boolean;
  /** Scenario keys (`uri:line`) to run first, in this order (the grader's budget order); the rest follow. */
  order?: string[];
  /**
   * Run the spawned server and client programs in a sandbox (harness/target/sandbox.ts) that shows a
   * private copy of `dir` (at its own path) and the `allow` folders, read-only. Grading sets it.
   */
  sandbox?: { dir: string; allow: string[] };
  /** Stop at the first failed scenario (the rest are reported skipped). */
  failFast?: boolean;
  /**
   * Run the scenarios the profile cannot grade too, up to the step it cannot express, instead of ending them
   * "not gradable" before they start (harness/run/known-ungradable.ts). Slower; the same verdicts, unless the
   * server fails such a scenario's setup (then "failed" instead of "not gradable").
   */
  runUngradable?: boolean;
  /** Failures on the terminal with the stack and node:assert's diff (the reports always have them). */
  verbose?: boolean;
}

export const EXIT_PASSED = EXIT_OK;
export const EXIT_FAILED = 1;
/** The harness itself failed (a bug, out of memory, RangeError): never the server's fault, never a usage error. */
export const EXIT_INTERNAL = 3;

/** The first line of an internal error, for a note in the reports (the stack goes to stderr). */
export function internalErrorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!.slice(0, 500);
}

const PRISTINE_WHY =
  'they need a server nobody else uses, and a --target server may have other clients; run with --server or without a target to include them';
const OPERATOR_WHY = 'the operator password of the target is unknown; pass --oper-password <the password the server was started with>';
const LIMITS_WHY = 'the harness can set §7 limits (connections, registration time, unsent output...) only on the embedded reference server';

function and(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p.trim() !== '');
  return nonEmpty.length === 0 ? '' : nonEmpty.map((p) => `(${p})`).join(' and ');
}

interface Selection {
  tagExpression: string;
  planned: number;
  filtered: FilteredGroup[];
  /** How many of the scenarios that will run carry this tag (e.g. @pristine: each gets a fresh target). */
  count(tag: string): number;
  /** The scenarios that will run, in order. */
  scenarios: PlannedScenario[];
}

export interface PlannedScenario {
  uri: string;
  line: number;
  name: string;
}

/**
 * The tags of each planned scenario. Cucumber's plan has none, and asking loadSources again for each
 * exclusion parsed every feature file once per question (about a second of CPU per run, paid by every
 * test that runs the CLI): one Gherkin parse of the planned files answers them all.
 */
function plannedTags(plan: ReadonlyArray<{ uri: string; location: { line: number } }>): string[][] {
  const files = [...new Set(plan.map((p) => path.resolve(PROJECT_ROOT, p.uri)))];
  const tagsByKey = new Map(readScenarios(files, PROJECT_ROOT).map((s) => [s.key, s.tags]));
  return plan.map((p) => tagsByKey.get(scenarioKey(p.uri, p.location.line)) ?? []);
}

/** The final tag expression, and what was taken out of the user's selection (with why). */
async function select(options: RunnerOptions, target: TargetController): Promise<Selection> {
  const exclusions: Array<{ tag: string; why: string }> = [];
  if (!target.owned) exclusions.push({ tag: PRISTINE_TAG, why: PRISTINE_WHY });
  if (target.operPassword === undefined) exclusions.push({ tag: '@operator', why: OPERATOR_WHY });
  if (target.startLimited === undefined) exclusions.push({ tag: '@limits', why: LIMITS_WHY });

  let loaded;
  try {
    loaded = await loadSources(sources(options.features, options.tags), { cwd: PROJECT_ROOT });
  } catch (error) {
    // Cucumber wraps the tag-expression parser's error; its cause is the readable part.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw usageErrorFrom(cause, 'bad --tags expression or feature paths: ');
  }
  if (loaded.errors.length > 0) {
    const e = loaded.errors[0]!;
    throw new UsageError(`cannot parse ${e.uri}:${e.location.line}: ${e.message.split('\n')[0]}`);
  }
  if (loaded.plan.length === 0) {
    throw new UsageError(`no scenario matches${options.tags ? ` --tags "${options.tags}"` : ''} in ${options.features.map((f) => path.relative(process.cwd(), f) || '.').join(', ')}`);
  }

  const tags = plannedTags(loaded.plan);
  const excludedBy = (scenarioTags: string[], excluded: string[]): boolean => excluded.some((t) => scenarioTags.includes(t));
  const filtered: FilteredGroup[] = [];
  const excludedSoFar: string[] = [];
  for (const { tag, why } of exclusions) {
    // Count each scenario once, under the first exclusion that removes it.
    const count = tags.filter((t) => t.includes(tag) && !excludedBy(t, excludedSoFar)).length;
    if (count > 0) filtered.push({ tag, count, why });
    excludedSoFar.push(tag);
  }
  const tagExpression = and(options.tags, ...excludedSoFar.map((t) => `not ${t}`));
  const keptIndexes = tags.flatMap((t, i) => (excludedBy(t, excludedSoFar) ? [] : [i]));
  const scenarios = keptIndexes.map((i) => ({ uri: loaded.plan[i]!.uri, line: loaded.plan[i]!.location.line, name: loaded.plan[i]!.name }));
  const count = (tag: string): number => keptIndexes.filter((i) => tags[i]!.includes(tag)).length;
  return { tagExpression, planned: keptIndexes.length, filtered, count, scenarios };
}

/** What a run with these options would run, and what it would leave out (and why), without starting anything. */
export async function planRun(options: RunnerOptions): Promise<Pick<Selection, 'scenarios' | 'filtered'>> {
  const { scenarios, filtered } = await select(options, createTarget(options.target));
  return { scenarios, filtered };
}

/**
 * The run's scenario order: the preferred order when there is one; on a server the runner cannot restart,
 * @server-wide scenarios last, so what they change (a ban, a console command) reaches no later scenario.
 */
function scenarioOrder(options: RunnerOptions, target: TargetController): ScenarioOrderOptions {
  return { ...(options.order ? { first: options.order } : {}), ...(target.owned ? {} : { lastTags: [SERVER_WIDE_TAG] }) };
}

/** NODE_OPTIONS for Cucumber's parallel workers, so they load TypeScript support code too. */
function workerEnv(): Record<string, string | undefined> {
  const current = process.env.NODE_OPTIONS ?? '';
  return { ...process.env, NODE_OPTIONS: /--import[= ]tsx\b/.test(current) ? current : `${current} --import tsx`.trim() };
}

/** Overrides laneWorker's rule: `always` or `never` (tests, and a machine whose cores the rule misjudges). */
export const LANE_WORKER_ENV = 'CHAT_CONFORMANCE_LANE_WORKER';

/**
 * --parallel: whether a worker process takes part (harness/run/lanes.ts). It adds a core to the harness and
 * costs one: its start-up (Node, tsx, Cucumber and the step files again, about 1.5 s of CPU) and a hop
 * through this process for every message of its scenarios. So it takes part only where a core is left for
 * it, `cores` of 3 or more (this process, the server under test, the worker), and never with the embedded
 * reference server, which answers from this process's event loop: a worker's every round trip would wait
 * for this loop, busy with its own lane. On the 2-core machines this project is measured on, one process
 * running every lane was faster at --parallel 2, 4 and 8, against the spawned reference server (6.2-6.5 s
 * against 7.0-7.7 s at 2) and against a server 25 ms slow per reply (12.1-12.3 s against 12.6-13.8 s);
 * bench/README.md, "Grading speed". LANE_WORKER_ENV overrides the rule.
 */
export function laneWorker(target: TargetChoice, statsDir?: string, cores = availableParallelism(), override = process.env[LANE_WORKER_ENV]): WorkerSetting | undefined {
  if (target.kind === 'embedded' || override === 'never') return undefined;
  if (cores < 3 && override !== 'always') return undefined;
  return { cwd: PROJECT_ROOT, env: { ...workerEnv(), ...(statsDir !== undefined ? { [QUIET_WAIT_STATS_ENV]: statsDir } : {}) } };
}

async function clearReports(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await Promise.all(REPORT_FILES.map((f) => fs.rm(path.join(dir, f), { force: true })));
}

/** After an interrupt, the most the runner takes to write its reports before it exits anyway. */
const INTERRUPT_HARD_STOP_MS = 8000;

async function writeReports(dir: string, model: RunModel, context: RunContext): Promise<void> {
  await fs.writeFile(path.join(dir, 'junit.xml'), buildJunitXml(model, context));
  await fs.writeFile(path.join(dir, 'summary.md'), buildSummaryMarkdown(model, context));
}

async function finishHtmlReport(html: string, messages: string, model: RunModel): Promise<void> {
  // Made from the messages of what ran (the run writes only those); a page already whole (--repeat and
  // --diff's annotated one) is left as it is.
  await completeHtmlReport(html, messages).catch(() => false);
  // It opens on the failures, transcripts shown.
  await addReportScript(html, { failed: model.scenarios.some((s) => s.outcome === 'failed') }).catch(() => {});
}

export interface RunnerIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Optional callbacks for programmatic users (the grader, which writes a grade after every scenario so a
 * killed run still leaves one). Called in the runner's process; errors they throw are not caught.
 */
export interface RunObserver {
  /** After the selection and the first start of the target, before the first scenario. */
  onPlanned?(plan: { tagExpression: string; planned: number; filtered: FilteredGroup[]; context: RunContext }): void | Promise<void>;
  /** Each scenario as it finishes (the same record the reports are built from). */
  onScenario?(result: ScenarioResult): void;
  /** The final model, after the reports are written (also on an interrupted run). */
  onFinished?(model: RunModel, context: RunContext): void | Promise<void>;
}

/**
 * Run the suite; resolves to the exit code (0 all passed, 1 a scenario failed). Throws UsageError or
 * TargetStartError (exit code 2) before anything ran.
 */
export async function runConformance(
  options: RunnerOptions,
  io: RunnerIo = { stdout: process.stdout, stderr: process.stderr },
  observer: RunObserver = {},
): Promise<number> {
  const startedAt = Date.now();
  const painter = painterFor(io.stdout);
  let sandbox: PreparedSandbox | undefined;
  if (options.sandbox && (options.target.kind === 'spawned' || options.client !== undefined)) {
    try {
      sandbox = prepareSandbox({ dir: options.sandbox.dir, allow: options.sandbox.allow, copy: true });
    } catch (error) {
      throw new TargetStartError(`cannot prepare the sandbox: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const target = createTarget(options.target.kind === 'spawned' && sandbox ? { ...options.target, sandbox: sandbox.spec } : options.target);
  const killOnExit = (): void => {
    discardEarlyWorker();
    target.killNow();
    sandbox?.dispose(); // its private copy of the submission
  };
  process.on('exit', killOnExit);
  let control: ControlServer | undefined;
  let interrupted = false;
  /** Envelopes the run recorded before an interrupt (the reports keep these only). */
  let recordedEnvelopes = 0;
  /** The interrupt's clean-up; it ends the process (exit 130). */
  let stopping: Promise<unknown> | undefined;
  let progress: ProgressBar | undefined;
  const builder = new RunModelBuilder((scenario) => {
    if (scenario.outcome === 'failed') {
      const text = formatFailure(scenario, options.reportsDir, painter, options.verbose ?? false);
      if (progress) progress.log(text);
      else io.stdout.write(`${text}\n`);
    }
    progress?.scenarioFinished(scenario.outcome);
    observer.onScenario?.(scenario);
  });

  const context: RunContext = {
    target: '',
    profile: options.profile,
    ...(options.tags ? { tags: options.tags } : {}),
    parallel: options.parallel,
    isolation: options.isolation,
    filtered: [],
    wallMs: 0,
    notes: [],
  };

  // --repeat and --diff change the first run's records once every run is done (repeats.ts, reference-diff.ts).
  let amend = (model: RunModel): RunModel => model;
  /**
   * The reports of what was recorded. `recordedUpTo`: the run was interrupted after that many envelopes.
   * The small reports and the observer's (a grade) come first, the HTML page last: a run stopped at a
   * time limit may be killed soon after, and the grade is what must be there.
   */
  const finishReports = async (recordedUpTo?: number): Promise<RunModel> => {
    const model = amend(builder.finish());
    context.wallMs = Date.now() - startedAt;
    await writeReports(options.reportsDir, model, context);
    await observer.onFinished?.(model, context);
    const html = path.join(options.reportsDir, 'cucumber.html');
    const messages = path.join(options.reportsDir, 'messages.ndjson');
    // Cucumber's own files go on growing with scenarios run against no target: cut back to what was recorded.
    if (recordedUpTo !== undefined) await trimMessageReports(html, messages, recordedUpTo).catch(() => undefined);
    await finishHtmlReport(html, messages, model);
    return model;
  };

  // Ctrl-C / kill: stop the target (its whole process group), write what we have, exit 130.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    progress?.clear();
    io.stderr.write(`\ninterrupted (${signal}): stopping the target and writing partial reports\n`);
    const hardStop = setTimeout(() => process.exit(130), INTERRUPT_HARD_STOP_MS);
    hardStop.unref();
    const recorded = recordedEnvelopes;
    // The reports are written while the target stops, not after: nothing is recorded any more, and a
    // target slow to die (or a control connection slow to close) must not leave the run without them.
    stopping = Promise.allSettled([target.stop(), control?.close(), finishReports(recorded)]).finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Where each process that runs scenarios leaves what its quiet waits learned (the worker's env names it).
  const statsDir = makeStatsDir();
  const worker = options.parallel > 1 ? laneWorker(options.target, statsDir) : undefined;
  if (worker) startWorkerEarly(worker); // its start-up overlaps the set-up below

  try {
    const selection = await select(options, target);
    context.filtered = selection.filtered;
    const support = await supportLibrary(options);
    // A server the runner spawns has a console whose answers it does not show (a --target has no console at
    // all: every @console scenario ends at its first console step, at once).
    const hiddenConsoleAnswers = options.target.kind === 'spawned' && selection.count(CONSOLE_TAG) > 0;
    const knownUngradable = await forecastFor(options, selection.tagExpression, support, context, io, options.target.kind === 'embedded', hiddenConsoleAnswers);

    const address = await target.start();
    context.target = target.describe();
    if (target.owned) {
      // --parallel: @server-wide scenarios on targets of their own, beside the others, instead of alone; a
      // worker process starts from what the runner's own lanes learned of the server's latency.
      control = await startControlServer(target, options.isolation, {
        privateServerWide: options.parallel > 1,
        learnedLatencies: () => sharedQuietWait.recentLatencies(),
      });
    }
    const serverWideOwnInstances = control?.privateServerWide === true;
    if (selection.count(SERVER_WIDE_TAG) > 0) {
      context.notes.push(
        serverWideOwnInstances
          ? `${SERVER_WIDE_TAG} scenarios (bans, the server console) each ran on an instance of the server of their own, started for them and stopped after them, beside the other scenarios: what they change cannot reach another scenario`
          : target.owned
            ? `${SERVER_WIDE_TAG} scenarios (bans, the server console) were each followed by a restart of the target, so what they change cannot reach a later scenario`
            : `${SERVER_WIDE_TAG} scenarios (bans) ran last: the runner cannot restart a --target server, so what they change could otherwise reach later scenarios; they need a fresh server to be graded alone`,
      );
    }
    if (target.owned && selection.count(PRISTINE_TAG) > 0) {
      context.notes.push(
        options.parallel > 1
          ? `${PRISTINE_TAG} scenarios ran alone (no other scenario in parallel), each on a freshly restarted target${serverWideOwnInstances ? ` (those also ${SERVER_WIDE_TAG}: on an instance of their own, beside the others)` : ''}`
          : `${PRISTINE_TAG} scenarios ran on a freshly restarted target`,
      );
    }

    const repeat = options.repeat ?? 1;
    const seed = options.seed ?? (options.shuffle ? randomInt(2 ** 31) : undefined);
    const order = (run: number): 'defined' | `random:${string}` => (options.shuffle ? `random:${seed! + run}` : 'defined');
    if (options.shuffle) {
      context.notes.push(`scenarios in a random order, seed ${seed}${repeat > 1 ? ` (run k uses seed ${seed} + k - 1)` : ''}: --shuffle --seed ${seed} replays it`);
      io.stdout.write(`Shuffled with seed ${seed} (--shuffle --seed ${seed} replays this order)\n`);
    }
    const comparing = repeat > 1 || options.diff === true;
    const parameters: HarnessParameters = {
      target: address,
      profile: options.profile,
      timeoutMs: options.timeoutMs,
      quietMs: options.quietMs,
      forceQuiet: options.forceQuiet,
      ...(options.fixedQuiet ? { fixedQuiet: true } : {}),
      pristine: target.owned,
      ...(options.client !== undefined ? { client: options.client } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(repeat > 1 ? { transcripts: 'all' as const } : {}),
      ...(comparing ? { comparable: true } : {}),
      ...(options.loadScale !== undefined ? { loadScale: options.loadScale } : {}),
      ...(target.operPassword !== undefined ? { operPassword: target.operPassword } : {}),
      ...(control ? { controlUrl: control.url, controlSecret: control.secret } : {}),
      ...(sandbox ? { sandbox: sandbox.spec } : {}),
      ...(knownUngradable ? { knownUngradable } : {}),
    };

    await clearReports(options.reportsDir);
    await observer.onPlanned?.({ tagExpression: selection.tagExpression, planned: selection.planned, filtered: selection.filtered, context });
    if (io.stdout.isTTY) {
      io.stdout.write(`${painter.paint('bold', 'Conformance')}: ${context.target}, profile ${options.profile}\n`);
      progress = new ProgressBar(io.stdout, painter);
      progress.setPlanned(selection.planned);
    }

    const runOptions: IRunOptions = {
      sources: sources(options.features, selection.tagExpression, order(0)),
      support,
      // --parallel N: N lanes over this process and one worker (harness/run/lanes.ts), not N worker processes.
      runtime: runtime(parameters, { parallel: 1, failFast: options.failFast ?? false }),
      formats: formats(path.join(options.reportsDir, 'messages.ndjson')),
      plugins: { specifiers: [loadable(ORDER_PLUGIN)], options: { [SCENARIO_ORDER_KEY]: scenarioOrder(options, target) } },
    };
    const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const environment = { cwd: PROJECT_ROOT, stdout: silent, stderr: io.stderr, env: workerEnv() };
    // The first run's messages, kept when later steps add to what cucumber.html shows.
    const envelopes: Envelope[] = [];
    const previousStats = process.env[QUIET_WAIT_STATS_ENV];
    process.env[QUIET_WAIT_STATS_ENV] = statsDir; // this process's lanes (the worker's env has it already)
    const long = options.parallel > 1 ? longHints(scenarioOrder(options, target), durationsTarget(options)) : undefined;
    setLanes(options.parallel, worker, long);
    try {
      await runCucumber(runOptions, environment, (envelope: Envelope) => {
        // After an interrupt the target is gone: what Cucumber still runs is not the server's doing.
        if (interrupted) return;
        recordedEnvelopes += 1;
        builder.add(envelope);
        if (comparing) envelopes.push(envelope);
      });
    } finally {
      setLanes(1);
      if (previousStats === undefined) delete process.env[QUIET_WAIT_STATS_ENV];
      else process.env[QUIET_WAIT_STATS_ENV] = previousStats;
    }
    // Interrupted: the signal handler writes the reports of what ran and exits; nothing more is recorded.
    if (stopping) await stopping;
    progress?.clear();
    context.notes.push(...collectQuietWaitNotes(statsDir, options.quietMs));

    // --repeat: the same selection again, each run's records kept apart (no report files of their own).
    const later: ScenarioResult[][] = [];
    for (let run = 1; run < repeat && !interrupted; run++) {
      io.stdout.write(`Run ${run + 1} of ${repeat}...\n`);
      const again = new RunModelBuilder();
      setLanes(options.parallel, worker, long);
      try {
        await runCucumber(
          { ...runOptions, sources: sources(options.features, selection.tagExpression, order(run)), support, formats: formats() },
          environment,
          (envelope: Envelope) => again.add(envelope),
        );
      } finally {
        setLanes(1);
      }
      later.push(again.finish().scenarios);
    }

    await control?.close();
    control = undefined;
    await target.stop();

    const reference = options.diff ? await referenceComparisons(builder, later, support, options, io) : new Map<string, NonNullable<ScenarioResult['reference']>>();
    if (comparing) {
      amend = (model) => {
        const scenarios = (later.length > 0 ? mergeRepeats([model.scenarios, ...later]) : model.scenarios).map((s) => {
          const found = reference.get(scenarioKeyOf(s));
          return found ? { ...s, reference: found } : s;
        });
        return { ...model, scenarios };
      };
    }
    const crashes = target.crashCount();
    if (crashes > 0) {
      context.notes.push(
        `the target crashed ${crashes} time(s) and was restarted each time before the next scenario began; a crash during a scenario's steps is reported on that scenario ("target crashed"), one caused by closing its connections after its steps passed is a "crash on disconnect" finding that does not fail it`,
      );
    }

    const model = await finishReports();
    // Scenarios that ran to a verdict: how long they take, for the next --parallel run's order.
    saveDurations(DURATIONS_FILE, durationsTarget(options), model.scenarios.filter((s) => s.outcome === 'passed' || s.outcome === 'failed'));
    if (comparing) {
      await writeAnnotatedHtml(path.join(options.reportsDir, 'cucumber.html'), envelopes, model.scenarios);
      await finishHtmlReport(path.join(options.reportsDir, 'cucumber.html'), path.join(options.reportsDir, 'messages.ndjson'), model); // the page made again needs its script again
    }
    for (const s of model.scenarios) {
      if (s.flaky) io.stdout.write(`${painter.paint(['red', 'bold'], `FLAKY ${s.feature} › ${s.name}`)}  (${scenarioKeyOf(s)}): ${flakyWords(s)}\n${s.flaky.comparison}\n\n`);
      if (s.reference) io.stdout.write(`${painter.paint('bold', `AGAINST THE REFERENCE ${s.feature} › ${s.name}`)}  (${scenarioKeyOf(s)})\n${s.reference.comparison}\n\n`);
    }
    io.stdout.write(`${formatSummary(model, context, options.reportsDir, painter)}\n`);
    return verdict(model) === 'PASS' ? EXIT_PASSED : EXIT_FAILED;
  } catch (error) {
    // An internal error (a RangeError from a formatter, a bug): the reports of what ran are still written.
    if (!(error instanceof UsageError) && !(error instanceof TargetStartError) && !interrupted) {
      context.notes.push(`the harness failed (an internal error, not the server's fault): ${internalErrorText(error)}`);
      try {
        await finishReports();
      } catch {
        // The reports cannot be written either; the error below says why the run stopped.
      }
    }
    throw error;
  } finally {
    discardEarlyWorker(); // the run failed before it adopted the worker forked ahead
    await fs.rm(statsDir, { recursive: true, force: true }); // read already, unless the run failed first
    progress?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await control?.close();
    await target.stop();
    process.off('exit', killOnExit);
    sandbox?.dispose();
  }
}

/**
 * The scenarios the profile cannot grade, known before the run (harness/run/known-ungradable.ts), for the
 * Before hook that ends them at once; undefined when there are none, with --run-ungradable, or when the
 * forecast failed (said in the notes: every scenario then runs, as it would without a forecast).
 */
async function forecastFor(
  options: RunnerOptions,
  tagExpression: string,
  support: ISupportCodeLibrary,
  context: RunContext,
  io: RunnerIo,
  consoleOutput: boolean,
  hiddenConsoleAnswers: boolean,
): Promise<Record<string, string> | undefined> {
  if (options.runUngradable) return undefined;
  let profile: Profile;
  try {
    profile = loadProfile(options.profile);
  } catch {
    return undefined; // a profile that does not load fails the run itself, with its own message
  }
  const clientDriven = options.client !== undefined;
  // A profile that lacks nothing has nothing to forecast, except where the target hides its console's
  // answers: the @console scenarios that read them would each take a server instance of their own and
  // wait out a console line before ending not gradable. Then only those are forecast (about 20 scenarios).
  const profileGaps = gapsOf(profile, clientDriven);
  const consoleOnly = profileGaps === undefined && hiddenConsoleAnswers;
  const gaps = profileGaps ?? (consoleOnly ? gapsOf(profile, clientDriven, true) : undefined);
  if (gaps === undefined) return undefined;
  if (io.stdout.isTTY) io.stdout.write(`Finding the scenarios profile ${profile.name} cannot grade (against the bundled reference server)...\n`);
  try {
    const forecastTags = consoleOnly ? andTags(tagExpression, CONSOLE_TAG) : tagExpression;
    const input = { profile, clientDriven, consoleOutput, features: options.features, tagExpression: forecastTags, support, cwd: PROJECT_ROOT };
    const forecast = forecastCacheable(options.features, options.steps) ? await knownUngradable(input, gaps) : await forecastUngradable(input, gaps);
    if (forecast.reasons.size === 0) return undefined;
    context.notes.push(forecastNote(forecast, profile.name, consoleOnly));
    return Object.fromEntries(forecast.reasons);
  } catch (error) {
    context.notes.push(`the forecast of the scenarios profile ${profile.name} cannot grade failed (${internalErrorText(error)}): every scenario ran against the server`);
    return undefined;
  }
}

/** --diff: the failed scenarios of the run (after --repeat's runs), compared with the reference server. */
async function referenceComparisons(
  builder: RunModelBuilder,
  later: readonly ScenarioResult[][],
  support: ISupportCodeLibrary,
  options: RunnerOptions,
  io: RunnerIo,
): Promise<Map<string, NonNullable<ScenarioResult['reference']>>> {
  const current = builder.finish().scenarios;
  const failed = (later.length > 0 ? mergeRepeats([current, ...later]) : current).filter((s) => s.outcome === 'failed');
  if (failed.length === 0) return new Map();
  io.stdout.write(`Running ${failed.length} failed scenario(s) against the reference server (--diff)...\n`);
  // Only --diff compares: its modules (a second in-process run, the side-by-side) load then.
  const { compareWithReference } = await import('./reference-diff.ts');
  return compareWithReference({ failed, support, root: PROJECT_ROOT, profile: options.profile, client: options.client !== undefined, timeoutMs: options.timeoutMs, quietMs: options.quietMs });
}

export { TargetStartError };
