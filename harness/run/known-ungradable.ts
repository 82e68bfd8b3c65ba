/**
 * The scenarios a profile cannot grade, known before the run (issue #19): a student server without a
 * barrier spends a quiet period after every silent command, and in client-driven mode a client program per
 * user, so a scenario that ends "not gradable" at its last step (a command the profile cannot express, a
 * field it cannot read, a literal wire line) used to cost seconds of setup first. Which scenarios those are
 * depends on the profile and the mode only, not on the server: the runner finds them first, by running the
 * selection against the bundled reference server, in this process, with the profile's gaps cut out of the
 * canonical profile (harness/run/profile-gaps.ts, the same forecast `npm run profile:check` prints). The
 * main run then ends each of them at once, "not gradable" with the reason the forecast found (a Before hook,
 * steps/support/hooks.ts), and runs the others against the server as before.
 *
 * A target that hides the console's answers (a spawned server: `consoleOutput` false) cannot grade the
 * @console scenarios that read them, whatever the profile: the forecast runs with the answers hidden too, and
 * with a profile that lacks nothing it runs the @console scenarios only (runner.ts, forecastFor).
 *
 * The profile's course variants are carried over, so the steps adapt as they will in the run, and a
 * scenario a variant excused or adapted is left to the run (its `variant:` note is what a rubric counts).
 * What the forecast does not carry over (names rules, stream framing: gapProfile's `notCarried`) is still
 * found during the run, as before. A forecast that fails is said in the run's notes and
 * changes nothing: every scenario then runs. `--run-ungradable` turns it off.
 *
 * A scenario the profile cannot grade to its end is not gradable as a whole: its points go to hand grading
 * whatever its setup would have done against the server (the same server's setup bugs fail the scenarios
 * that check those rules). So the set of hand-graded scenarios depends on the profile, not on the server.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ISupportCodeLibrary } from '@cucumber/cucumber/api';
import type { Envelope } from '@cucumber/messages';
import { loadProfile, resolveProfilePath } from '../dialect/load-profile.ts';
import { gapProfile, type Raw } from '../dialect/gap-profile.ts';
import type { Profile } from '../dialect/profile-types.ts';
import { VARIANT_PREFIX } from '../dialect/variants.ts';
import type { HarnessParameters } from '../session/session-api.ts';
import { buildRunModel } from '../reports/run-model.ts';
import { scenarioKeyOf } from '../reports/repeats.ts';
import { writeFileAtomic } from '../../common/atomic-write.ts';
import { PROJECT_ROOT } from '../../common/project-root.ts';
import { embeddedReferenceServer } from '../target/embedded.ts';
import { runSuiteInProcess } from './in-process-run.ts';

/** The reason a scenario is known not gradable before the run, from the run's parameters (the Before hook's lookup). */
export function knownUngradableReason(
  parameters: Pick<HarnessParameters, 'knownUngradable'> | undefined,
  pickle: { uri: string; location?: { line: number } },
): string | undefined {
  const known = parameters?.knownUngradable;
  if (known === undefined || pickle.location === undefined) return undefined;
  return known[`${pickle.uri}:${pickle.location.line}`];
}

/** Canonical's JSON as written (profiles/canonical.json): what gap profiles are cut out of. */
export function canonicalJson(): Raw {
  return JSON.parse(fs.readFileSync(resolveProfilePath('canonical'), 'utf8')) as Raw;
}

/**
 * The @console scenarios: those that read the console's answers (OK or ERR <code>) are not gradable on a
 * target that does not show them (a server the runner spawns: its stdout is free-form), whatever the profile.
 */
export const CONSOLE_TAG = '@console';

/**
 * Canonical minus `profile`'s gaps, as gapProfile makes it; undefined when nothing is missing (nothing to
 * find), unless `evenIfComplete` (a forecast for another reason than the profile: the console's answers).
 */
export function gapsOf(profile: Profile, clientDriven: boolean, evenIfComplete = false): Record<string, unknown> | undefined {
  const canonical = canonicalJson();
  const { raw } = gapProfile(profile, canonical, { variants: true });
  // Against canonical's own gap profile: gapProfile writes some fields in another form (lists for strings).
  const comparable = (json: Record<string, unknown>): string => JSON.stringify({ ...json, name: undefined, description: undefined, variants: undefined });
  const nothingMissing = comparable(raw) === comparable(gapProfile(loadProfile('canonical'), canonical).raw);
  return evenIfComplete || clientDriven || !nothingMissing ? raw : undefined;
}

