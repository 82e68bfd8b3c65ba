/**
 * Harness resilience (issue #7 item 3): the conformance CLI run against targets that misbehave at the
 * transport level (test/fixtures/misbehaving-targets/). For each we assert that the run ENDS by itself
 * (the child is killed at 60 s, and that fails the test), that it ends the way it should (exit 1 with
 * every report written, or exit 0 for the slow-but-correct target), that the failures say what went
 * wrong, and that the runner never dies with an uncaught error.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { removeReports, runConformanceCli, type ConformanceRun } from '../proof/support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const target = (name: string): string => fixtureCommand(`test/fixtures/misbehaving-targets/${name}.ts`, '{port}');

function describeRun(run: ConformanceRun): string {
  return `exit ${run.exitCode}${run.timedOut ? ' (killed at the deadline)' : ''}\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-2000)}`;
}

/** What every run must satisfy, whatever the target did. */
function assertEndedCleanly(run: ConformanceRun, exitCode: 0 | 1): void {
  assert.equal(run.timedOut, false, `the run hung and was killed: ${describeRun(run)}`);
  assert.equal(run.exitCode, exitCode, describeRun(run));
  // An uncaught error would print a stack on stderr (or turn the exit code into 2).
  assert.doesNotMatch(run.stderr, /^\s+at .+:\d+:\d+\)?$/m, `the runner printed a stack trace on stderr: ${describeRun(run)}`);
  assert.deepEqual([...run.reportFiles].sort(), ['cucumber.html', 'junit.xml', 'messages.ndjson', 'summary.md'], 'every report is written');
  assert.match(run.stdout, exitCode === 0 ? /^PASS: /m : /^FAIL: /m, 'the console ends with the verdict');
}

function failureMessages(run: ConformanceRun): string[] {
  return run.scenarios.filter((s) => s.outcome === 'failed').map((s) => `${s.name}: ${s.failingStep?.message ?? '(no failing step)'}`);
}

// Independent CLI runs (own target, port and reports), mostly waiting on timeouts: three at a time.
describe('the harness survives misbehaving targets', { concurrency: 3 }, () => {
  const runs: ConformanceRun[] = [];
  after(async () => {
    for (const run of runs) await removeReports(run);
  });

  it('silent (accepts, never writes): every scenario fails on its timeout', async () => {
    const run = await runConformanceCli({ server: target('silent'), tags: '@ping', extraArgs: ['--timeout', '500'] });
    runs.push(run);
    assertEndedCleanly(run, 1);
    assert.equal(run.scenarios.length, 3);
    for (const message of failureMessages(run)) assert.match(message, /greeting .* within 500 ms/);
    assert.equal(failureMessages(run).length, 3);
  });

  it('byte-by-byte (the reference server, one byte per segment): slow but correct, so it PASSES', async () => {
    const run = await runConformanceCli({ server: target('byte-by-byte'), tags: '@ping or @who' });
    runs.push(run);
    assertEndedCleanly(run, 0);
    assert.ok(run.scenarios.length >= 8);
    assert.ok(run.scenarios.every((s) => s.outcome === 'passed'), failureMessages(run).join('\n'));
  });

  it('flood (64 MiB per connection): fails on the flood, and the runner stays within a 192 MB heap', async () => {
    // With its old space capped, a runner that buffered the flood would die of OOM (no exit code 1,
    // no reports); one that discards unconsumed input past its cap fails the scenarios and carries on.
    const run = await runConformanceCli({ server: target('flood'), tags: '@ping', nodeFlags: ['--max-old-space-size=192'] });
    runs.push(run);
    assertEndedCleanly(run, 1);
    assert.equal(run.scenarios.length, 3);
    for (const message of failureMessages(run)) assert.match(message, /flood/i);
    assert.equal(failureMessages(run).length, 3);
  });

  it('close-all (closes every connection when a second client connects): failures name the closed connection', async () => {
    const run = await runConformanceCli({ server: target('close-all'), tags: '@ping or @say' });
    runs.push(run);
    assertEndedCleanly(run, 1);
    const failures = failureMessages(run);
    assert.ok(failures.length >= 5, `scenarios with two users must fail: ${failures.length} failed`);
    for (const message of failures) assert.match(message, /connection was closed/);
  });

  it('crash-after (exits on its 4th connection): each failure carries the crash report, and the restarted target serves the next scenarios', async () => {
    const run = await runConformanceCli({ server: target('crash-after'), tags: '@ping or @say' });
    runs.push(run);
    assertEndedCleanly(run, 1);
    const failed = run.scenarios.filter((s) => s.outcome === 'failed');
    assert.ok(failed.length >= 3, `scenarios with four connections or more must fail: ${failed.length} failed`);
    for (const scenario of failed) {
      const reports = scenario.attachments.map((a) => a.text).join('\n');
      assert.match(reports, /target crashed: exited with code 3/, `${scenario.name} should carry the crash report`);
      assert.match(reports, /deliberate crash on connection 4/, `${scenario.name} should quote the target's stderr`);
    }
    assert.ok(run.scenarios.some((s) => s.outcome === 'passed'), 'after a restart, small scenarios pass again');
  });

  it('garbage (random bytes instead of protocol): every scenario fails, none crashes the runner', async () => {
    const run = await runConformanceCli({ server: target('garbage'), tags: '@ping', extraArgs: ['--timeout', '500'] });
    runs.push(run);
    assertEndedCleanly(run, 1);
    assert.equal(run.scenarios.length, 3);
    assert.equal(failureMessages(run).length, 3);
  });
});
