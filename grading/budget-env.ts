/**
 * The environment variables that carry `grade --budget` to the Cucumber hook in support/budget-hook.ts
 * (a separate module: importing the hook file outside a Cucumber run would register a hook too early).
 */
export const DEADLINE_ENV = 'CHAT_GRADE_DEADLINE_MS';
export const RESERVE_ENV = 'CHAT_GRADE_RESERVE_MS';

/** How the budget hook's note on a scenario it skipped starts: the grade reports such a scenario as cut. */
export const BUDGET_CUT_PREFIX = 'cut by the budget';
