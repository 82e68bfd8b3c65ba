#!/usr/bin/env node
/**
 * The unit test files, for `npm run test:unit`. Detected from the source, so a new test file needs no
 * registration here.
 *
 * Two kinds of files:
 * - those that start other processes (the conformance CLI, the grader, the client, a fixture server, a
 *   browser, a sandbox), or measure their own process (memory, learned latencies): each runs in its own
 *   process, the longest first, four at a time (test/run-unit.mjs): they mostly wait on their children,
 *   so two cores stay busy;
 * - the others (in-process tests of pure modules and of servers on port 0): all of them run in ONE
 *   process, test/unit-in-one-process.mjs. Each file in its own process cost a node + tsx start-up
 *   (about a second of CPU) for tests that take a few milliseconds: 73 files, 78 s of CPU alone, against
 *   15 s together (measured on this 2-core machine). Their tests and their reports are the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Source that starts another process (directly or through a helper that does). */
const SPAWNS = /runConformanceCli|runConformanceInProcess|fixtureCommand|fixtureBundle|in-process-run|harness\/cli\/conformance\.ts|grading\/cli\.ts|ClientProcess|bench\/cli\.ts|net\/cli\.ts|child_process|execa|spawn|headless-chromium/;
/**
 * Files that must not share their process: they measure the process itself (its memory, or reply latencies
 * learned from its event loop), which other files' garbage and timers would skew. A file can also ask for
 * its own process with the comment `unit-files: own process`.
 */
const OWN_PROCESS = /memoryUsage|heapUsed|unit-files: own process/;
/** Runs every in-process file in one process (it imports them). */
export const IN_ONE_PROCESS = 'test/unit-in-one-process.mjs';
/**
 * The longest entries, longest first, started before the others (their wall times in one full unit run on
 * this 2-core machine, four files at a time: 107, 76, 70, 50, 47, 39, 38, 37, 36, 34, 33, 32, 29 and 28 s;
 * the others took 25 s or less). Started last, a long file is the run's tail on its own.
 */
const LONGEST = [
  'test/unit/proof/broken-servers.test.ts',
  IN_ONE_PROCESS,
  'test/unit/profiles/draft-goal.test.ts',
  'test/unit/hardening/adversarial-batch.test.ts',
  'test/unit/grading/batch-e2e.test.ts',
  'test/unit/proof/student-habits.test.ts',
  'test/unit/proof/console-proof.test.ts',
  'test/unit/runner/cli-run.test.ts',
  'test/unit/resilience/misbehaving-targets.test.ts',
  'test/unit/grading/batch-dialects.test.ts',
  'test/unit/grading/fixed-port-batch.test.ts',
  'test/unit/proof/unreadable-fields.test.ts',
  'test/unit/profiles/fixture-runs.test.ts',
  'test/unit/reports/failure-views.test.ts',
];

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every unit test file, relative to the repository, in alphabetical order. */
function testFiles() {
  return walk(path.join(ROOT, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .sort();
}

/** True for a file that runs in its own process: it starts other processes, or measures its own. */
const alone = (file) => {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  return SPAWNS.test(source) || OWN_PROCESS.test(source);
};

/** The files that start no other process: run together by IN_ONE_PROCESS. */
export function inProcessFiles() {
  return testFiles().filter((f) => !alone(f));
}

/** What test/run-unit.mjs runs, in this order: the longest entries (the in-process group among them), then the other spawning files. */
export function unitTestEntries() {
  const spawning = testFiles().filter(alone);
  const longest = LONGEST.filter((f) => f === IN_ONE_PROCESS || spawning.includes(f));
  return [...longest, ...spawning.filter((f) => !longest.includes(f))];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${unitTestEntries().join('\n')}\n`);
}
