/**
 * Several runs of the conformance command in one process (what the proof tests do, through
 * test/unit/proof/support/conformance-run.ts): the second run reuses the support code the first loaded
 * (Node imports a module once; without the reuse it would find no step definitions and every step would
 * be undefined), and a run that needs other support files is refused with the reason, never run without
 * its steps.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { namesWithOutcome, PROJECT_ROOT, removeReports, runConformanceInProcess, type ConformanceRun } from '../proof/support/conformance-run.ts';

describe('conformance runs one after the other in one process', () => {
  const runs: ConformanceRun[] = [];
  after(async () => {
    for (const run of runs) await removeReports(run);
  });

  it('the second run finds every step and reaches the same verdicts as the first', async () => {
    const first = await runConformanceInProcess({ tags: '@ping or @list' });
    const second = await runConformanceInProcess({ tags: '@ping or @list' });
    runs.push(first, second);
    assert.equal(first.exitCode, 0, first.stdout);
    assert.equal(second.exitCode, 0, second.stdout);
    assert.ok(first.scenarios.length >= 5);
    assert.deepEqual(namesWithOutcome(second, 'passed'), namesWithOutcome(first, 'passed'));
    assert.equal(second.scenarios.length, first.scenarios.length);
  });

  it('a run with other support files is refused with the reason (exit 3)', async () => {
    const usual = await runConformanceInProcess({ tags: '@ping' }); // the process has loaded the usual steps
    runs.push(usual);
    assert.equal(usual.exitCode, 0, usual.stdout);
    const steps = ['--steps', path.join(PROJECT_ROOT, 'steps', '**', '*.ts'), '--steps', path.join(PROJECT_ROOT, 'grading', 'support', 'budget-hook.ts')];
    const run = await runConformanceInProcess({ tags: '@ping', extraArgs: steps });
    runs.push(run);
    assert.equal(run.exitCode, 3, run.stderr);
    assert.match(run.stderr, /already ran the suite with other support code .* needs a process of its own/);
    assert.equal(run.scenarios.length, 0);
  });
});
