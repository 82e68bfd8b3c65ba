/** class.html's views (categories together, short column ids, failing-only) and the batch's progress and ETA. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade } from '../../../grading/score.ts';
import { buildClassHtml, shortId } from '../../../grading/class-report.ts';
import { etaMs, formatDuration, progressText, scenariosDone } from '../../../grading/batch-progress.ts';
import { info, result } from './helpers.ts';

const rubric = compileRubric(
  { title: 'T', hiddenVisibility: 'hidden', categories: [{ id: 'a', title: 'Category A', points: 2, tags: '@a' }, { id: 'b', title: 'Category B', points: 1, tags: '@b' }] },
  't.json',
);
// Feature order interleaves the categories: 1 (a), 2 (b), 3 (a).
const s = [info(1, ['@a']), info(2, ['@b']), info(3, ['@a'])];

function grade(submission: string, outcomes: Array<'passed' | 'failed'>) {
  return computeGrade({
    rubric,
    selected: s,
    filtered: new Map(),
    results: new Map(s.map((x, i) => [x.key, result(x, outcomes[i]!)])),
    notRunReason: 'not run',
    meta: { submission, target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
  });
}

const headerIds = (html: string): string[] => [...html.matchAll(/<th class="c[^"]*" title="[^"]*">([^<]+)<\/th>/g)].map((m) => m[1]!);

test('columns: a category kept together, short ids shown, the full name on hover', () => {
  const html = buildClassHtml([grade('alice', ['passed', 'passed', 'failed'])]);
  assert.deepEqual(headerIds(html), ['x:1', 'x:3', 'x:2'], 'category a (1 and 3) before b (2)');
  assert.match(html, /<th class="c[^"]*" title="X › scenario 3 \(features\/x\.feature:3\)">x:3<\/th>/);
  assert.match(html, /<th colspan="2" data-all="2" data-failing="1" title="Category A">a<\/th>/);
  assert.equal(shortId('features/kick.feature:40'), 'kick:40');
});

test('failing-only view: on by default when something failed, hides the columns everyone passed', () => {
  const html = buildClassHtml([grade('alice', ['passed', 'passed', 'failed']), grade('bob', ['passed', 'passed', 'passed'])]);
  assert.match(html, /<input type="checkbox" id="failing-only" checked>/);
  assert.match(html, /body\.failing-only \.ok \{ display: none; \}/);
  // x:1 and x:2 were passed by everyone: marked ok (hidden in the view); x:3 was failed by alice.
  assert.match(html, /<th class="c ok" [^>]*>x:1<\/th>/);
  assert.match(html, /<th class="c" [^>]*>x:3<\/th>/);
  assert.match(html, /<td class="f" data-d="\d+"/);
  assert.doesNotMatch(html, /<td class="f ok"/);
  // Nothing failed: everything is shown.
  assert.match(buildClassHtml([grade('carol', ['passed', 'passed', 'passed'])]), /<input type="checkbox" id="failing-only">/);
});

test('batch progress: scenarios done inside running submissions, and the time left at the rate so far', () => {
  assert.equal(etaMs(0, 10, 5000), undefined);
  assert.equal(etaMs(5, 10, 5000), 5000);
  assert.equal(etaMs(10, 10, 5000), 0);
  assert.equal(formatDuration(5000), '5 s');
  assert.equal(formatDuration(190_000), '3 min 10 s');
  const running = { ...grade('alice', ['passed', 'failed', 'passed']), state: 'running' as const };
  running.scenarios = running.scenarios.map((x, i) => (i === 2 ? { ...x, status: 'not-run' as const } : x));
  assert.equal(scenariosDone(running), 2);
  assert.equal(scenariosDone(grade('bob', ['passed', 'passed', 'passed'])), 3);
  assert.equal(scenariosDone(undefined), 0);
  // 1 of 3 submissions graded (3 scenarios each) and 2 + 1 done in the running ones: 6 of 9 in 60 s -> 30 s left.
  assert.equal(
    progressText({ graded: 1, submissions: 3, scenariosPerSubmission: 3, running: [{ name: 'b', done: 2 }, { name: 'c', done: 1 }], elapsedMs: 60_000 }),
    '1/3 graded, 66% of the scenarios, about 30 s left; running: b 2/3, c 1/3',
  );
  assert.match(progressText({ graded: 0, submissions: 2, scenariosPerSubmission: 5, running: [], elapsedMs: 1000 }), /time left not known yet/);
});
