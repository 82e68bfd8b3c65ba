/**
 * --diff and --repeat can fail, and say why (issue #20 items 1 and 2), run with the command as a grader would:
 * - --diff against anyone-can-kick: each failed scenario is run against the reference server too, and the
 *   side by side marks the first divergence (the refusal code) in the terminal, summary.md, junit.xml and
 *   cucumber.html; against the no-fault server nothing fails, so nothing is compared.
 * - --repeat against flaky-echo (every second channel message echoed to its sender): the one-message
 *   scenario passes, fails, passes and is reported flaky (exit 1), with the shuffle seed printed; the
 *   no-fault server is never flaky, and echo-to-sender (always broken) is failed but not flaky.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { namesWithOutcome, removeReports, runConformanceInProcess, type ConformanceRun } from './support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const server = (name: string): string => fixtureCommand(`test/fixtures/broken-servers/${name}.ts`, '{port}');
const NO_ECHO = 'features/channel-messages.feature:37';
const report = (run: ConformanceRun, file: string): Promise<string> => readFile(path.join(run.reportsDir, file), 'utf8');

describe('--diff and --repeat on broken servers', () => {
  const runs: ConformanceRun[] = [];
  after(async () => {
    for (const run of runs) await removeReports(run);
  });
  const cli = async (name: string, tags: string, extraArgs: string[]): Promise<ConformanceRun> => {
    const run = await runConformanceInProcess({ server: server(name), tags, extraArgs, deadlineMs: 300_000 });
    runs.push(run);
    assert.equal(run.timedOut, false, `the run did not end:\n${run.stdout.slice(-3000)}`);
    return run;
  };

  it('--diff: a failed scenario beside the reference server, the first divergence marked, in every report', async () => {
    const run = await cli('anyone-can-kick', '@kick and @v0', ['--diff']);
    assert.equal(run.exitCode, 1, run.stdout.slice(-3000));
    assert.equal(namesWithOutcome(run, 'failed').length, 3);
    assert.equal(run.stdout.match(/^AGAINST THE REFERENCE /gm)?.length, 3, run.stdout);
    const stranger = run.stdout.slice(run.stdout.indexOf('AGAINST THE REFERENCE Kicking › A member kicking a stranger'));
    assert.match(stranger, /it passes this scenario\.\nFirst divergence at line \d+, marked >>/);
    assert.match(stranger, /\n>> bob <- \(error reply NO_SUCH_NICK\) +\| bob <- \(error reply NOT_ADMIN\)\n/);
    assert.match(await report(run, 'summary.md'), /## Against the reference server \(`--diff`\)[\s\S]*>> bob <- \(error reply NO_SUCH_NICK\)/);
    assert.match(await report(run, 'junit.xml'), /--- against the reference server ---/);
    assert.match(await report(run, 'cucumber.html'), /against the reference server/);
  });

  it('--diff against a server that passes: nothing to compare', async () => {
    const run = await cli('no-fault', '@kick and @v0', ['--diff']);
    assert.equal(run.exitCode, 0, run.stdout.slice(-3000));
    assert.doesNotMatch(run.stdout, /AGAINST THE REFERENCE/);
  });

  it('--repeat 3 --shuffle: a verdict that changes across runs is flaky, with the seed printed', async () => {
    const run = await cli('flaky-echo', '', [NO_ECHO, '--repeat', '3', '--shuffle', '--seed', '7']);
    assert.equal(run.exitCode, 1, run.stdout.slice(-3000));
    assert.match(run.stdout, /Shuffled with seed 7 \(--shuffle --seed 7 replays this order\)/);
    assert.match(run.stdout, /FLAKY Channel messages › The sender gets no copy of their own message .*passed 2 of 3 runs \(passed, failed, passed\)/);
    assert.match(run.stdout, />> alice <- MSG #room alice no echo please +\| alice <- OK SAY #room/);
    const summary = await report(run, 'summary.md');
    assert.match(summary, /## Flaky \(counted as failed\)/);
    assert.match(summary, /seed 7/);
  });

  it('--repeat: a server that always passes, or always fails, is never flaky', async () => {
    const [good, bad] = await Promise.all([cli('no-fault', '', [NO_ECHO, '--repeat', '2']), cli('echo-to-sender', '', [NO_ECHO, '--repeat', '2'])]);
    assert.equal(good.exitCode, 0, good.stdout.slice(-2000));
    assert.doesNotMatch(good.stdout + bad.stdout, /FLAKY/);
    assert.equal(bad.exitCode, 1);
    assert.deepEqual(namesWithOutcome(bad, 'failed'), ['features/channel-messages.feature: The sender gets no copy of their own message']);
  });
});