export interface ForecastInput {
  profile: Profile;
  /** The run is client-driven (--client): literal wire lines and "stops reading" cannot be graded. */
  clientDriven: boolean;
  /** Absolute feature paths, and the run's final tag expression (the scenarios it will run). */
  features: string[];
  tagExpression: string;
  /** The support library (or files) the main run uses: the same steps decide the same reasons. */
  support: { importPaths: string[] } | ISupportCodeLibrary;
  cwd: string;
  /** The run's target shows the console's answers (the embedded server) or not (a spawned server). */
  consoleOutput: boolean;
  /** Per-expectation timeout against the reference server (a scenario that times out is simply not forecast). */
  timeoutMs?: number;
  /** Every envelope of the forecast run (profile:check groups the results itself). */
  onEnvelope?: (envelope: Envelope) => void;
}

export interface Forecast {
  /** `uri:line` -> the reason, for each scenario that ended not gradable against the reference server. */
  reasons: Map<string, string>;
  /** Scenarios the forecast ran. */
  ran: number;
  ms: number;
  /**
   * Every scenario reached a verdict (none skipped, e.g. by a grading time budget that ran out): only such
   * a forecast is kept in the cache, where a later run without that budget would find it.
   */
  complete: boolean;
  /** Read from the cache (an earlier run made the same forecast), not run now. */
  cached?: boolean;
}

/**
 * Run the selection against a fresh embedded reference server with `profile`'s gaps and return the
 * scenarios that end not gradable, with their reasons. Only "not gradable" is taken from this run: a
 * scenario that passes or fails against the reference server here is run against the server under test.
 */
