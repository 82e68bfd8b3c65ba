/**
 * The console scenarios (features/console.feature) can fail, and for the right reason: a server whose
 * console obeys only "/COMMAND" typed exactly (test/fixtures/console/strict-console-server.ts) fails
 * exactly the scenarios of "with or without '/', in any case, with spaces around", while the spawned
 * reference server (the control: same console path, a stdin pipe) passes every gradable one. On a
 * spawned server the console's answers cannot be read, so those scenarios are not gradable in both runs.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namesWithOutcome, removeReports, runConformanceInProcess, type ConformanceRun } from './support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const feature = (name: string) => `features/console.feature: ${name}`;

/** The answer-reading scenarios: not gradable where the console's output cannot be read. */
const ANSWERS = [
  'The console answers "/KICK {bob}" with UNKNOWN_COMMAND',
  'The console answers "FROBNICATE {bob}" with UNKNOWN_COMMAND',
  'The console answers "KILL" with SYNTAX',
  'The console answers "KILL {bob} {bob}" with SYNTAX',
  'The console answers "KILL {bob}\\x07" with BAD_ENCODING',
  'The console answers "KILL {mallory}" with NO_SUCH_NICK',
  'The console confirms a kill',
  'The console ignores a blank line, without answer',
].map(feature).sort();

const LOOSE_SYNTAX = [
  'The console kills with "KILL {bob}"',
  'The console kills with "kill {bob}"',
  'The console kills with "/Kill {bob}"',
  'The console kills with "\\t   kill   {bob}   \\t"',
].map(feature).sort();

function describeRun(run: ConformanceRun): string {
  return `exit ${run.exitCode}${run.timedOut ? ' (killed at the deadline)' : ''}\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-2000)}`;
}

// Two independent runs (own server, port and reports), taking turns in this process.
describe('the console scenarios catch a console that breaks the rule', () => {
  const runs: ConformanceRun[] = [];
  after(async () => {
    for (const run of runs) await removeReports(run);
  });

  it('strict-console-server (only "/COMMAND" exactly): fails the loose-syntax scenarios, passes the rest', async () => {
    const run = await runConformanceInProcess({
      server: fixtureCommand('test/fixtures/console/strict-console-server.ts', '{port}'),
      tags: '@console',
      extraArgs: ['--timeout', '1000'],
      deadlineMs: 420_000,
    });
    runs.push(run);
    assert.equal(run.timedOut, false, describeRun(run));
    assert.equal(run.exitCode, 1, `a broken console must make the run fail: ${describeRun(run)}`);
    assert.deepEqual(namesWithOutcome(run, 'failed'), LOOSE_SYNTAX);
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), ANSWERS);
    assert.equal(namesWithOutcome(run, 'passed').length, run.scenarios.length - LOOSE_SYNTAX.length - ANSWERS.length);
    assert.ok(namesWithOutcome(run, 'passed').length >= 10, 'the control set: broadcast, kills, bad lines, ban');
  });

  it('control: the spawned reference server passes every gradable console scenario', async () => {
    const run = await runConformanceInProcess({
      server: fixtureCommand('reference-server/net/cli.ts', '--port', '{port}'),
      tags: '@console',
      deadlineMs: 420_000,
    });
    runs.push(run);
    assert.equal(run.exitCode, 0, describeRun(run));
    assert.deepEqual(namesWithOutcome(run, 'failed'), []);
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), ANSWERS);
    assert.equal(namesWithOutcome(run, 'passed').length, run.scenarios.length - ANSWERS.length);
  });
});
