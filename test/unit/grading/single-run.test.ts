/**
 * `npm run grade` on one server, through the real runner, on small selections: VPL lines and the
 * Gradescope file against the reference server, the time budget, and a server that never starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandInProcess } from '../proof/support/conformance-run.ts';
import type { Grade } from '../../../grading/score.ts';

function tempReports(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-one-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `npm run grade -- <args>`, by its own main in this process (test/unit/proof/support/conformance-run.ts). */
async function grade(args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  return commandInProcess('grade', args, 240_000);
}

const readGrade = (dir: string): Grade => JSON.parse(fs.readFileSync(path.join(dir, 'grade.json'), 'utf8')) as Grade;

test('reference server, VPL format: a running Grade line per scenario, comments, the final grade; Gradescope file agrees', { timeout: 240_000 }, async (t) => {
  const reports = tempReports(t);
  const run = await grade(['--tags', '@list', '--format', 'vpl', '--reports', reports]);
  assert.equal(run.exitCode, 0, run.stderr);
  const g = readGrade(reports);
  assert.equal(g.state, 'complete');
  assert.equal(g.total, g.max);
  assert.ok(g.counts.passed >= 5);
  const gradeLines = run.stdout.split('\n').filter((l) => l.startsWith('Grade :=>> '));
  assert.equal(gradeLines.length, g.counts.passed + 1, 'one per scenario, then the final one');
  assert.equal(gradeLines.at(-1), `Grade :=>> ${g.total}`);
  assert.ok(run.stdout.includes('Comment :=>> /LIST: 1 / 1'));
  const results = JSON.parse(fs.readFileSync(path.join(reports, 'results.json'), 'utf8')) as { score: number; tests: unknown[] };
  assert.equal(results.score, g.total);
  assert.equal(results.tests.length, g.scenarios.length);
});

test('a time budget too short for anything: every scenario is reported as cut by the budget, earns nothing, and the run says cut', { timeout: 240_000 }, async (t) => {
  const reports = tempReports(t);
  const run = await grade(['--tags', '@who', '--budget', '0.001', '--reports', reports]);
  assert.equal(run.exitCode, 1);
  assert.match(run.stdout, /^Grade: 0 \/ \d+; cut by the budget: \d+ scenarios, [\d.]+ points not graded \(cut\)/m, 'the summary line says cut, not complete');
  const g = readGrade(reports);
  assert.equal(g.state, 'cut');
  assert.equal(g.total, 0);
  assert.ok(g.max > 0, 'cut scenarios stay on the scale');
  assert.equal(g.cut.scenarios, g.scenarios.length);
  assert.equal(g.cut.points, g.max);
  assert.ok(g.scenarios.every((s) => s.status === 'cut' && /time budget/.test(s.reason ?? '')), JSON.stringify(g.scenarios.map((s) => s.reason)));
  assert.equal(g.counts.failed, 0, 'a cut is not a failure');
  const md = fs.readFileSync(path.join(reports, 'grade.md'), 'utf8');
  assert.match(md, /Run: cut by the budget/);
  assert.match(md, /## Cut by the budget \(\d+ scenarios, [\d.]+ points not graded\)/);
  const gradescope = JSON.parse(fs.readFileSync(path.join(reports, 'results.json'), 'utf8')) as { output: string; tests: Array<{ name: string }> };
  assert.match(gradescope.output, /cut by the budget: \d+ scenarios/);
  assert.ok(gradescope.tests.every((test) => /\[cut by the budget, not graded\]/.test(test.name)));
});

test('a server that never starts is graded 0 with the reason, not a crash of the grader', { timeout: 240_000 }, async (t) => {
  const reports = tempReports(t);
  // Sandboxed (the default) in an empty folder of its own.
  const run = await grade(['--server', 'sleep 30 # {port}', '--start-timeout', '500', '--tags', '@ping', '--reports', reports, '--submission-dir', reports]);
  assert.equal(run.exitCode, 1, run.stderr);
  const g = readGrade(reports);
  assert.equal(g.state, 'server-did-not-start');
  assert.equal(g.total, 0);
  assert.ok(g.notes.some((n) => /did not start/.test(n)));
  assert.ok(g.scenarios.length > 0 && g.scenarios.every((s) => s.status === 'not-run'));
});

test('usage errors exit 2 with one line', { timeout: 120_000 }, async () => {
  const run = await grade(['--rubric', 'no-such-rubric']);
  assert.equal(run.exitCode, 2);
  assert.match(run.stderr, /^grade: no such rubric/);
  const none = await grade(['--tags', '@no-such-tag']);
  assert.equal(none.exitCode, 2);
  assert.match(none.stderr, /no scenario matches/);
});

test('instructor marks in the feature files: @points:N weighs a scenario, @hidden withholds details and sets the Gradescope visibility', { timeout: 240_000 }, async (t) => {
  const reports = tempReports(t);
  const features = fs.mkdtempSync(path.join(os.tmpdir(), 'marked-features-'));
  t.after(() => fs.rmSync(features, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(features, 'marked.feature'),
    [
      '@v0 @list @course',
      'Feature: Marked by an instructor',
      '  Rule: every channel is listed',
      '    @points:3',
      '    Scenario: weighted',
      '      Given alice has created #beta',
      '      Then the channel list seen by dave includes #beta',
      '    @hidden',
      '    Scenario: hidden, failing on purpose',
      '      Given alice has created #beta',
      '      Then the channel list seen by dave does not include #beta',
      '',
    ].join('\n'),
  );
  const run = await grade(['--reports', reports, features]);
  assert.equal(run.exitCode, 1, run.stderr);
  const g = readGrade(reports);
  assert.deepEqual(g.scenarios.map((s) => [s.status, s.weight, s.hidden]), [['passed', 3, false], ['failed', 1, true]]);
  assert.equal(g.total, 0.75, '3 of 4 weight passed in the 1-point /LIST category');
  const results = JSON.parse(fs.readFileSync(path.join(reports, 'results.json'), 'utf8')) as { tests: Array<{ visibility: string }> };
  assert.deepEqual(results.tests.map((x) => x.visibility), ['visible', 'after_published']);
  const md = fs.readFileSync(path.join(reports, 'grade.md'), 'utf8');
  assert.match(md, /Hidden check failed/);
  assert.doesNotMatch(md, /failing on purpose/);
});
