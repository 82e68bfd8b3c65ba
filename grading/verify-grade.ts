/**
 * A grade is only taken when it adds up: its counts are the tally of its scenarios, each category's
 * score follows from its scenarios' statuses and weights, the total is the sum of the categories. A grade
 * file written by anything but the grader (a forger rewriting grade.json, a truncated copy) is caught
 * here by the batch and by grade:merge; the batch also checks it against the scenarios the rubric selects.
 */
import type { Rubric } from './rubric.ts';
import type { ScenarioInfo } from './scenarios.ts';
import { GRADE_SCHEMA, GRADE_STATUSES, round, type Grade, type GradeStatus } from './score.ts';

const EPSILON = 0.001;
const near = (a: number, b: number): boolean => Math.abs(a - b) <= EPSILON;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

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
    if (!finite(s.points) || !finite(s.maxPoints) || !finite(s.weight) || s.weight <= 0) problems.push(`${s.key}: points, maxPoints or weight is not a number`);
    else if (s.status !== 'passed' && s.points !== 0) problems.push(`${s.key} is ${s.status} but earns ${s.points}`);
    else if (s.points > s.maxPoints + EPSILON) problems.push(`${s.key} earns more than it is worth`);
  }

  let total = 0;
  let max = 0;
  let rubricPoints = 0;
  for (const c of grade.categories) {
    const mine = grade.scenarios.filter((s) => s.category === c.id);
    for (const [field, status] of [['passed', 'passed'], ['failed', 'failed'], ['notGradable', 'not-gradable'], ['filtered', 'filtered'], ['notRun', 'not-run']] as const) {
      if (c[field] !== tally(mine, status)) problems.push(`category ${c.id}: ${field} is ${c[field]} but ${tally(mine, status)} of its scenarios are ${status}`);
    }
    if (!finite(c.points) || !finite(c.score) || !finite(c.max)) {
      problems.push(`category ${c.id}: points, score or max is not a number`);
      continue;
    }
    const counted = mine.filter((s) => s.status === 'passed' || s.status === 'failed' || s.status === 'not-run');
    const weight = counted.reduce((sum, s) => sum + s.weight, 0);
    const earned = counted.filter((s) => s.status === 'passed').reduce((sum, s) => sum + s.weight, 0);
    const graded = counted.length > 0;
    const expected = !graded ? 0 : c.allOrNothing ? (near(earned, weight) ? c.points : 0) : (c.points * earned) / weight;
    if (c.graded !== graded) problems.push(`category ${c.id}: graded is ${c.graded} but ${counted.length} of its scenarios count`);
    if (!near(c.score, round(expected))) problems.push(`category ${c.id}: score ${c.score} but its scenarios earn ${round(expected)}`);
    if (!near(c.max, graded ? c.points : 0)) problems.push(`category ${c.id}: max ${c.max} but ${graded ? c.points : 0} is counted`);
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
  }
  if (grade.categories.length !== rubric.categories.length) problems.push(`${grade.categories.length} categories, the rubric has ${rubric.categories.length}`);
  return problems;
}
