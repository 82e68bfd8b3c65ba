/**
 * End to end: `npm run grade -- --submissions test/fixtures/submissions` grades the fixture class with the
 * scores each submission deserves, and a submission that hangs at start-up is cut off at its limit and
 * scored 0 instead of stalling the batch, whose other submission is graded in full. Kept bounded for CI,
 * two batches at once:
 * - the class's two servers (shard 1/2: correct, missing-v1) on a focused tag selection (20 scenarios:
 *   /LIST, /WHO, /CURRENT, enough to tell v0 from v1) with a 60 s limit: sandboxed, every server start
 *   compiles the reference server afresh in its private /tmp (10 to 13 s each alone, 20 s in a full unit
 *   run, up to 40 s seen on a loaded machine);
 * - the hanging one (shard 2/2's server.py) next to an honest neighbour (the reference server, from its
 *   bundle) on the six /LIST scenarios with a 30 s limit: the neighbour took 9 s of its 25 s budget with
 *   the other batch running.
 * One batch of the three, with the one limit the slow ones need, kept the file waiting 60 s for the
 * hanging one to be cut off (64 s of its 66 s alone); now it waits 30 s, while the other batch runs.
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
import { fixtureBundle } from '../../support/fixture-command.ts';

const CLASS_LIMIT_S = 60;
const CLASS_TAGS = '@list or @who or @current';
const HANG_LIMIT_S = 30;
const HANG_TAGS = '@list';
const FIXTURE_CLASS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'submissions');

function parseCsv(text: string): Array<Record<string, string>> {
  const [header, ...rows] = text.trim().split('\n').map((line) => line.split(','));
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [h, row[i] ?? ''])));
}

/** `npm run grade` on a class folder (shard `shard` of it, if given), its reports in `reports`. */
function gradeClass(submissions: string, tags: string, limitS: number, reports: string, shard?: string) {
  return execa(
    process.execPath,
    [
      '--import', 'tsx', 'grading/cli.ts',
      '--submissions', submissions,
      ...(shard !== undefined ? ['--shard', shard] : []),
      '--server', 'python3 {dir}/server.py {port}',
      '--oper-password', 'grader',
      '--start-timeout', '60000', // longer than the limits: the hanging one must be stopped by its limit
      '--limit', String(limitS),
      '--jobs', '2',
      '--tags', tags,
      '--reports', reports,
      ...FIXTURE_SANDBOX_ALLOW,
    ],
    { cwd: PROJECT_ROOT, reject: false, timeout: 150_000 },
  );
}

function readRows(reports: string): Map<string, Record<string, string>> {
  return new Map(parseCsv(fs.readFileSync(path.join(reports, 'class.csv'), 'utf8')).map((r) => [r.submission!, r]));
}

