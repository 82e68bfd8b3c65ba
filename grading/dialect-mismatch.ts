/**
 * "Dialect mismatch": the server answers, but nothing it says matches the profile it is graded with (a
 * submission graded with the wrong profile, or with none when it needed one). Such a run fails every
 * scenario on expectations that time out while text is arriving; grading it 0 as "complete" would blame
 * the student for the grader's choice of dialect, so the grade is flagged instead, for a human to look at.
 *
 * The signal: not one scenario passed, and most failures are waits for something the profile describes
 * (its greeting, a reply, an event) that never matched: either the server sent text the profile does not
 * recognise (the test client's "Last lines received by ...") or it stayed silent where the profile expects
 * it to speak first (a greeting the dialect does not have). A server that speaks its profile's dialect
 * but breaks rules still passes something (registration, at least); one that never starts or crashes is
 * reported as such, not as a dialect question.
 */
import type { ScenarioResult } from '../harness/reports/run-model.ts';

/** How the test client says a failed wait saw text (harness/wire/test-client.ts, harness/session/session.ts). */
const RECEIVED_TEXT = /Last lines received by /;
/** How it says a wait ended without a match (text or not): the deadline passed. */
const UNMATCHED_WAIT = /within \d+ ms, but it did not arrive|Last lines received by /;
/** Below this many failures there is too little to tell a dialect from a broken server. */
const MIN_FAILURES = 3;

/** The reason to flag a run as a dialect mismatch, or undefined when it is not one. */
export function dialectMismatch(results: Iterable<ScenarioResult>, profile: string): string | undefined {
  let passed = 0;
  let failed = 0;
  let unmatched = 0;
  let answered = 0;
  for (const result of results) {
    if (result.outcome === 'passed') passed++;
    if (result.outcome !== 'failed') continue;
    failed++;
    const message = result.failingStep?.message ?? '';
    if (UNMATCHED_WAIT.test(message)) unmatched++;
    if (RECEIVED_TEXT.test(message)) answered++;
  }
  if (passed > 0 || failed < MIN_FAILURES || unmatched * 2 < failed) return undefined;
  const what =
    answered > 0
      ? `${answered} of ${failed} failures show the server answering with text that profile "${profile}" does not recognise`
      : `${unmatched} of ${failed} failures waited in vain for what profile "${profile}" expects first (its greeting or a reply): the server speaks otherwise`;
  return (
    `dialect mismatch: no scenario passed, and ${what}. The grade is not meaningful until the submission is graded ` +
    `with a profile for its dialect (npm run profile:draft, then npm run profile:check; docs/PROFILES.md)`
  );
}
