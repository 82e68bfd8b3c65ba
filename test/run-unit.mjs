#!/usr/bin/env node
/**
 * `npm run test:unit`: the unit test files of test/unit-files.mjs, run by node:test's run() in the order
 * unitTestEntries() gives them (the longest first), CONCURRENCY at a time, reported by the spec reporter.
 *
 * Why not `node --test <files>`: Node 20 sorts the files it is given by path, so the order the list asked
 * for was lost and the longest files started last (measured in one full run on this 2-core machine:
 * broken-servers, 107 s long, started at 98 s, draft-goal at 78 s; the run ended at 243 s). run() starts
 * them in the order it is given.
 *
 * Started as `node --import tsx test/run-unit.mjs`: each test file's process is started with this process's
 * node options (--import tsx), as `node --test` does.
 */
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { unitTestEntries } from './unit-files.mjs';

/** Test files at a time, each its own process (see test/unit-files.mjs for why four suit two cores). */
const CONCURRENCY = 4;

const root = path.join(import.meta.dirname, '..');
const stream = run({ files: unitTestEntries().map((file) => path.join(root, file)), concurrency: CONCURRENCY });
// As `node --test`: exit code 1 when a test failed (a test file whose process failed counts as one).
stream.on('test:fail', (data) => {
  if (!data.todo && !data.skip) process.exitCode = 1;
});
stream.compose(new spec()).pipe(process.stdout);
