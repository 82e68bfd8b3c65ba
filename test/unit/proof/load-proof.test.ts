/**
 * The @load invariants can fail (issue #20 item 3): features/load.feature is run with the conformance command,
 * as a grader would (in this process), against deliberately broken servers that each break ONE invariant under load, and
 * exactly the scenario of that invariant must fail while the four others pass. The no-fault server (the
 * same network loop) passes all five. A fixed --seed keeps the harness's choices the same on every run.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namesWithOutcome, removeReports, runConformanceInProcess, type ConformanceRun } from './support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const FEATURE = 'features/load.feature';
const SCENARIOS = {
  delivery: 'features/load.feature: No message is lost, doubled or reordered in a crowd',
  owner: 'features/load.feature: Ownership passes on cleanly while everybody acts',
  views: 'features/load.feature: Member lists and the channel list match what the events said',
  nonMembers: 'features/load.feature: Users who left or were kicked get no more messages of the channel',
  afterQuit: 'features/load.feature: A user who quit gets nothing more, and nobody hears from them again',
};

const PROOFS: Array<{ server: string; fails: string[] }> = [
  { server: 'no-fault', fails: [] },
  { server: 'load-lost-message', fails: [SCENARIOS.delivery] },
  { server: 'load-two-owners', fails: [SCENARIOS.owner] },
  { server: 'load-stale-who', fails: [SCENARIOS.views] },
  { server: 'load-leaver-still-receives', fails: [SCENARIOS.nonMembers] },
  { server: 'load-echo-after-bye', fails: [SCENARIOS.afterQuit] },
];

describe('each @load invariant fails on a server that breaks it, and only there', () => {
  const runs: ConformanceRun[] = [];
  after(async () => {
    for (const run of runs) await removeReports(run);
  });

  for (const proof of PROOFS) {
    it(`${proof.server}: ${proof.fails.length === 0 ? 'passes every invariant' : `fails "${proof.fails[0]!.split(': ')[1]}" only`}`, async () => {
      const run = await runConformanceInProcess({
        server: fixtureCommand(`test/fixtures/broken-servers/${proof.server}.ts`, '{port}'),
        tags: '@load',
        extraArgs: [FEATURE, '--seed', '20'],
        deadlineMs: 300_000,
      });
      runs.push(run);
      const output = `exit ${run.exitCode}\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-1000)}`;
      assert.equal(run.timedOut, false, `the run did not end: ${output}`);
      assert.equal(run.scenarios.length, 5, output);
      assert.deepEqual(namesWithOutcome(run, 'failed'), proof.fails, output);
      assert.equal(namesWithOutcome(run, 'passed').length, 5 - proof.fails.length, output);
      assert.equal(run.exitCode, proof.fails.length === 0 ? 0 : 1, output);
      if (proof.fails.length > 0) assert.match(run.stdout, /violation\(s\) after a storm of 24 users \(seed 20;/, 'the failure names the seed that replays it');
    });
  }
});
