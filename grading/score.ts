/**
 * The grade of one submission as a pure function of (rubric, the scenarios it selects, what the runner
 * filtered out, the results so far). Called after every scenario, so a grade exists at every moment of a
 * run: scenarios that have not run (yet, or ever) earn nothing but stay in the denominator, so a grade can
 * only go up while a run progresses and a slow or killed run is never rewarded.
 *
 * Counting rules (docs/GRADING.md): ONE scale, the rubric's full total (20 for the course rubric), for
 * every submission. Every scenario the rubric selects gets its share of its category's points, and:
 * - passed earns its share; failed and not-run (time limit, server never started) earn 0;
 * - flaky (--repeat: passed in some runs, failed in others) counts as failed, or as the verdict of most of
 *   its runs when the rubric says "flaky": "majority" (a tie is failed);
 * - not-gradable (the profile cannot express the check) and filtered (removed by the runner: @pristine on a
 *   shared target, @operator without the password) earn nothing automatically: their shares are listed
 *   as "to grade by hand" with their rules, for a grader to add;
 * - cut (the --budget ran out before it) earns nothing either and is reported as a cut, apart from failures;
 * - a crash on disconnect (the server died when a passed scenario's connections closed) is charged once,
 *   to the first @disconnect scenario that passed (harness/target/crash-notes.ts).
 */
import type { ScenarioResult } from '../harness/reports/run-model.ts';
import { VARIANT_PREFIX } from '../harness/dialect/variants.ts';
import { CRASH_BLOCK_PREFIX, DISCONNECT_CRASH_PREFIX, DISCONNECT_TAG } from '../harness/target/crash-notes.ts';
import { head, studentMessage, tail, transcriptOf } from '../harness/reports/failure-evidence.ts';
import { BUDGET_CUT_PREFIX } from './budget-env.ts';
import { categoryOf, isHidden, pointShares, scenarioWeight, type Rubric, type VariantPolicy } from './rubric.ts';
import type { ScenarioInfo } from './scenarios.ts';
import { optionalFeatureOf, type Manifest } from './manifest.ts';

export const GRADE_SCHEMA = 'chat-conformance/grade@1';

export type GradeStatus = 'passed' | 'failed' | 'not-gradable' | 'filtered' | 'not-run' | 'cut';
export const GRADE_STATUSES: readonly GradeStatus[] = ['passed', 'failed', 'not-gradable', 'filtered', 'not-run', 'cut'];
/** Statuses whose points a grader has to give by hand (the harness could not check them). */
export const BY_HAND: ReadonlySet<GradeStatus> = new Set(['not-gradable', 'filtered']);

/** Where a run stands: a grade is written while running, and its final state says how it ended. */
/** 'dialect-mismatch': complete, but the server's answers matched nothing in the profile (grading/dialect-mismatch.ts). */
/** 'cut': the run ended, but the --budget ran out before some scenarios (they are 'cut'). */
export type RunState = 'running' | 'complete' | 'cut' | 'cut-off' | 'server-did-not-start' | 'grader-error' | 'dialect-mismatch';

/** A planned scenario (ScenarioInfo) with its category, outcome and points. */
export interface ScenarioGrade extends ScenarioInfo {
  category: string;
  weight: number;
  hidden: boolean;
  status: GradeStatus;
  /** Why it is not-gradable, filtered or not-run. */
  reason?: string;
  /** The failing step as the feature says it, and the first lines of its message. */
  failingStep?: string;
  message?: string;
  /** The end of the TCP transcript (and any target crash report) of a failed scenario. */
  transcript?: string;
  /** Passed in some runs and failed in others (--repeat); `counted` is what the rubric made of it. */
  flaky?: { runs: string[]; counted: 'passed' | 'failed'; comparison: string };
  /**
   * With a manifest (chat-conformance.json), for a scenario of an optional feature: the feature, and
   * whether the submission says it implements it ("claimed but broken" vs "not implemented, declared").
   */
  optional?: { feature: string; title: string; declared: 'implemented' | 'not-implemented' };
  /** --diff: the scenario against the reference server, side by side with the first divergence marked. */
  reference?: { how: string; outcome: string; comparison: string };
  durationMs?: number;
  /** The course variants that adapted or excused this scenario (`variant: ...` attachments), if any. */
  variants?: string[];
  /** What the scenario is worth and what it earned, in rubric points. */
  maxPoints: number;
  points: number;
}

