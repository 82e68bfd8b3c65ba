/** Small shared formatting for the grade outputs. */
import type { Grade, GradeStatus, ScenarioGrade } from '../score.ts';

/** Points for people: at most two decimals, no trailing zeros ("1.5", "0.33", "20"). */
export function pts(x: number): string {
  return String(Math.round(x * 100) / 100);
}

export const STATUS_WORDS: Record<GradeStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  'not-gradable': 'not gradable',
  filtered: 'filtered out',
  'not-run': 'not run',
  cut: 'cut by the budget',
};

/** "to grade by hand: 1.25 points (rules: A (0.5), B (0.75))", or '' when there is nothing to grade by hand. */
export function byHandWords(grade: Pick<Grade, 'toGradeByHand'>, maxRules = 8): string {
  const hand = grade.toGradeByHand;
  if (!hand || hand.points === 0) return '';
  const shown = hand.rules.slice(0, maxRules).map((r) => `${r.rule} (${pts(r.points)})`);
  const more = hand.rules.length > maxRules ? `, and ${hand.rules.length - maxRules} more` : '';
  return `to grade by hand: ${pts(hand.points)} points (rules: ${shown.join('; ')}${more})`;
}

/** "cut by the budget: 12 scenarios, 3.5 points not graded", or '' when the budget cut nothing. */
export function cutWords(grade: Pick<Grade, 'cut'>): string {
  const cut = grade.cut;
  if (!cut || cut.scenarios === 0) return '';
  return `cut by the budget: ${cut.scenarios} scenarios, ${pts(cut.points)} points not graded`;
}

/** The grade on its one scale, with what was not graded beside it: "14.5 / 20; to grade by hand: ...; cut by ...". */
export function gradeLine(grade: Pick<Grade, 'total' | 'max' | 'toGradeByHand' | 'cut'>, maxRules = 8): string {
  return [`${pts(grade.total)} / ${pts(grade.max)}`, byHandWords(grade, maxRules), cutWords(grade)].filter(Boolean).join('; ');
}

/** "Feature › Scenario" with the rule when there is one: how a student finds the scenario. */
export function scenarioTitle(s: ScenarioGrade): string {
  return `${s.feature} › ${s.name}`;
}

/** The rule in plain words, as the terminal says it too. */
export { ruleInWords } from '../../harness/reports/failure-evidence.ts';

/** Why a category is not graded: none of its scenarios was selected, or none that was could be counted. */
export function notGradedWhy(c: { notGradable: number; filtered: number }): string {
  return c.notGradable + c.filtered === 0 ? 'not selected' : 'nothing gradable: all to grade by hand';
}
