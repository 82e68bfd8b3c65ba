/**
 * The course rubric stays calibrated (issue #21): every fixture of test/fixtures/calibration/calibrate.ts,
 * graded as a grader runs it, is within 1 point (/20) of the grade a grader following the course grid
 * gives it by hand; the reference server gets 20 / 20 under both rubrics; a declared course variant costs
 * nothing under the course rubric, is listed in the grade, and is deducted by the strict rubric.
 *
 * About 8 full graded runs (1 to 2 minutes each on a busy 2-core machine): `npm run test:calibration`,
 * run by .ci/run after `npm test`, not part of `npm test`'s unit tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrate, FIXTURES, outOf20, tableRow, type Calibrated } from '../fixtures/calibration/calibrate.ts';

const JOBS = 2;

async function calibrateAll(): Promise<Map<string, Calibrated>> {
  const out = new Map<string, Calibrated>();
  const queue = [...FIXTURES];
  await Promise.all(
    Array.from({ length: JOBS }, async () => {
      for (let f = queue.shift(); f !== undefined; f = queue.shift()) out.set(f.name, await calibrate(f));
    }),
  );
  return out;
}

test('the course rubric is within 1 point of the hand grade of every calibration fixture', { timeout: 3_600_000 }, async (t) => {
  const all = await calibrateAll();
  t.diagnostic(['| fixture | profile | course | strict | by hand | why |', ...FIXTURES.map((f) => tableRow(all.get(f.name)!))].join('\n'));
  for (const f of FIXTURES) {
    const c = all.get(f.name)!;
    assert.equal(c.course.state, 'complete', `${f.name}: the graded run did not complete: ${c.course.state} (${c.course.notes.join('; ')})`);
    assert.ok(Math.abs(outOf20(c.course) - f.hand) <= 1, `${f.name}: course ${outOf20(c.course)} (${c.course.total} checked + ${c.course.toGradeByHand.points} to grade by hand), by hand ${f.hand}`);
  }

  const reference = all.get('reference')!;
  assert.equal(reference.course.total, 20);
  assert.equal(reference.strict.total, 20);

  for (const [habit, variant] of [['bye-only-from-lobby', 'bye='], ['no-name-grammar', 'names=']] as const) {
    const undeclared = all.get(habit)!;
    const declared = all.get(`${habit}, variant declared`)!;
    assert.ok(declared.course.variants?.some((v) => v.startsWith(variant)), `${habit}: the grade lists the declared variant`);
    assert.equal(undeclared.course.variants, undefined);
    assert.ok(outOf20(declared.course) >= outOf20(undeclared.course), `${habit}: declaring the variant costs nothing (${declared.course.total} < ${undeclared.course.total})`);
    // Nothing else is wrong with it (the only spec point it can lose: checking /BYE's channel before its syntax).
    assert.ok(outOf20(declared.course) > 19.9, `${habit}: ${outOf20(declared.course)}`);
    assert.ok(outOf20(declared.strict) < 20, `${habit}: the strict rubric deducts the variant`);
    assert.ok(declared.course.scenarios.some((s) => s.variants !== undefined), `${habit}: the scenarios the variant changed say so`);
  }
  const lobby = all.get('default-lobby, variant declared')!;
  assert.ok(lobby.course.variants?.some((v) => v.startsWith('lobby=')));
  assert.ok(lobby.course.scenarios.some((s) => s.status === 'passed' && s.variants?.some((v) => v.startsWith('lobby'))), 'some scenario found users in the lobby channel');
});