export interface CategoryGrade {
  id: string;
  title: string;
  group?: string;
  /** The rubric's points for this category. */
  points: number;
  allOrNothing: boolean;
  /** The rules it grades are beyond the course grid (PROTOCOL.md's own choices). */
  beyondCourseGrid?: boolean;
  /** False when no scenario of the category counted (nothing gradable, or none selected). */
  graded: boolean;
  score: number;
  /** The category's points when any of its scenarios was selected (one scale), else 0. */
  max: number;
  /** Points of its not-gradable and filtered scenarios: to grade by hand. */
  handPoints: number;
  /** Points of its scenarios the budget cut. */
  cutPoints: number;
  passed: number;
  failed: number;
  notGradable: number;
  filtered: number;
  notRun: number;
  cut: number;
}

/** The points the harness could not check, for a grader to give by hand. */
export interface ByHand {
  points: number;
  /** Each rule (or scenario) concerned, with its points. */
  rules: Array<{ rule: string; points: number; why: string }>;
}

export type StatusCounts = Record<GradeStatus, number> & { total: number };

export interface Grade {
  schema: typeof GRADE_SCHEMA;
  submission?: string;
  rubric: { title: string; source: string; variants: VariantPolicy };
  target: string;
  profile: string;
  /** The course variants the profile declares, in words (harness/dialect/variants.ts); the grade was made under them. */
  variants?: string[];
  /** What the submission's chat-conformance.json says it implements (the optional features), when it has one. */
  manifest?: { source: string; implements: string[] };
  tags?: string;
  state: RunState;
  notes: string[];
  startedAt: string;
  updatedAt: string;
  wallMs: number;
  total: number;
  /** Always the rubric's full total (one scale), less the points of categories no scenario of which was selected (--tags). */
  max: number;
  /** Sum of every category's points. */
  rubricPoints: number;
  /** Out of `max`: the points to grade by hand (not gradable, filtered). */
  toGradeByHand: ByHand;
  /** What the budget cut: scenarios and their points, not graded. */
  cut: { scenarios: number; points: number };
  /** Deaths of the server when a passed scenario's connections closed (each a crash report). */
  disconnectCrashes: string[];
  counts: StatusCounts;
  categories: CategoryGrade[];
  scenarios: ScenarioGrade[];
}

export interface GradeInput {
  rubric: Rubric;
  /** Every scenario the rubric (and --tags) selects, in feature order. */
  selected: readonly ScenarioInfo[];
  /** Scenario key -> why the runner left it out. */
  filtered: ReadonlyMap<string, string>;
  /** Scenario key -> its result, for those that finished. */
  results: ReadonlyMap<string, ScenarioResult>;
  /** The submission's feature manifest, when it has a valid one. */
  manifest?: Manifest;
  /** Why a selected scenario without a result has none ("not run yet", "the server did not start"...). */
  notRunReason: string;
  meta: Pick<Grade, 'target' | 'profile' | 'state' | 'notes' | 'startedAt' | 'wallMs'> & { submission?: string; tags?: string; variants?: string[] };
}

const MESSAGE_LINES = 12;
const MESSAGE_CHARS = 1500;
const TRANSCRIPT_LINES = 30;
const TRANSCRIPT_CHARS = 4000;
/** The same evidence the terminal shows (harness/reports/failure-evidence.ts); re-exported for existing users. */
export { studentMessage, TRANSCRIPT_PREFIX } from '../harness/reports/failure-evidence.ts';

/** Round for storage (no 0.30000000000000004 in a grade file); display rounding is the outputs' job. */
export const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The failure evidence a student can act on: the step, its message, the end of the transcript, a crash. */
function evidence(result: ScenarioResult): Pick<ScenarioGrade, 'failingStep' | 'message' | 'transcript'> {
  const out: Pick<ScenarioGrade, 'failingStep' | 'message' | 'transcript'> = {};
  if (result.failingStep) {
    out.failingStep = result.failingStep.text;
    out.message = head(studentMessage(result.failingStep.message), MESSAGE_LINES, MESSAGE_CHARS);
  }
  const parts: string[] = [];
  const transcript = transcriptOf(result.attachments);
  if (transcript !== undefined) parts.push(tail(transcript, TRANSCRIPT_LINES, TRANSCRIPT_CHARS));
  for (const crash of result.attachments.filter((a) => a.text.startsWith(CRASH_BLOCK_PREFIX))) parts.push(head(crash.text, 20, 2000));
  if (parts.length > 0) out.transcript = parts.join('\n\n');
  return out;
}

/** The `variant: ...` attachments of a scenario: the course variants that adapted or excused it. */
function variantsOf(result: ScenarioResult): string[] {
  return [...new Set(result.attachments.filter((a) => a.text.startsWith(VARIANT_PREFIX)).map((a) => a.text.slice(VARIANT_PREFIX.length).trim()))];
}

