#!/usr/bin/env node
/**
 * The unit test files, for `npm run test:unit`, slowest first. `node --test --test-concurrency=N` starts
 * files in the order given; a file that runs the conformance CLI or the grader as a child process takes
 * tens of seconds, a pure one well under one, so starting the long ones first keeps both cores busy to
 * the end instead of leaving one long file alone at the tail. Detected from the source, so a new test
 * file needs no registration here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SLOW = /runConformanceCli|in-process-run|harness\/cli\.ts|grading\/cli\.ts|ClientProcess|bench\/cli\.ts|net\/cli\.ts/;
/** The longest of the slow ones (measured: each is a minute or more of wall time on a busy 2-core machine). */
const LONGEST = ['test/unit/proof/broken-servers.test.ts', 'test/unit/profiles/fixture-runs.test.ts', 'test/unit/proof/console-proof.test.ts', 'test/unit/resilience/misbehaving-targets.test.ts'];

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const files = walk('test').filter((f) => f.endsWith('.test.ts')).sort();
const rank = (f) => (LONGEST.includes(f) ? LONGEST.indexOf(f) : SLOW.test(readFileSync(f, 'utf8')) ? LONGEST.length : LONGEST.length + 1);
// Array#sort is stable: within a rank, the alphabetical order stays.
process.stdout.write(`${files.sort((a, b) => rank(a) - rank(b)).join('\n')}\n`);
