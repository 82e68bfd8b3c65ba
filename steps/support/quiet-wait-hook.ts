/**
 * Loaded by the runner with every run (like target-hooks.ts): at the end of the run, each process that ran
 * scenarios (the runner itself, or each parallel worker) leaves what its quiet waits learned
 * (harness/quiet-wait.ts) in the run's stats folder, for the runner to put in the run's notes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AfterAll } from '@cucumber/cucumber';
import { sharedQuietWait } from '../../harness/quiet-wait.ts';
import { QUIET_WAIT_STATS_ENV } from '../../harness/quiet-wait-stats.ts';

AfterAll(function () {
  const dir = process.env[QUIET_WAIT_STATS_ENV];
  if (!dir) return;
  const summary = sharedQuietWait.summary();
  if (summary.waits === 0) return;
  writeFileSync(path.join(dir, `quiet-wait-${process.pid}.json`), JSON.stringify(summary));
});