/** A scenario Cucumber skipped: cut by the budget hook, or not run for the reason a "not run: ..." attachment gives. */
function skipped(result: ScenarioResult): Pick<ScenarioGrade, 'status' | 'reason'> {
  const cut = result.attachments.find((a) => a.text.startsWith(BUDGET_CUT_PREFIX));
  if (cut) return { status: 'cut', reason: cut.text.slice(BUDGET_CUT_PREFIX.length).replace(/^:\s*/, '').trim() };
  const note = result.attachments.find((a) => a.text.startsWith('not run:'));
  return { status: 'not-run', reason: note ? note.text.slice('not run:'.length).trim() : 'skipped by the run (no step executed)' };
}

function emptyCounts(): StatusCounts {
  return { passed: 0, failed: 0, 'not-gradable': 0, filtered: 0, 'not-run': 0, cut: 0, total: 0 };
}

/**
 * A server that died when passed scenarios' connections closed has a disconnect bug the scenarios
 * themselves did not fail for: charge it once, to the first @disconnect scenario that passed, unless one
 * already failed (then it is charged already). Returns a note when no @disconnect scenario was selected.
 */
function chargeDisconnectCrashes(scenarios: ScenarioGrade[], crashes: readonly string[]): string | undefined {
  if (crashes.length === 0) return undefined;
  const rules = scenarios.filter((s) => s.tags.includes(DISCONNECT_TAG));
  if (rules.length === 0) return `the server died ${crashes.length} time(s) when a passed scenario's connections closed (see the disconnect findings); no ${DISCONNECT_TAG} rule was selected to charge it to`;
  if (rules.some((s) => s.status === 'failed')) return undefined;
  const charged = rules.find((s) => s.status === 'passed');
  if (!charged) return undefined;
  const block = crashes[0]!.split('\n').slice(1).join('\n');
  Object.assign(charged, {
    status: 'failed',
    failingStep: '(the server\'s deaths on disconnect, charged here once)',
    message: `the server died ${crashes.length} time(s) when the harness closed a scenario's connections after all its steps had passed: a client that leaves without /BYE must be a departure like any other (PROTOCOL.md §1.7)`,
    transcript: head(block, 20, 2000),
  });
  return undefined;
}

