/** Small shared formatting for the grade outputs. */
import type { GradeStatus, ScenarioGrade } from '../score.ts';

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
};

/** "Feature › Scenario" with the rule when there is one: how a student finds the scenario. */
export function scenarioTitle(s: ScenarioGrade): string {
  return `${s.feature} › ${s.name}`;
}

/** The rule in plain words: the Gherkin Rule, else the scenario name, with the PROTOCOL.md sections. */
export function ruleInWords(s: ScenarioGrade): string {
  const rule = s.rule ?? s.name;
  return s.sections ? `${rule} (PROTOCOL.md ${s.sections})` : rule;
}

/** Why a category is not graded: none of its scenarios was selected, or none that was could be counted. */
export function notGradedWhy(c: { notGradable: number; filtered: number }): string {
  return c.notGradable + c.filtered === 0 ? 'not selected' : 'nothing gradable';
}
