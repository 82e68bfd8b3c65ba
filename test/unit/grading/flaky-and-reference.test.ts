/** How a flaky scenario counts (the rubric's "flaky"), and where grade.md and class.html show it and --diff's side by side. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade } from '../../../grading/score.ts';
import { buildGradeMarkdown } from '../../../grading/outputs/grade-md.ts';
import { buildClassHtml } from '../../../grading/class-report.ts';
import { mergeRepeats } from '../../../harness/reports/repeats.ts';
import type { ScenarioResult } from '../../../harness/reports/run-model.ts';
import { info, result } from './helpers.ts';

const rubricWith = (flaky?: 'failed' | 'majority') =>
  compileRubric({ title: 't', ...(flaky ? { flaky } : {}), categories: [{ id: 'a', title: 'A', points: 2, tags: '@a' }] }, 't.json');

const a = [info(1, ['@a']), info(2, ['@a'])];
const transcript = (text: string) => ({ mediaType: 'text/plain', text: `comparable transcript\n${text}` });

function graded(flaky: 'failed' | 'majority' | undefined, outcomes: Array<ScenarioResult['outcome']>, extra: Partial<ScenarioResult> = {}) {
  const runs = outcomes.map((o) => [result(a[0]!, o, { attachments: [transcript(o === 'passed' ? 'alice <- OK SAY #room' : 'alice <- MSG #room alice hi')] }), result(a[1]!, 'passed', extra)]);
  const merged = mergeRepeats(runs);
  return computeGrade({
    rubric: rubricWith(flaky),
    selected: a,
    filtered: new Map(),
    results: new Map(merged.map((r) => [`${r.uri}:${r.line}`, r])),
    notRunReason: 'not run',
    meta: { target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
  });
}

test('a flaky scenario counts as failed by default, whatever its majority', () => {
  const g = graded(undefined, ['passed', 'failed', 'passed']);
  const s = g.scenarios[0]!;
  assert.equal(s.status, 'failed');
  assert.deepEqual(s.flaky?.runs, ['passed', 'failed', 'passed']);
  assert.equal(s.flaky?.counted, 'failed');
  assert.match(s.flaky!.comparison, />> alice <- MSG #room alice hi +\| alice <- OK SAY #room/);
  assert.equal(g.total, 1);
});

test('with "flaky": "majority" it counts as most of its runs said; a tie is failed', () => {
  assert.equal(graded('majority', ['passed', 'failed', 'passed']).scenarios[0]!.status, 'passed');
  assert.equal(graded('majority', ['passed', 'failed', 'passed']).total, 2);
  assert.equal(graded('majority', ['failed', 'passed', 'failed']).scenarios[0]!.status, 'failed');
  assert.equal(graded('majority', ['passed', 'failed']).scenarios[0]!.status, 'failed');
});

test('a scenario that always fails or always passes is not flaky', () => {
  const g = graded('majority', ['failed', 'failed']);
  assert.equal(g.scenarios[0]!.status, 'failed');
  assert.equal(g.scenarios[0]!.flaky, undefined);
  assert.equal(g.scenarios[1]!.flaky, undefined);
});

test('grade.md and class.html show the flaky runs and the side by side with the reference server', () => {
  const reference = { how: 'embedded, profile canonical', outcome: 'passed' as const, comparison: 'First divergence at line 3, marked >>\n>> bob <- (error reply NO_SUCH_NICK) | bob <- (error reply NOT_ADMIN)' };
  const failing = graded(undefined, ['passed', 'failed'], {});
  const md = buildGradeMarkdown(failing);
  assert.match(md, /\*\*Flaky:\*\* its verdict changed from run to run \(passed, failed\); counted as failed/);
  const counted = graded('majority', ['passed', 'failed', 'passed']);
  assert.match(buildGradeMarkdown(counted), /## Flaky, counted as passed by their majority \(1\)/);
  const withReference = computeGrade({
    rubric: rubricWith(),
    selected: a,
    filtered: new Map(),
    results: new Map([[a[0]!.key, result(a[0]!, 'failed', { reference, failingStep: { text: 'Then bob is refused with NOT_ADMIN', message: 'expected NOT_ADMIN' } })]]),
    notRunReason: 'not run',
    meta: { target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
  });
  assert.equal(withReference.scenarios[0]!.reference?.comparison, reference.comparison);
  assert.match(buildGradeMarkdown(withReference), /\*\*What the reference server does\*\* \(`--diff`\):\n\n```text\nFirst divergence at line 3/);
  const html = buildClassHtml([{ ...withReference, submission: 's1' }, { ...counted, submission: 's2' }]);
  assert.match(html, /Against the reference server \(--diff\)/);
  assert.match(html, /NO_SUCH_NICK/);
  assert.match(html, /title="passed \(flaky\)">~</);
});
