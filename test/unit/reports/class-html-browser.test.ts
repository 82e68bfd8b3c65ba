/** class.html in a real headless browser: its script runs without error and opens the failing-only view. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade } from '../../../grading/score.ts';
import { buildClassHtml } from '../../../grading/class-report.ts';
import { renderPage } from '../../support/headless-chromium.ts';
import { info, result } from '../grading/helpers.ts';

const rubric = compileRubric(
  { title: 'T', hiddenVisibility: 'hidden', categories: [{ id: 'a', title: 'A', points: 2, tags: '@a' }, { id: 'b', title: 'B', points: 1, tags: '@b' }] },
  't.json',
);
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

test('class.html in headless chromium: failing-only view on, category b (all passed) hidden, a spans its one failing column, no script error', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'class-html-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'class.html');
  await writeFile(file, buildClassHtml([grade('alice', ['passed', 'passed', 'failed']), grade('bob', ['passed', 'passed', 'passed'])]));
  const page = await renderPage(file);
  assert.deepEqual(page.scriptErrors, []);
  assert.match(page.dom, /<body class="failing-only">/, 'the script switched the view on');
  assert.match(page.dom, /<th colspan="1" data-all="2" data-failing="1"[^>]*>a<\/th>/, 'category a spans only its failing column');
  assert.match(page.dom, /<th colspan="1" data-all="1" data-failing="0"[^>]* hidden="">b<\/th>/, 'category b has nothing failing: hidden');
});
