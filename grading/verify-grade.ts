/**
 * A grade is only taken when it adds up: its counts are the tally of its scenarios, each category's
 * score follows from its scenarios' statuses and weights, the total is the sum of the categories. A grade
 * file written by anything but the grader (a forger rewriting grade.json, a truncated copy) is caught
 * here by the batch and by grade:merge; the batch also checks it against the scenarios the rubric selects.
 */
import { pointShares, type Rubric } from './rubric.ts';
import type { ScenarioInfo } from './scenarios.ts';
import { GRADE_SCHEMA, GRADE_STATUSES, round, type Grade, type GradeStatus } from './score.ts';

const EPSILON = 0.001;
const near = (a: number, b: number): boolean => Math.abs(a - b) <= EPSILON;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** The statuses that stay in a category's denominator (earning their share or nothing). */
const COUNTED: ReadonlySet<GradeStatus> = new Set(['passed', 'failed', 'not-run', 'cut']);
/** Not gradable because a course variant excuses it: out of its category's shares (grading/score.ts). */
const excused = (s: Grade['scenarios'][number]): boolean => s.status === 'not-gradable' && (s.variants?.length ?? 0) > 0;

/** What does not add up in `grade` (empty when consistent). */
export function gradeInconsistencies(grade: Grade): string[] {
  const problems: string[] = [];
  if (grade?.schema !== GRADE_SCHEMA) return [`not a grade (schema ${String(grade?.schema)})`];
  if (!Array.isArray(grade.scenarios) || !Array.isArray(grade.categories) || typeof grade.counts !== 'object' || grade.counts === null) {
    return ['scenarios, categories or counts missing'];
  }
  for (const key of ['total', 'max', 'rubricPoints'] as const) if (!finite(grade[key])) problems.push(`${key} is not a number`);
  if (problems.length > 0) return problems;

  const tally = (list: Grade['scenarios'], status: GradeStatus): number => list.filter((s) => s.status === status).length;
  for (const status of GRADE_STATUSES) {
    if (grade.counts[status] !== tally(grade.scenarios, status)) problems.push(`counts.${status} is ${grade.counts[status]} but ${tally(grade.scenarios, status)} scenarios are ${status}`);
  }
  if (grade.counts.total !== grade.scenarios.length) problems.push(`counts.total is ${grade.counts.total} but there are ${grade.scenarios.length} scenarios`);

  const ids = new Set(grade.categories.map((c) => c.id));
  for (const s of grade.scenarios) {
    if (!GRADE_STATUSES.includes(s.status)) problems.push(`${s.key}: unknown status ${String(s.status)}`);
    if (!ids.has(s.category)) problems.push(`${s.key}: unknown category ${s.category}`);
    if (!finite(s.points) || !finite(s.maxPoints) || !finite(s.weight) || s.weight <= 0 || s.maxPoints < 0) problems.push(`${s.key}: points, maxPoints or weight is not a number`);
    else if (s.status !== 'passed' && s.points !== 0) problems.push(`${s.key} is ${s.status} but earns ${s.points}`);
    else if (s.points > s.maxPoints + EPSILON) problems.push(`${s.key} earns more than it is worth`);
  }
  if (problems.length > 0) return problems;

  // The one scale of grading/score.ts: a category's scenarios (but those a course variant excuses) share
  // its points; it is out of its full points whenever it selected a scenario, whatever could be checked.
  let total = 0;
  let max = 0;
  let rubricPoints = 0;
  for (const c of grade.categories) {
    const all = grade.scenarios.filter((s) => s.category === c.id);
    for (const [field, status] of [['passed', 'passed'], ['failed', 'failed'], ['notGradable', 'not-gradable'], ['filtered', 'filtered'], ['notRun', 'not-run'], ['cut', 'cut']] as const) {
      if (c[field] !== tally(all, status)) problems.push(`category ${c.id}: ${field} is ${c[field]} but ${tally(all, status)} of its scenarios are ${status}`);
    }
    if (!finite(c.points) || !finite(c.score) || !finite(c.max)) {
      problems.push(`category ${c.id}: points, score or max is not a number`);
      continue;
    }
    const mine = all.filter((s) => !excused(s));
    const rounding = EPSILON + mine.length * 0.0005; // each share is rounded to 3 decimals
    const sum = (list: typeof mine): number => list.reduce((acc, s) => acc + s.maxPoints, 0);
    if (mine.length > 0 && Math.abs(sum(mine) - c.points) > rounding) problems.push(`category ${c.id}: its scenarios share ${round(sum(mine))} points, not ${c.points}`);
    for (const s of all.filter(excused)) if (s.maxPoints !== 0 || s.points !== 0) problems.push(`${s.key} is excused by a course variant but is worth ${s.maxPoints}`);
    const counted = mine.filter((s) => COUNTED.has(s.status));
    const graded = counted.length > 0;
    const allPassed = graded && counted.every((s) => s.status === 'passed');
    const earns = (s: (typeof mine)[number]): boolean => s.status === 'passed' && (!c.allOrNothing || allPassed);
    for (const s of mine) if (earns(s) && !near(s.points, s.maxPoints)) problems.push(`${s.key} passed but earns ${s.points} of ${s.maxPoints}`);
    for (const s of mine) if (!earns(s) && s.points !== 0) problems.push(`${s.key} earns ${s.points} but does not count as passed`);
    const expected = graded ? sum(mine.filter(earns)) : 0;
    if (c.graded !== graded) problems.push(`category ${c.id}: graded is ${c.graded} but ${counted.length} of its scenarios count`);
    if (Math.abs(c.score - expected) > rounding) problems.push(`category ${c.id}: score ${c.score} but its scenarios earn ${round(expected)}`);
    if (!near(c.max, all.length > 0 ? c.points : 0)) problems.push(`category ${c.id}: max ${c.max} but it is out of ${all.length > 0 ? c.points : 0}`);
    total += c.score;
    max += c.max;
    rubricPoints += c.points;
  }
  if (!near(grade.total, total)) problems.push(`total ${grade.total} but the categories add up to ${round(total)}`);
  if (!near(grade.max, max)) problems.push(`max ${grade.max} but the categories add up to ${round(max)}`);
  if (!near(grade.rubricPoints, rubricPoints)) problems.push(`rubricPoints ${grade.rubricPoints} but the categories add up to ${round(rubricPoints)}`);
  if (grade.total < 0 || grade.total > grade.max + EPSILON) problems.push(`total ${grade.total} is outside 0..${grade.max}`);
  return problems;
}

