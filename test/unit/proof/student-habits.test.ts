/**
 * Fair grades for real student servers (issue #14), proved on the student-habit fixtures
 * (test/fixtures/student-habits/) run as a grader would (`--server`), on focused selections:
 * - a server that dies whenever a peer disconnects without /BYE fails only the rules about a dropped
 *   connection; every other scenario passes although the server dies at the end of nearly each one
 *   (its teardown deaths are "crash on disconnect" findings, and no scenario meets a dead server);
 * - a console that bans by address and has no UNBAN fails only the console ban scenario: the ban does
 *   not leak into the scenarios after it (the server is restarted after every @server-wide scenario);
 * - a server whose handler thread dies on /NICK fails only the /NICK scenarios, each failure naming the
 *   connection that stopped answering after /NICK (its handler may have died), not a plain timeout;
 * - a server whose replies have no line ending is graded "dialect-mismatch" with the canonical profile
 *   (not 0 marked complete), and fully graded with a profile that frames by the server's pauses.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { DISCONNECT_CRASH_PREFIX } from '../../../harness/target/crash-notes.ts';
import type { Grade } from '../../../grading/score.ts';
import { namesWithOutcome, PROJECT_ROOT, removeReports, runConformanceInProcess, type ConformanceRun } from './support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const runs: ConformanceRun[] = [];
const reportDirs: string[] = [];
after(async () => {
  for (const run of runs) await removeReports(run);
  for (const dir of reportDirs) await rm(dir, { recursive: true, force: true });
});

/**
 * `npm run grade` on one fixture (trusted code: --no-sandbox), bounded; its grade.json. A child process:
 * the grader adds its own support code (the budget hook), which this process, having run the suite
 * without it, cannot load.
 */
async function grade(fixture: string, tags: string, extraArgs: string[]): Promise<Grade> {
  const reports = await mkdtemp(path.join(os.tmpdir(), 'habit-grade-'));
  reportDirs.push(reports);
  const run = await execa(
    process.execPath,
    ['--import', 'tsx', 'grading/cli.ts', '--no-sandbox', '--server', fixtureCommand(`test/fixtures/student-habits/${fixture}.ts`, '{port}'), '--tags', tags, '--reports', reports, ...extraArgs],
    { cwd: PROJECT_ROOT, reject: false, timeout: 170_000, killSignal: 'SIGKILL', env: { NO_COLOR: '1' }, stdin: 'ignore' },
  );
  assert.equal(run.timedOut, false, 'the grade ended by itself');
  return JSON.parse(await readFile(path.join(reports, 'grade.json'), 'utf8')) as Grade;
}

// The three conformance runs take turns in this process (runConformanceInProcess); the two grades of the
// last test are child processes: they run while the others do (alone, the file took 41 s one test after
// the other, 25 s so).
describe('student habits', { concurrency: true }, () => {
  it('a server that dies on every disconnect: only the dropped-connection rules fail, nothing fails because of an earlier scenario', { timeout: 300_000 }, async () => {
    const run = await runConformanceInProcess({
      server: fixtureCommand('test/fixtures/student-habits/dies-on-peer-disconnect.ts', '{port}'),
      tags: '@bye or @list',
      deadlineMs: 280_000,
    });
    runs.push(run);
    assert.equal(run.timedOut, false);
    assert.deepEqual(namesWithOutcome(run, 'failed').sort(), [
      'features/bye.feature: A channel emptied by a drop disappears',
      'features/bye.feature: Members see a dropped user quit, and ownership passes on',
    ]);
    assert.ok(namesWithOutcome(run, 'passed').length >= 10, 'the rest passes');
    const findings = run.scenarios.filter((s) => s.attachments.some((a) => a.text.startsWith(DISCONNECT_CRASH_PREFIX)));
    assert.ok(findings.length >= 5, `teardown deaths are findings on the scenarios that passed (${findings.length})`);
    assert.ok(findings.every((s) => s.outcome === 'passed' || s.outcome === 'failed'));
    assert.doesNotMatch(run.stdout, /ECONNREFUSED/, 'no scenario connected to a dead server');
  });

  it('a console that bans by address with no UNBAN: only the console ban scenario fails; the ban does not leak', { timeout: 300_000 }, async () => {
    const run = await runConformanceInProcess({
      server: fixtureCommand('test/fixtures/student-habits/console-ban-by-address.ts', '{port}'),
      tags: '(@console and (@ban or @kill)) or @list',
      deadlineMs: 280_000,
    });
    runs.push(run);
    assert.equal(run.timedOut, false);
    assert.deepEqual(namesWithOutcome(run, 'failed'), ['features/console.feature: An address banned from the console is turned away until the console lifts the ban']);
    assert.ok(namesWithOutcome(run, 'passed').length >= 6);
  });

  it('a handler thread that dies on /NICK: only the /NICK scenarios fail, each naming the connection that stopped answering', { timeout: 300_000 }, async () => {
    const run = await runConformanceInProcess({
      server: fixtureCommand('test/fixtures/student-habits/handler-dies-on-nick.ts', '{port}'),
      tags: '(@nick and @core) or @list',
      deadlineMs: 280_000,
    });
    runs.push(run);
    assert.equal(run.timedOut, false);
    const failed = run.scenarios.filter((s) => s.outcome === 'failed');
    assert.deepEqual(failed.map((s) => s.uri).sort(), ['features/nick.feature', 'features/nick.feature', 'features/nick.feature'], 'the three @core /NICK scenarios fail, nothing else');
    for (const s of failed) {
      assert.match(s.failingStep?.message ?? '', /stopped answering on this connection after "\/NICK [^"]+".*its handler may have died/s, `${s.name}: the dead handler is named`);
    }
    assert.equal(namesWithOutcome(run, 'passed').length, 6, 'every /LIST scenario (the process lives on) passes');
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), []);
  });

  it('replies without line endings: "dialect-mismatch" with the canonical profile, graded in full with a profile that frames by pauses', { timeout: 360_000 }, async () => {
    const tags = '@ping or @list';
    const [canonical, framed] = await Promise.all([
      grade('unterminated-replies', tags, ['--timeout', '1000']),
      grade('unterminated-replies', tags, ['--profile', 'test/fixtures/student-habits/unterminated-replies.profile.json']),
    ]);
    // Canonical reads lines: nothing ever becomes one, so nothing passes, and that is flagged, not graded 0.
    assert.equal(canonical.state, 'dialect-mismatch', canonical.notes.join('\n'));
    assert.equal(canonical.counts.passed, 0);
    assert.ok(canonical.notes.some((n) => /dialect mismatch: no scenario passed/.test(n)), canonical.notes.join('\n'));
    const messages = canonical.scenarios.map((s) => s.message ?? '');
    assert.ok(messages.some((m) => /\[no newline\]|without a line ending/.test(m)), `the failures show the text arrived without a line ending:\n${messages.join('\n')}`);
    // Framed by the server's pauses (test/fixtures/student-habits/unterminated-replies.profile.json): what it
    // says is the reference core's, so every selected scenario passes.
    assert.equal(framed.state, 'complete', framed.notes.join('\n'));
    assert.equal(framed.counts.failed, 0, JSON.stringify(framed.scenarios.filter((s) => s.status === 'failed'), null, 1).slice(0, 3000));
    assert.equal(framed.counts.passed, framed.counts.total);
    assert.equal(framed.total, framed.max);
  });
});
