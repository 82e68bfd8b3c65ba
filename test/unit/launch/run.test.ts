/**
 * The launcher (launch/run.mjs) on the real project: the runner and the grader run from the bundle, made
 * once and then used again; from source when --steps brings the user's own TypeScript, when told to, or
 * when the bundle cannot be made (said in one line). Each run is a small one (the @help scenarios) against
 * the embedded reference server. The bundles go to a folder of the test's own, not the shared one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { LAUNCHER } from '../../../grading/launcher.ts';
import { BUNDLE_DIR_ENV } from '../../../launch/bundle.mjs';

function temporary(t: { after(fn: () => void): void }, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function launch(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [LAUNCHER, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The bundle folders made in `cacheDir`. */
const bundlesIn = (cacheDir: string): string[] => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((name) => name.startsWith('b-')) : []);

test('the runner runs from a bundle made on first use and used again after', (t) => {
  const cacheDir = path.join(temporary(t, 'launch-cache-'), 'bundles');
  const reports = temporary(t, 'launch-reports-');
  const args = ['harness/cli/conformance.ts', '--tags', '@help', '--reports', reports];

  const first = launch(args, { [BUNDLE_DIR_ENV]: cacheDir });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /PASS: \d+ passed, 0 failed/);
  assert.equal(first.stderr, '', 'no fallback to source');
  const definitions = fs
    .readFileSync(path.join(reports, 'messages.ndjson'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"stepDefinition"'))
    .map((line) => (JSON.parse(line) as { stepDefinition: { sourceReference: { uri: string } } }).stepDefinition.sourceReference.uri);
  assert.ok(definitions.length > 0);
  for (const uri of definitions) assert.match(uri, /^steps\/[\w.-]+\.ts$/, 'step definitions are located in their source files (source maps), not in the bundle');
  const made = bundlesIn(cacheDir);
  assert.equal(made.length, 1, 'the bundle was made');

  const second = launch(args, { [BUNDLE_DIR_ENV]: cacheDir });
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /PASS: \d+ passed, 0 failed/);
  assert.deepEqual(bundlesIn(cacheDir), made, 'used again, not made again');
});

test('the grader runs from the bundle and grades as from source', (t) => {
  const cacheDir = path.join(temporary(t, 'launch-cache-'), 'bundles');
  const grades: Record<string, unknown> = {};
  for (const mode of ['bundle', 'never']) {
    const reports = temporary(t, 'launch-grade-');
    const run = launch(['grading/cli.ts', '--tags', '@help', '--no-sandbox', '--reports', reports], { [BUNDLE_DIR_ENV]: cacheDir, CHAT_CONFORMANCE_BUNDLE: mode });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Grade: /m);
    const grade = JSON.parse(fs.readFileSync(path.join(reports, 'grade.json'), 'utf8')) as { total: unknown; max: unknown; counts: unknown; scenarios: Array<{ key: string; status: string }> };
    grades[mode] = { total: grade.total, max: grade.max, counts: grade.counts, scenarios: grade.scenarios.map((s) => [s.key, s.status]) };
  }
  assert.equal(bundlesIn(cacheDir).length, 1, 'one run made the bundle, the other ran from source');
  assert.deepEqual(grades.bundle, grades.never);
});

test('with --steps, the runner runs from source (the user’s support code is TypeScript the bundle lacks)', (t) => {
  const cacheDir = path.join(temporary(t, 'launch-cache-'), 'bundles');
  const run = launch(['harness/cli/conformance.ts', '--steps', 'steps/**/*.ts', '--tags', '@help', '--reports', temporary(t, 'launch-reports-')], { [BUNDLE_DIR_ENV]: cacheDir });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /PASS: \d+ passed, 0 failed/);
  assert.deepEqual(bundlesIn(cacheDir), [], 'no bundle made');
});

test('a bundle that cannot be made: the run goes on from source and says so in one line', (t) => {
  const blocker = path.join(temporary(t, 'launch-cache-'), 'a-file');
  fs.writeFileSync(blocker, 'not a folder\n');
  const run = launch(['harness/cli/conformance.ts', '--tags', '@help', '--reports', temporary(t, 'launch-reports-')], { [BUNDLE_DIR_ENV]: path.join(blocker, 'bundles') });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /PASS: \d+ passed, 0 failed/);
  assert.match(run.stderr, /^launch: running from source through tsx, the bundle could not be made: .*\n$/);
});

test('the launcher starts only the grader and the runner', () => {
  for (const args of [[], ['reference-server/net/cli.ts'], ['../elsewhere.ts']]) {
    const run = launch(args, {});
    assert.equal(run.status, 2, `${args.join(' ')}: usage error`);
    assert.match(run.stderr, /^usage: node launch\/run\.mjs <grading\/cli\.ts\|harness\/cli\/conformance\.ts>/);
  }
});