/** Besides adding up: the grade covers exactly the scenarios the rubric selected, under the rubric's categories and points. */
export function gradeMismatches(grade: Grade, rubric: Rubric, selected: readonly ScenarioInfo[]): string[] {
  const problems = gradeInconsistencies(grade);
  if (problems.length > 0) return problems;
  const expected = new Set(selected.map((s) => s.key));
  const got = new Set(grade.scenarios.map((s) => s.key));
  if (got.size !== grade.scenarios.length) problems.push('a scenario is listed twice');
  const missing = [...expected].filter((k) => !got.has(k));
  const extra = [...got].filter((k) => !expected.has(k));
  if (missing.length > 0) problems.push(`${missing.length} selected scenario(s) missing (e.g. ${missing[0]})`);
  if (extra.length > 0) problems.push(`${extra.length} scenario(s) the rubric did not select (e.g. ${extra[0]})`);
  const byId = new Map(grade.categories.map((c) => [c.id, c]));
  for (const c of rubric.categories) {
    const mine = byId.get(c.id);
    if (!mine) problems.push(`category ${c.id} missing`);
    else if (!near(mine.points, c.points)) problems.push(`category ${c.id} worth ${mine.points}, the rubric says ${c.points}`);
    // Each scenario's share as the rubric makes it (weights, the core share), not as the file claims.
    const shared = grade.scenarios.filter((s) => s.category === c.id && !excused(s));
    const shares = pointShares(c, shared);
    const wrong = shared.filter((s, i) => Math.abs(s.maxPoints - shares[i]!) > EPSILON);
    if (wrong.length > 0) problems.push(`${wrong[0]!.key} is worth ${wrong[0]!.maxPoints}, the rubric gives it ${round(shares[shared.indexOf(wrong[0]!)]!)}`);
  }
  if (grade.categories.length !== rubric.categories.length) problems.push(`${grade.categories.length} categories, the rubric has ${rubric.categories.length}`);
  return problems;
}
