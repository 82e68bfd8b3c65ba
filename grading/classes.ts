/**
 * Which rules a scenario checks, as a grader following the course would see them (issue #21,
 * docs/GRADING.md "Course rules and spec rules"): every scenario carries exactly one class tag,
 * - `@course`: a rule the course grid or the student report (shared/seed/student-report.txt) states;
 * - `@spec`: a choice docs/PROTOCOL.md makes beyond the course (name grammar, lengths, error codes,
 *   ordering, exact wording, framing);
 * and, within `@course`, `@core` marks the scenarios that check a command's main effect.
 * test/unit/grading/course-classes.test.ts keeps every scenario classified.
 */
export const COURSE_TAG = '@course';
export const SPEC_TAG = '@spec';
export const CORE_TAG = '@core';

export type ScenarioClass = 'core' | 'course' | 'spec';

/** The class a scenario's tags give it, or a problem in words when they give none or several. */
export function scenarioClass(tags: readonly string[]): ScenarioClass | { problem: string } {
  const course = tags.includes(COURSE_TAG);
  const spec = tags.includes(SPEC_TAG);
  const core = tags.includes(CORE_TAG);
  if (course && spec) return { problem: `both ${COURSE_TAG} and ${SPEC_TAG}` };
  if (!course && !spec) return { problem: `neither ${COURSE_TAG} nor ${SPEC_TAG}` };
  if (spec && core) return { problem: `${CORE_TAG} on a ${SPEC_TAG} scenario (${CORE_TAG} is within ${COURSE_TAG} only)` };
  return core ? 'core' : course ? 'course' : 'spec';
}