export function computeGrade(input: GradeInput): Grade {
  const { rubric } = input;
  const scenarios: ScenarioGrade[] = [];
  for (const info of input.selected) {
    const category = categoryOf(rubric, info.tags);
    if (!category) continue; // not selected by the rubric: never run, never graded
    const base: ScenarioGrade = {
      ...info,
      tags: [...info.tags],
      category: category.id,
      weight: scenarioWeight(info.tags),
      hidden: isHidden(info.tags),
      status: 'not-run',
      maxPoints: 0,
      points: 0,
    };
    const optional = input.manifest ? optionalFeatureOf(info.tags, info.name) : undefined;
    if (optional) base.optional = { feature: optional.id, title: optional.title, declared: input.manifest!.implements.includes(optional.id) ? 'implemented' : 'not-implemented' };
    const filteredWhy = input.filtered.get(info.key);
    const result = input.results.get(info.key);
    if (filteredWhy !== undefined) {
      Object.assign(base, { status: 'filtered', reason: filteredWhy });
    } else if (!result) {
      base.reason = input.notRunReason;
    } else {
      base.durationMs = Math.round(result.durationMs);
      const variants = variantsOf(result);
      if (variants.length > 0) base.variants = variants;
      if (result.reference) base.reference = { ...result.reference };
      if (variants.length > 0 && rubric.variants === 'deduct' && (result.outcome === 'passed' || result.outcome === 'not-gradable')) {
        Object.assign(base, {
          status: 'failed',
          message: `graded strictly: the server follows a course variant PROTOCOL.md does not allow (${variants.join('; ')})`,
        });
      } else if (result.flaky) {
        const counted = rubric.flaky === 'majority' && result.flaky.passed > result.flaky.failed ? 'passed' : 'failed';
        base.flaky = { runs: [...(result.runs ?? [])], counted, comparison: result.flaky.comparison };
        Object.assign(base, { status: counted }, evidence(result));
      } else if (result.outcome === 'passed') base.status = 'passed';
      else if (result.outcome === 'failed') Object.assign(base, { status: 'failed' }, evidence(result));
      else if (result.outcome === 'not-gradable') Object.assign(base, { status: 'not-gradable', reason: result.notGradableReason ?? 'not gradable' });
      else Object.assign(base, skipped(result));
    }
    scenarios.push(base);
  }

  const disconnectCrashes = [...input.results.values()].flatMap((r) => r.attachments.filter((a) => a.text.startsWith(DISCONNECT_CRASH_PREFIX)).map((a) => a.text));
  const uncharged = chargeDisconnectCrashes(scenarios, disconnectCrashes);

  const categories: CategoryGrade[] = rubric.categories.map((c) => {
    // One scale: every selected scenario has its share, whether or not it could be checked; except one a
    // course variant excuses (the course allows what the scenario checks otherwise): the others share its points.
    const mine = scenarios.filter((s) => s.category === c.id && !excused(s));
    const shares = pointShares(c, mine);
    const counted = mine.filter((s) => s.status === 'passed' || s.status === 'failed' || s.status === 'not-run' || s.status === 'cut');
    const graded = counted.length > 0;
    const allPassed = graded && counted.every((s) => s.status === 'passed');
    const allOrNothing = c.allOrNothing ?? false;
    mine.forEach((s, i) => {
      s.maxPoints = round(shares[i]!);
      s.points = s.status === 'passed' && (!allOrNothing || allPassed) ? s.maxPoints : 0;
    });
    const sumOf = (statuses: (status: GradeStatus) => boolean): number => shares.reduce((sum, share, i) => sum + (statuses(mine[i]!.status) ? share : 0), 0);
    const earned = sumOf((status) => status === 'passed');
    const score = !graded || (allOrNothing && !allPassed) ? 0 : earned;
    const all = scenarios.filter((s) => s.category === c.id);
    const count = (status: GradeStatus): number => all.filter((s) => s.status === status).length;
    return {
      id: c.id,
      title: c.title,
      ...(c.group ? { group: c.group } : {}),
      points: c.points,
      allOrNothing,
      ...(c.beyondCourseGrid ? { beyondCourseGrid: true } : {}),
      graded,
      score: round(score),
      max: all.length > 0 ? c.points : 0,
      handPoints: round(sumOf((status) => BY_HAND.has(status))),
      cutPoints: round(sumOf((status) => status === 'cut')),
      passed: count('passed'),
      failed: count('failed'),
      notGradable: count('not-gradable'),
      filtered: count('filtered'),
      notRun: count('not-run'),
      cut: count('cut'),
    };
  });

  const counts = emptyCounts();
  for (const s of scenarios) {
    counts[s.status] += 1;
    counts.total += 1;
  }
  const { submission, tags, variants, ...meta } = input.meta;
  const notes = uncharged ? [...meta.notes, uncharged] : [...meta.notes];
  const state: RunState = meta.state === 'complete' && counts.cut > 0 ? 'cut' : meta.state;
  return {
    schema: GRADE_SCHEMA,
    ...(submission !== undefined ? { submission } : {}),
    rubric: { title: rubric.title, source: rubric.source, variants: rubric.variants },
    ...meta,
    ...(tags ? { tags } : {}),
    ...(variants && variants.length > 0 ? { variants: [...variants] } : {}),
    state,
    ...(input.manifest ? { manifest: { source: input.manifest.source, implements: [...input.manifest.implements] } } : {}),
    notes,
    updatedAt: new Date().toISOString(),
    total: round(categories.reduce((sum, c) => sum + c.score, 0)),
    max: round(categories.reduce((sum, c) => sum + c.max, 0)),
    rubricPoints: round(rubric.categories.reduce((sum, c) => sum + c.points, 0)),
    toGradeByHand: { ...byHand(scenarios), points: round(categories.reduce((sum, c) => sum + c.handPoints, 0)) },
    cut: { scenarios: counts.cut, points: round(categories.reduce((sum, c) => sum + c.cutPoints, 0)) },
    disconnectCrashes,
    counts,
    categories,
    scenarios,
  };
}

/** Not gradable because a course variant of the profile excuses it: out of the category's shares. */
function excused(s: ScenarioGrade): boolean {
  return s.status === 'not-gradable' && (s.variants?.length ?? 0) > 0;
}

/** The not-gradable and filtered scenarios' points, grouped by rule (hidden ones without their rule). */
function byHand(scenarios: readonly ScenarioGrade[]): ByHand {
  const rules = new Map<string, { rule: string; points: number; why: string }>();
  for (const s of scenarios) {
    if (!BY_HAND.has(s.status) || s.maxPoints === 0) continue;
    const rule = s.hidden ? 'a hidden check' : (s.rule ?? s.name);
    const entry = rules.get(rule) ?? { rule, points: 0, why: s.reason ?? STATUS_REASON[s.status] };
    entry.points += s.maxPoints;
    rules.set(rule, entry);
  }
  const list = [...rules.values()].map((r) => ({ ...r, points: round(r.points) }));
  return { points: round(list.reduce((sum, r) => sum + r.points, 0)), rules: list };
}

const STATUS_REASON: Record<GradeStatus, string> = {
  passed: '',
  failed: '',
  'not-gradable': 'not gradable with this profile',
  filtered: 'left out by the runner',
  'not-run': '',
  cut: '',
};