export async function forecastUngradable(input: ForecastInput, gaps = gapsOf(input.profile, input.clientDriven)): Promise<Forecast> {
  const started = Date.now();
  if (gaps === undefined) return { reasons: new Map(), ran: 0, ms: 0, complete: true };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'known-ungradable-'));
  const file = path.join(dir, 'gaps.json');
  const envelopes: Envelope[] = [];
  try {
    await writeFile(file, JSON.stringify(gaps, null, 2));
    await runSuiteInProcess({
      target: embeddedReferenceServer(undefined, { consoleOutput: input.consoleOutput }),
      features: input.features,
      tags: input.tagExpression,
      support: input.support,
      timeoutMs: input.timeoutMs ?? 5000,
      failFast: false,
      cwd: input.cwd,
      parameters: { profile: file, ...(input.clientDriven ? { asIfClientDriven: true } : {}) },
      onEnvelope: (envelope) => {
        envelopes.push(envelope);
        input.onEnvelope?.(envelope);
      },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const results = buildRunModel(envelopes).scenarios;
  const reasons = new Map<string, string>();
  for (const result of results) {
    if (result.outcome !== 'not-gradable' || result.line === undefined) continue;
    // A scenario a course variant excused or adapted runs as before: its variant note is what a rubric
    // excuses or deducts (docs/GRADING.md), so the run itself must record it.
    if (result.attachments.some((a) => a.text.startsWith(VARIANT_PREFIX))) continue;
    reasons.set(scenarioKeyOf(result), reasonForTheServer(result.notGradableReason ?? 'not gradable'));
  }
  return { reasons, ran: results.length, ms: Date.now() - started, complete: results.every((r) => r.outcome !== 'skipped') };
}

/**
 * A forecast reason as the student's report shows it: without "not gradable:" (the hook says it again) and
 * without the reply it quotes, which is the reference server's, not theirs (the field the profile does not
 * read is the point).
 */
export function reasonForTheServer(reason: string): string {
  return reason.replace(/^not gradable:\s*/, '').replace(/ from the reply "[\s\S]*"$/, ' from its reply');
}

/**
 * The run's note about the forecast (the reports' notes, summary.md and grade.md). `consoleOnly`: the profile
 * lacks nothing, and only the @console scenarios were forecast, for the console's answers the target does not show.
 */
export function forecastNote(forecast: Forecast, profileName: string, consoleOnly = false): string {
  const against = consoleOnly ? 'with its console\'s answers hidden, as this server\'s are' : 'with what the profile lacks';
  const found = forecast.cached
    ? `found by an earlier run of the same selection and profile (cached), against the bundled reference server ${against}`
    : `found in ${(forecast.ms / 1000).toFixed(1)} s against the bundled reference server ${against}`;
  const which = consoleOnly
    ? `${forecast.reasons.size} of the ${forecast.ran} ${CONSOLE_TAG} scenarios read the console's answers, which only the embedded reference server shows: they are not gradable, known before the run`
    : `${forecast.reasons.size} of the ${forecast.ran} scenarios are not gradable with profile ${profileName}, known before the run`;
  return `${which} (${found}): they were not run against the server, and their points are for hand grading; --run-ungradable runs them anyway`;
}

/**
 * The cache of forecasts, between runs and between the graders of a batch (each grades in a process of its
 * own, most with the class's one profile): a forecast costs a few seconds of CPU, and its result depends
 * only on its input and on the project's own files. Inside the project, like the fixture bundles: never in
 * a folder a sandboxed submission can write.
 */
export const FORECAST_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'known-ungradable');
/**
 * What a forecast's verdicts depend on besides its input: the features, the code that runs them (the
 * grader adds its own support code, grading/support), the profiles.
 */
const FINGERPRINTED = ['features', 'steps', 'harness', 'reference-server', 'common', 'profiles', 'grading'];

function filesUnder(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' ? [] : filesUnder(path.join(dir, e.name))) : [path.join(dir, e.name)]));
}

let fingerprint: string | undefined;
/** A hash of the project's files a forecast depends on, and of the installed packages (package-lock.json). Once per process. */
function projectFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const hash = createHash('sha256');
  const files = [...FINGERPRINTED.flatMap((dir) => filesUnder(path.join(PROJECT_ROOT, dir))).sort(), path.join(PROJECT_ROOT, 'package-lock.json')];
  for (const file of files) {
    hash.update(`${path.relative(PROJECT_ROOT, file)}\0`);
    try {
      hash.update(fs.readFileSync(file));
    } catch {
      hash.update('(unreadable)');
    }
    hash.update('\0');
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/**
 * Whether a run's forecast may be cached: only when the project's own files make it (projectFingerprint
 * hashes those): its features, its step files, and the support code the grader adds (grading/support).
 */
export function forecastCacheable(features: readonly string[], steps: readonly string[]): boolean {
  const within = (folder: string, file: string): boolean => !path.relative(path.join(PROJECT_ROOT, folder), path.resolve(PROJECT_ROOT, file)).startsWith('..');
  return features.every((f) => within('features', f)) && steps.every((s) => within('steps', s) || within(path.join('grading', 'support'), s));
}

/** The cache file of a forecast: named by a hash of everything its result depends on. */
function cacheFile(input: ForecastInput, gaps: Record<string, unknown>, dir: string): string {
  const key = JSON.stringify({
    version: 1,
    project: projectFingerprint(),
    gaps,
    clientDriven: input.clientDriven,
    consoleOutput: input.consoleOutput,
    features: input.features.map((f) => path.relative(PROJECT_ROOT, f)),
    tagExpression: input.tagExpression,
    timeoutMs: input.timeoutMs ?? null,
  });
  return path.join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
}

function readCached(file: string): Forecast | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { reasons?: unknown; ran?: unknown; ms?: unknown };
    const reasons = json.reasons;
    if (typeof reasons !== 'object' || reasons === null || typeof json.ran !== 'number' || typeof json.ms !== 'number') return undefined;
    const entries = Object.entries(reasons);
    if (!entries.every(([, reason]) => typeof reason === 'string')) return undefined;
    return { reasons: new Map(entries as Array<[string, string]>), ran: json.ran, ms: json.ms, complete: true, cached: true };
  } catch {
    return undefined; // none yet, or unreadable: made again
  }
}

/**
 * The forecast for a run (forecastUngradable), from the cache when an earlier run made the same one. A
 * cache that cannot be written is no error: the next run makes the forecast again.
 */
export async function knownUngradable(
  input: ForecastInput,
  gaps: Record<string, unknown>,
  cacheDir = FORECAST_CACHE_DIR,
  forecastNow: typeof forecastUngradable = forecastUngradable, // tests: a forecast cut short
): Promise<Forecast> {
  const file = cacheFile(input, gaps, cacheDir);
  const cached = readCached(file);
  if (cached !== undefined) return cached;
  const forecast = await forecastNow(input, gaps);
  if (!forecast.complete) return forecast;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(file, `${JSON.stringify({ reasons: Object.fromEntries(forecast.reasons), ran: forecast.ran, ms: forecast.ms })}\n`);
  } catch {
    // read-only project: no cache
  }
  return forecast;
}
