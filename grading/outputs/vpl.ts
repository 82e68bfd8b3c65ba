/**
 * Moodle VPL evaluation lines: `Grade :=>> <number>` (VPL keeps the last one) and `Comment :=>> <text>`.
 * The grader prints a running Grade line after every scenario, so a VPL run killed for overrunning its
 * time still records what was earned; the comments come once, at the end.
 */
import type { Grade } from '../score.ts';
import { gradeLine, notGradedWhy, pts, ruleInWords, scenarioTitle } from './format.ts';
import { printable } from './safe-text.ts';

export function vplGradeLine(grade: Grade): string {
  return `Grade :=>> ${pts(grade.total)}`;
}

/** One Comment line per category, then one per failure (hidden ones without details), then notes. */
export function vplComments(grade: Grade): string[] {
  const comment = (text: string): string => `Comment :=>> ${printable(text.replace(/\r?\n/g, ' '))}`;
  const out = [comment(`${grade.rubric.title}: ${gradeLine(grade)} (${grade.state})`)];
  for (const c of grade.categories) {
    out.push(comment(`${c.title}: ${c.graded ? `${pts(c.score)} / ${pts(c.max)}` : `not graded (${notGradedWhy(c)})`} (${c.passed} passed, ${c.failed} failed${c.notRun ? `, ${c.notRun} not run` : ''}${c.notGradable ? `, ${c.notGradable} not gradable` : ''})`));
  }
  for (const s of grade.scenarios.filter((x) => x.status === 'failed')) {
    if (s.hidden) out.push(comment('FAILED: a hidden check (details withheld)'));
    else out.push(comment(`FAILED: ${scenarioTitle(s)}: ${ruleInWords(s)}${s.message ? `: ${s.message.split('\n')[0]}` : ''}`));
  }
  for (const note of grade.notes) out.push(comment(note));
  return out;
}
