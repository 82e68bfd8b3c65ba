/**
 * Gradescope autograder results (https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test
 * per counted scenario with its share of the category's points, plus zero-point tests listing the
 * scenarios that were not gradable or filtered out (so they are visible, never silently scored).
 * `@hidden` scenarios get the rubric's hiddenVisibility. The top-level score is set explicitly.
 */
import type { Grade, ScenarioGrade } from '../score.ts';
import type { Visibility } from '../rubric.ts';
import { gradeLine, notGradedWhy, pts, ruleInWords, STATUS_WORDS } from './format.ts';

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  output: string;
  tags: string[];
  visibility: Visibility;
  status?: 'passed' | 'failed';
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  stdout_visibility: Visibility;
  visibility: Visibility;
  tests: GradescopeTest[];
}

function testOutput(s: ScenarioGrade): string {
  const lines = [`Rule: ${ruleInWords(s)}`, `Scenario: ${s.name} (${s.uri}:${s.line})`, `Result: ${STATUS_WORDS[s.status]}`];
  if (s.reason) lines.push(`Why: ${s.reason}`);
  if (s.failingStep) lines.push(`Failing step: ${s.failingStep}`);
  if (s.message) lines.push('', s.message);
  if (s.transcript) lines.push('', 'End of the TCP transcript:', s.transcript);
  return lines.join('\n');
}

export function buildGradescopeResults(grade: Grade, hiddenVisibility: Visibility): GradescopeResults {
  const categoryIndex = new Map(grade.categories.map((c, i) => [c.id, i + 1]));
  const perCategory = new Map<string, number>();
  const tests: GradescopeTest[] = grade.scenarios.map((s) => {
    const n = (perCategory.get(s.category) ?? 0) + 1;
    perCategory.set(s.category, n);
    const counted = s.status === 'passed' || s.status === 'failed' || s.status === 'not-run';
    const title = grade.categories.find((c) => c.id === s.category)?.title ?? s.category;
    // Not counted (to grade by hand, cut by the budget): its max_score stays, so the test scores add up to
    // the rubric's one scale and a grader can give the points by hand on Gradescope.
    const why = s.status === 'cut' ? 'cut by the budget, not graded' : `${STATUS_WORDS[s.status]}, to grade by hand`;
    return {
      name: `${title}: ${s.name}${counted ? '' : ` [${why}]`}`,
      number: `${categoryIndex.get(s.category) ?? 0}.${n}`,
      score: s.points,
      max_score: s.maxPoints,
      output: testOutput(s),
      tags: [s.category, ...s.tags.map((t) => t.replace(/^@/, ''))],
      visibility: s.hidden ? hiddenVisibility : 'visible',
      ...(counted ? { status: s.status === 'passed' ? ('passed' as const) : ('failed' as const) } : {}),
    };
  });
  const summary = [
    `${gradeLine(grade, Number.POSITIVE_INFINITY)} (${grade.state}).`,
    ...grade.categories.map((c) => `${c.title}: ${c.graded ? `${pts(c.score)} / ${pts(c.max)}` : `not graded (${notGradedWhy(c)})`}, ${c.passed} passed, ${c.failed} failed, ${c.notRun} not run${c.cut ? `, ${c.cut} cut by the budget` : ''}${c.handPoints ? `, ${pts(c.handPoints)} pt to grade by hand` : ''}`),
    ...grade.notes,
  ].join('\n');
  return {
    score: grade.total,
    execution_time: Math.round(grade.wallMs / 1000),
    output: summary,
    stdout_visibility: 'hidden',
    visibility: 'visible',
    tests,
  };
}
