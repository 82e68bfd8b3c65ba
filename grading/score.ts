/**
 * The grade of one submission as a pure function of (rubric, the scenarios it selects, what the runner
 * filtered out, the results so far). Called after every scenario, so a grade exists at every moment of a
 * run: scenarios that have not run (yet, or ever) earn nothing but stay in the denominator, so a grade can
 * only go up while a run progresses and a slow or killed run is never rewarded.
 *
 * Counting rules (docs/GRADING.md):
 * - passed earns its share; failed and not-run (budget, time limit, server never started) earn 0;
 * - flaky (--repeat: passed in some runs, failed in others) counts as failed, or as the verdict of most of
 *   its runs when the rubric says "flaky": "majority" (a tie is failed);
 * - not-gradable (the profile cannot express the check) and filtered (removed by the runner: @pristine on a
 *   shared target, @operator without the password) are listed but NOT counted: out of the denominator;
 * - a category with nothing counted is "not graded": its points leave the maximum, and it says so.
 */
import type { ScenarioResult } from '../harness/reports/run-model.ts';
import { VARIANT_PREFIX } from '../harness/dialect/variants.ts';
import { categoryOf, isHidden, pointShares, scenarioWeight, type Rubric, type VariantPolicy } from './rubric.ts';
import type { ScenarioInfo } from './scenarios.ts';

export const GRADE_SCHEMA = 'chat-conformance/grade@1';

export type GradeStatus = 'passed' | 'failed' | 'not-gradable' | 'filtered' | 'not-run';
export const GRADE_STATUSES: readonly GradeStatus[] = ['passed', 'failed', 'not-gradable', 'filtered', 'not-run'];

/** Where a run stands: a grade is written while running, and its final state says how it ended. */
/** 'dialect-mismatch': complete, but the server's answers matched nothing in the profile (grading/dialect-mismatch.ts). */
export type RunState = 'running' | 'complete' | 'cut-off' | 'server-did-not-start' | 'grader-error' | 'dialect-mismatch';

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
  /** False when no scenario of the category counted: then `max` is 0. */
  graded: boolean;
  score: number;
  max: number;
  passed: number;
  failed: number;
  notGradable: number;
  filtered: number;
  notRun: number;
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
  tags?: string;
  state: RunState;
  notes: string[];
  startedAt: string;
  updatedAt: string;
  wallMs: number;
  total: number;
  max: number;
  /** Sum of every category's points (max plus the points of categories not graded). */
  rubricPoints: number;
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
  /** Why a selected scenario without a result has none ("not run yet", "the server did not start"...). */
  notRunReason: string;
  meta: Pick<Grade, 'target' | 'profile' | 'state' | 'notes' | 'startedAt' | 'wallMs'> & { submission?: string; tags?: string; variants?: string[] };
}

const MESSAGE_LINES = 12;
const MESSAGE_CHARS = 1500;
const TRANSCRIPT_LINES = 30;
const TRANSCRIPT_CHARS = 4000;
export const TRANSCRIPT_PREFIX = 'TCP transcript\n';

/** Round for storage (no 0.30000000000000004 in a grade file); display rounding is the outputs' job. */
export const round = (x: number): number => Math.round(x * 10_000) / 10_000;

function head(text: string, lines: number, chars: number): string {
  const kept = text.split('\n').slice(0, lines).join('\n');
  const cut = kept.length > chars ? `${kept.slice(0, chars)}…` : kept;
  return cut.length < text.length ? `${cut}\n(…)` : cut;
}

function tail(text: string, lines: number, chars: number): string {
  const all = text.split('\n');
  let kept = all.slice(-lines).join('\n');
  if (kept.length > chars) kept = `…${kept.slice(-chars)}`;
  return all.length > lines || kept.length < text.length ? `(… ${Math.max(0, all.length - lines)} earlier lines)\n${kept}` : kept;
}

/**
 * The assertion message without what only a harness developer needs: the stack and node:assert's
 * "+ expected - actual" diff of booleans. The first line already says what was expected and what came.
 */
export function studentMessage(message: string): string {
  const kept: string[] = [];
  for (const line of message.replace(/^AssertionError(?: \[ERR_ASSERTION\])?: /, '').split('\n')) {
    if (/^\s+at\s/.test(line) || /^\s*\+ expected - actual\s*$/.test(line)) break;
    kept.push(line);
  }
  return kept.join('\n').trimEnd();
}

