/**
 * A grade is taken only when it adds up. The forgeries a daemon wrote into grade.json (10 / 10 with 0
 * scenarios passed; counts that disagree with the scenarios; points without a pass) are all refused, by
 * the batch (against the rubric's selection too) and by grade:merge; real grades, whatever their state, pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade, type Grade } from '../../../grading/score.ts';
import { gradeInconsistencies, gradeMismatches } from '../../../grading/verify-grade.ts';
import { mergeGrades } from '../../../grading/merge.ts';
import { info, result } from './helpers.ts';

const rubric = compileRubric(
  {
    title: 'T',
    hiddenVisibility: 'hidden',
    categories: [
      { id: 'a', title: 'A', points: 3, tags: '@a' },
      { id: 'b', title: 'B', points: 1, tags: '@b', allOrNothing: true },
    ],
  },
  't.json',
);
const selected = [info(1, ['@a']), info(2, ['@a', '@points:2']), info(3, ['@b']), info(4, ['@b'])];

function real(outcomes: Array<'passed' | 'failed' | undefined>, state: Grade['state'] = 'complete'): Grade {
  const results = new Map(selected.flatMap((s, i) => (outcomes[i] ? [[s.key, result(s, outcomes[i]!)] as const] : [])));
  return computeGrade({ rubric, selected, filtered: new Map(), results, notRunReason: 'not run', meta: { submission: 'x', target: 't', profile: 'p', state, notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 } });
}

test('real grades add up, whatever happened in the run', () => {
  for (const grade of [real(['passed', 'failed', 'passed', 'passed']), real([undefined, undefined, undefined, undefined], 'cut-off'), real(['passed', 'passed', 'passed', 'failed'])]) {
    assert.deepEqual(gradeInconsistencies(grade), []);
    assert.deepEqual(gradeMismatches(grade, rubric, selected), []);
  }
});

test('forgeries are refused: a full mark with nothing passed, counts or points that disagree with the scenarios', () => {
  const base = real(['failed', 'failed', 'failed', 'failed']);
  const forgeries: Array<[string, Grade]> = [
    ['total raised', { ...base, total: base.max }],
    ['category score raised', { ...base, categories: base.categories.map((c) => ({ ...c, score: c.points })), total: 4 }],
    ['counts changed', { ...base, counts: { ...base.counts, passed: 4, failed: 0 } }],
    ['statuses flipped but points kept', { ...base, scenarios: base.scenarios.map((s) => ({ ...s, status: 'passed' as const })) }],
    ['points without a pass', { ...base, scenarios: base.scenarios.map((s) => ({ ...s, points: s.maxPoints })) }],
    ['not a number', { ...base, total: Number.NaN }],
    ['schema', { ...base, schema: 'x' as Grade['schema'] }],
  ];
  for (const [what, forged] of forgeries) assert.ok(gradeInconsistencies(forged).length > 0, `${what} was accepted`);
  // A consistent grade of another rubric, or missing scenarios, is refused by the batch's check.
  const fewer = computeGrade({ rubric, selected: selected.slice(0, 2), filtered: new Map(), results: new Map(), notRunReason: 'n', meta: { target: 't', profile: 'p', state: 'complete', notes: [], startedAt: '', wallMs: 1 } });
  assert.deepEqual(gradeInconsistencies(fewer), []);
  assert.match(gradeMismatches(fewer, rubric, selected).join('\n'), /2 selected scenario\(s\) missing/);
});

test('grade:merge rejects a forged grade.json and keeps the honest ones', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-forged-'));
  try {
    const honest = real(['passed', 'failed', 'passed', 'passed']);
    const forged = { ...real(['failed', 'failed', 'failed', 'failed']), submission: 'mallory', total: 4 };
    for (const [sub, g] of [['honest', honest], ['mallory', forged]] as const) {
      fs.mkdirSync(path.join(dir, sub));
      fs.writeFileSync(path.join(dir, sub, 'grade.json'), JSON.stringify(g));
    }
    const merged = mergeGrades(['honest', 'mallory'].map((d) => path.join(dir, d, 'grade.json')));
    assert.deepEqual(merged.grades.map((g) => g.submission), ['x']);
    assert.equal(merged.rejected.length, 1);
    assert.match(merged.rejected[0]!, /mallory.*rejected, the grade does not add up \(total 4 but the categories add up to 0/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