test('the fixture class is graded as it deserves; the hanging submission is cut off at its limit, its neighbour graded', { timeout: 160_000 }, async (t) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-e2e-'));
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const reports = path.join(work, 'class-reports');
  const hangReports = path.join(work, 'hang-reports');
  // The hanging submission's batch: the fixture's own server.py, and a neighbour that runs the reference
  // server's bundle (under node_modules, which the sandbox shows).
  const hangClass = path.join(work, 'hang-class');
  fs.mkdirSync(path.join(hangClass, 'hangs'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURE_CLASS, 'hangs', 'server.py'), path.join(hangClass, 'hangs', 'server.py'));
  fs.mkdirSync(path.join(hangClass, 'neighbour'));
  const bundle = fixtureBundle('reference-server/net/cli.ts');
  fs.writeFileSync(
    path.join(hangClass, 'neighbour', 'server.py'),
    `import os, sys\nos.execvp('node', ['node', ${JSON.stringify(bundle)}, '--host', '127.0.0.1', '--port', sys.argv[1], '--oper-password', 'grader'])\n`,
  );

  const [run, hangRun] = await Promise.all([gradeClass(FIXTURE_CLASS, CLASS_TAGS, CLASS_LIMIT_S, reports, '1/2'), gradeClass(hangClass, HANG_TAGS, HANG_LIMIT_S, hangReports)]);
  // Whatever fails below, say what the batches printed and graded (a flake must be diagnosable from CI logs).
  const csvOf = (dir: string): string => (fs.existsSync(path.join(dir, 'class.csv')) ? fs.readFileSync(path.join(dir, 'class.csv'), 'utf8') : '(none)');
  t.diagnostic(`class batch output:\n${run.stdout}\n${run.stderr}\nclass.csv:\n${csvOf(reports)}`);
  t.diagnostic(`hanging batch output:\n${hangRun.stdout}\n${hangRun.stderr}\nclass.csv:\n${csvOf(hangReports)}`);
  assert.equal(run.exitCode, 0, `grade failed:\n${run.stdout}\n${run.stderr}`);
  assert.equal(hangRun.exitCode, 0, `grade of the hanging submission's batch failed:\n${hangRun.stdout}\n${hangRun.stderr}`);

  const rows = readRows(reports);
  assert.deepEqual([...rows.keys()], ['correct', 'missing-v1'], 'shard 1/2 of the fixture class');

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

  const hangRows = readRows(hangReports);
  assert.deepEqual([...hangRows.keys()], ['hangs', 'neighbour']);
  const neighbour = hangRows.get('neighbour')!;
  assert.equal(neighbour.state, 'complete', 'the hanging submission does not stall its neighbour');
  assert.equal(neighbour.total, neighbour.max);
  assert.equal(Number(neighbour.passed), 6);
  const hangs = hangRows.get('hangs')!;
  assert.equal(hangs.state, 'cut-off');
  assert.equal(hangs.total, '0');
  assert.equal(hangs.max, neighbour.max, 'not-run scenarios stay in the denominator');
  assert.ok(Number(hangs.wall_s) < HANG_LIMIT_S + 10, `stopped at its limit, not later (took ${hangs.wall_s} s)`);

  // Per-submission reports, the hanging one included.
  for (const [dir, names] of [[reports, rows.keys()], [hangReports, hangRows.keys()]] as const) {
    for (const name of names) {
      for (const file of ['grade.json', 'grade.md', 'results.json']) assert.ok(fs.existsSync(path.join(dir, 'submissions', name, file)), `${name}/${file}`);
    }
  }
  const hangsGrade = JSON.parse(fs.readFileSync(path.join(hangReports, 'submissions', 'hangs', 'grade.json'), 'utf8')) as Grade;
  assert.ok(hangsGrade.scenarios.every((s) => s.status === 'not-run' && /limit/.test(s.reason ?? '')), 'every scenario says it was not run because of the limit');

  const missingMd = fs.readFileSync(path.join(reports, 'submissions', 'missing-v1', 'grade.md'), 'utf8');
  assert.match(missingMd, /UNKNOWN_COMMAND/, 'the student sees what their server answered');
  assert.match(missingMd, /PROTOCOL\.md §5\.12/, 'and the rule it breaks');

  const html = fs.readFileSync(path.join(reports, 'class.html'), 'utf8');
  for (const name of rows.keys()) assert.ok(html.includes(`>${name} <small>`), `matrix row for ${name}`);
  assert.ok(html.includes('"report":"submissions/missing-v1/grade.md"'), 'failure details link to the full grade.md');
  const hangHtml = fs.readFileSync(path.join(hangReports, 'class.html'), 'utf8');
  for (const name of hangRows.keys()) assert.ok(hangHtml.includes(`>${name} <small>`), `matrix row for ${name}`);

  // No server of either batch survives it. Only this checkout's fixtures and this test's folder count:
  // another checkout on the same machine (a second worktree, a CI job) may be grading the same fixture
  // class at this very moment.
  const ps = await execa('ps', ['-eo', 'args'], { reject: false });
  const ours = [FIXTURE_CLASS + path.sep, hangClass + path.sep];
  assert.ok(!ps.stdout.split('\n').some((line) => ours.some((dir) => line.includes(dir)) && line.includes('server.py')), 'a submission server was left running');
});
