/**
 * Fair grades for real student servers (issue #14), proved on the student-habit fixtures
 * (test/fixtures/student-habits/) run as a grader would (`--server`), on focused selections:
 * - a server that dies whenever a peer disconnects without /BYE fails only the rules about a dropped
 *   connection; every other scenario passes although the server dies at the end of nearly each one
 *   (its teardown deaths are "crash on disconnect" findings, and no scenario meets a dead server);
 * - a console that bans by address and has no UNBAN fails only the console ban scenario: the ban does
 *   not leak into the scenarios after it (the server is restarted after every @server-wide scenario).
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { DISCONNECT_CRASH_PREFIX } from '../../../harness/target/crash-notes.ts';
import { namesWithOutcome, removeReports, runConformanceCli, tsxCommand, type ConformanceRun } from './support/conformance-run.ts';

const runs: ConformanceRun[] = [];
after(async () => {
  for (const run of runs) await removeReports(run);
});

it('a server that dies on every disconnect: only the dropped-connection rules fail, nothing fails because of an earlier scenario', { timeout: 300_000 }, async () => {
  const run = await runConformanceCli({
    server: tsxCommand('test/fixtures/student-habits/dies-on-peer-disconnect.ts', '{port}'),
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
  const run = await runConformanceCli({
    server: tsxCommand('test/fixtures/student-habits/console-ban-by-address.ts', '{port}'),
    tags: '(@console and (@ban or @kill)) or @list',
    deadlineMs: 280_000,
  });
  runs.push(run);
  assert.equal(run.timedOut, false);
  assert.deepEqual(namesWithOutcome(run, 'failed'), ['features/console.feature: An address banned from the console is turned away until the console lifts the ban']);
  assert.ok(namesWithOutcome(run, 'passed').length >= 6);
});
