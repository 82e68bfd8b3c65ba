/**
 * End to end: `npm run grade -- --submissions test/fixtures/submissions` grades the fixture class with the
 * scores each submission deserves, and a submission that hangs at start-up is cut off at its limit and
 * scored 0 instead of stalling the batch. Kept bounded for CI: a focused tag selection (20 scenarios:
 * /LIST, /WHO, /CURRENT, enough to tell v0 from v1), a 60 s limit (sandboxed, every server start compiles the
 * reference server afresh in its private /tmp: the correct ones take 25 to 40 s on a loaded machine), the
 * three graded at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import type { Grade } from '../../../grading/score.ts';
import { FIXTURE_SANDBOX_ALLOW } from '../../support/sandbox-allow.ts';

const LIMIT_S = 60;


function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.trim().split('\n').map((line) => line.split(','));
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i] ?? ''])));
}

test('the fixture class is graded as it deserves; the hanging submission is cut off at its limit', { timeout: 160_000 }, async (t) => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-e2e-'));
  t.after(() => fs.rmSync(reports, { recursive: true, force: true }));

  const run = await execa(
    process.execPath,
    [
      '--import', 'tsx', 'grading/cli.ts',
      '--submissions', 'test/fixtures/submissions',
      '--server', 'python3 {dir}/server.py {port}',
      '--oper-password', 'grader',
      '--start-timeout', '60000', // longer than the limit: the hanging one must be stopped by the limit
      '--limit', String(LIMIT_S),
      '--jobs', '3',
      '--tags', '@list or @who or @current',
      '--reports', reports,
      ...FIXTURE_SANDBOX_ALLOW,
    ],
    { cwd: PROJECT_ROOT, reject: false, timeout: 150_000 },
  );
  assert.equal(run.exitCode, 0, `grade failed:\n${run.stdout}\n${run.stderr}`);

  const csv = fs.readFileSync(path.join(reports, 'class.csv'), 'utf8');
  // Whatever fails below, say what the batch printed and graded (a flake must be diagnosable from CI logs).
  t.diagnostic(`batch output:\n${run.stdout}\nclass.csv:\n${csv}`);
  const rows = new Map(parseCsv(csv).map((r) => [r.submission!, r]));
  assert.deepEqual([...rows.keys()], ['correct', 'hangs', 'missing-v1']);

  const correct = rows.get('correct')!;
  assert.equal(correct.state, 'complete');
  assert.equal(correct.total, correct.max, 'the correct submission gets every point');
  assert.equal(Number(correct.failed), 0);

  const missing = rows.get('missing-v1')!;
  assert.equal(missing.state, 'complete');
  assert.equal(missing['v0-list'], '1', 'v0 /LIST is implemented');
  assert.equal(missing['v0-who'], '1', 'v0 /WHO is implemented');
  assert.ok(Number(missing['v1-current']) < 0.5, `v1 /CURRENT is missing, so well under half of its 1 point (got ${missing['v1-current']})`);
  assert.ok(Number(missing.failed) > 0);

  const hangs = rows.get('hangs')!;
  assert.equal(hangs.state, 'cut-off');
  assert.equal(hangs.total, '0');
  assert.equal(hangs.max, correct.max, 'not-run scenarios stay in the denominator');
  assert.ok(Number(hangs.wall_s) < LIMIT_S + 10, `stopped at its limit, not later (took ${hangs.wall_s} s)`);

  // Per-submission reports, the hanging one included.
  for (const name of rows.keys()) {
    for (const file of ['grade.json', 'grade.md', 'results.json']) assert.ok(fs.existsSync(path.join(reports, 'submissions', name, file)), `${name}/${file}`);
  }
  const hangsGrade = JSON.parse(fs.readFileSync(path.join(reports, 'submissions', 'hangs', 'grade.json'), 'utf8')) as Grade;
  assert.ok(hangsGrade.scenarios.every((s) => s.status === 'not-run' && /limit/.test(s.reason ?? '')), 'every scenario says it was not run because of the limit');

  const missingMd = fs.readFileSync(path.join(reports, 'submissions', 'missing-v1', 'grade.md'), 'utf8');
  assert.match(missingMd, /UNKNOWN_COMMAND/, 'the student sees what their server answered');
  assert.match(missingMd, /PROTOCOL\.md §5\.12/, 'and the rule it breaks');

  const html = fs.readFileSync(path.join(reports, 'class.html'), 'utf8');
  for (const name of rows.keys()) assert.ok(html.includes(`>${name} <small>`), `matrix row for ${name}`);
  assert.ok(html.includes('"report":"submissions/missing-v1/grade.md"'), 'failure details link to the full grade.md');

  // No server of the batch survives it. Only this checkout's fixtures count: another checkout on the same
  // machine (a second worktree, a CI job) may be grading the same fixture class at this very moment.
  const ps = await execa('ps', ['-eo', 'args'], { reject: false });
  const ours = path.join(PROJECT_ROOT, 'test', 'fixtures', 'submissions') + path.sep;
  assert.ok(!ps.stdout.split('\n').some((line) => line.includes(ours) && line.includes('server.py')), 'a submission server was left running');
});
