/**
 * Cucumber support code the grader adds to a graded run: the total time budget (`grade --budget s`).
 * Grading platforms kill an overrunning grader and then show nothing, so when the next scenario could not
 * finish before the deadline it is skipped, with a "not run: ..." attachment the grade reports as such.
 * The deadline comes through the environment (parallel workers inherit it; world parameters are the
 * runner's). Registered first among the grader's hooks so a skipped scenario costs no target restart.
 */
import { Before } from '@cucumber/cucumber';
import { BUDGET_CUT_PREFIX, DEADLINE_ENV, RESERVE_ENV } from '../budget-env.ts';

Before({ name: 'grading time budget' }, function (this: { attach(text: string, mediaType: string): void | Promise<void> }) {
  const deadline = Number(process.env[DEADLINE_ENV] ?? '');
  if (!Number.isFinite(deadline) || deadline <= 0) return undefined;
  const reserve = Number(process.env[RESERVE_ENV] ?? '0') || 0;
  const left = deadline - Date.now();
  if (left > reserve) return undefined;
  void this.attach(`${BUDGET_CUT_PREFIX}: the time budget ran out (${Math.max(0, Math.round(left / 1000))} s left, a scenario may need ${Math.round(reserve / 1000)} s)`, 'text/plain');
  return 'skipped';
});