/** The failure evidence a student can act on: the step, its message, the end of the transcript, a crash. */
function evidence(result: ScenarioResult): Pick<ScenarioGrade, 'failingStep' | 'message' | 'transcript'> {
  const out: Pick<ScenarioGrade, 'failingStep' | 'message' | 'transcript'> = {};
  if (result.failingStep) {
    out.failingStep = result.failingStep.text;
    out.message = head(studentMessage(result.failingStep.message), MESSAGE_LINES, MESSAGE_CHARS);
  }
  const parts: string[] = [];
  const transcript = result.attachments.find((a) => a.text.startsWith(TRANSCRIPT_PREFIX));
  if (transcript) parts.push(tail(transcript.text.slice(TRANSCRIPT_PREFIX.length), TRANSCRIPT_LINES, TRANSCRIPT_CHARS));
  for (const crash of result.attachments.filter((a) => a.text.startsWith('target crashed'))) parts.push(head(crash.text, 20, 2000));
  if (parts.length > 0) out.transcript = parts.join('\n\n');
  return out;
}

/** The `variant: ...` attachments of a scenario: the course variants that adapted or excused it. */
function variantsOf(result: ScenarioResult): string[] {
  return [...new Set(result.attachments.filter((a) => a.text.startsWith(VARIANT_PREFIX)).map((a) => a.text.slice(VARIANT_PREFIX.length).trim()))];
}

/** A scenario Cucumber skipped: the budget hook (or another) says why in a "not run: ..." attachment. */
function skipReason(result: ScenarioResult): string {
  const note = result.attachments.find((a) => a.text.startsWith('not run:'));
  return note ? note.text.slice('not run:'.length).trim() : 'skipped by the run (no step executed)';
}

function emptyCounts(): StatusCounts {
  return { passed: 0, failed: 0, 'not-gradable': 0, filtered: 0, 'not-run': 0, total: 0 };
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
      else Object.assign(base, { status: 'not-run', reason: skipReason(result) });
    }
    scenarios.push(base);
  }

  const categories: CategoryGrade[] = rubric.categories.map((c) => {
    const mine = scenarios.filter((s) => s.category === c.id);
    const counted = mine.filter((s) => s.status === 'passed' || s.status === 'failed' || s.status === 'not-run');
    const shares = pointShares(c, counted);
    const graded = counted.length > 0;
    const allPassed = graded && counted.every((s) => s.status === 'passed');
    const allOrNothing = c.allOrNothing ?? false;
    counted.forEach((s, i) => {
      s.maxPoints = round(shares[i]!);
      s.points = s.status === 'passed' && (!allOrNothing || allPassed) ? s.maxPoints : 0;
    });
    const earned = shares.reduce((sum, share, i) => sum + (counted[i]!.status === 'passed' ? share : 0), 0);
    const score = !graded ? 0 : allOrNothing ? (allPassed ? c.points : 0) : earned;
    const count = (status: GradeStatus): number => mine.filter((s) => s.status === status).length;
    return {
      id: c.id,
      title: c.title,
      ...(c.group ? { group: c.group } : {}),
      points: c.points,
      allOrNothing,
      ...(c.beyondCourseGrid ? { beyondCourseGrid: true } : {}),
      graded,
      score: round(score),
      max: graded ? c.points : 0,
      passed: count('passed'),
      failed: count('failed'),
      notGradable: count('not-gradable'),
      filtered: count('filtered'),
      notRun: count('not-run'),
    };
  });

  const counts = emptyCounts();
  for (const s of scenarios) {
    counts[s.status] += 1;
    counts.total += 1;
  }
  const { submission, tags, variants, ...meta } = input.meta;
  return {
    schema: GRADE_SCHEMA,
    ...(submission !== undefined ? { submission } : {}),
    rubric: { title: rubric.title, source: rubric.source, variants: rubric.variants },
    ...meta,
    ...(tags ? { tags } : {}),
    ...(variants && variants.length > 0 ? { variants: [...variants] } : {}),
    notes: [...meta.notes],
    updatedAt: new Date().toISOString(),
    total: round(categories.reduce((sum, c) => sum + c.score, 0)),
    max: round(categories.reduce((sum, c) => sum + c.max, 0)),
    rubricPoints: round(rubric.categories.reduce((sum, c) => sum + c.points, 0)),
    counts,
    categories,
    scenarios,
  };
}
