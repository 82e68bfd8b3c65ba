import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { UsageError } from '../../../common/cli-support.ts';
import { parseGradeCommandLine, parseShard } from '../../../grading/options.ts';

function usage(argv: string[]): string {
  try {
    parseGradeCommandLine(argv, PROJECT_ROOT);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail(`no usage error for ${argv.join(' ')}`);
}

test('one server: runner options go through the runner parser, grading options are the grader\'s', () => {
  const c = parseGradeCommandLine(['--server', 'python3 s.py {port}', '--no-sandbox', '--tags', '@v0', '--budget', '90', '--format', 'vpl', '--name', 'alice', '--reports', 'out'], PROJECT_ROOT);
  assert.equal(c.mode, 'single');
  if (c.mode !== 'single') return;
  assert.deepEqual(c.runner.target, { kind: 'spawned', command: 'python3 s.py {port}', startTimeoutMs: 10_000, operPassword: undefined });
  assert.equal(c.runner.tags, '@v0');
  assert.equal(c.budgetS, 90);
  assert.equal(c.vpl, true);
  assert.equal(c.name, 'alice');
  assert.equal(c.reportsDir, path.join(PROJECT_ROOT, 'out'));
  assert.equal(c.runner.reportsDir, c.reportsDir);
  assert.deepEqual(c.featurePaths, [path.join(PROJECT_ROOT, 'features')]);
});

test('batch: --server needs {dir} and {port}; runner options are passed on, without --server', () => {
  const c = parseGradeCommandLine(['--submissions', 'subs', '--server', 'python3 {dir}/server.py {port}', '--jobs', '4', '--limit', '120', '--shard', '2/3', '--oper-password', 'pw', '--tags', '@v0'], PROJECT_ROOT);
  assert.equal(c.mode, 'batch');
  if (c.mode !== 'batch') return;
  assert.equal(c.submissionsDir, path.join(PROJECT_ROOT, 'subs'));
  assert.deepEqual(c.passThrough, ['--oper-password', 'pw', '--tags', '@v0']);
  assert.equal(c.tags, '@v0');
  assert.equal(c.jobs, 4);
  assert.equal(c.limitS, 120);
  assert.deepEqual(c.shard, { index: 2, count: 3 });
  const elsewhere = parseGradeCommandLine(['--submissions', 's', '--server', 'x {dir} {port}', '--steps', 'my/steps.ts', '--profile', 'canonical'], path.join(PROJECT_ROOT, 'test'));
  assert.ok(elsewhere.mode === 'batch');
  if (elsewhere.mode === 'batch') {
    assert.deepEqual(elsewhere.passThrough, ['--steps', path.join(PROJECT_ROOT, 'test', 'my/steps.ts')], 'paths made absolute for graders running elsewhere');
    assert.equal(elsewhere.profileTemplate, 'canonical', 'the profile is chosen per submission (grading/batch.ts profileFor)');
  }
  assert.match(usage(['--submissions', 'subs', '--server', 'python3 server.py {port}']), /\{dir\}/);
  assert.match(usage(['--submissions', 'subs', '--server', 'x {dir} {port}', '--budget', '5']), /--budget/);
  assert.match(usage(['--submissions', 'subs', '--server', 'x {dir} {port}', '--isolation', 'nope']), /--isolation/);
});

test('batch-only options are refused for one server; bad values are usage errors', () => {
  assert.match(usage(['--jobs', '2']), /--jobs only applies with --submissions/);
  assert.match(usage(['--shard', '1/2']), /--shard/);
  assert.match(usage(['--format', 'xml']), /--format/);
  assert.match(usage(['--budget', '-3']), /--budget/);
  assert.match(usage(['--target', 'nope']), /host:port/);
  assert.throws(() => parseShard('0/2'), UsageError);
  assert.throws(() => parseShard('3/2'), UsageError);
  assert.deepEqual(parseShard('2/2'), { index: 2, count: 2 });
});

test('--client and --profile with {dir}: passed per submission, not through passThrough', () => {
  const c = parseGradeCommandLine(['--submissions', 'subs', '--server', 'python3 {dir}/server.py {port}', '--client', 'python3 {dir}/client.py {host} {port}', '--profile', '{dir}/profile.json', '--tags', '@v0'], PROJECT_ROOT);
  assert.ok(c.mode === 'batch');
  if (c.mode !== 'batch') return;
  assert.equal(c.clientTemplate, 'python3 {dir}/client.py {host} {port}');
  assert.equal(c.profileTemplate, '{dir}/profile.json');
  assert.deepEqual(c.passThrough, ['--tags', '@v0']);
  const named = parseGradeCommandLine(['--submissions', 'subs', '--server', 'x {dir} {port}', '--profile', 'seed'], PROJECT_ROOT);
  assert.ok(named.mode === 'batch' && named.profileTemplate === 'seed' && named.passThrough.length === 0);
  // A server with a fixed port (the submissions' profile.json gives server.port): each grader checks it.
  assert.equal(parseGradeCommandLine(['--submissions', 'subs', '--server', 'python3 {dir}/server.py'], PROJECT_ROOT).mode, 'batch');
  assert.match(usage(['--submissions', 'subs', '--server', 'x {dir} {port}', '--profile', 'nope']), /unknown profile/);
  assert.match(usage(['--server', 'x {port}', '--profile', '{dir}/p.json']), /\{dir\}.*only applies with --submissions/);
});

test('one server: --client reaches the runner; a client without {port} needs a fixed server port', () => {
  const c = parseGradeCommandLine(['--server', 'python3 s.py {port}', '--client', 'python3 c.py {host} {port}', '--profile', 'seed-client', '--no-sandbox'], PROJECT_ROOT);
  assert.ok(c.mode === 'single');
  if (c.mode === 'single') assert.equal(c.runner.client, 'python3 c.py {host} {port}');
  assert.match(usage(['--server', 'python3 s.py {port}', '--client', 'python3 c.py']), /fixed port needs the profile's server\.port/);
  const fixed = parseGradeCommandLine(['--target', '127.0.0.1:1459', '--client', 'python3 c.py', '--no-sandbox'], PROJECT_ROOT);
  assert.ok(fixed.mode === 'single' && fixed.runner.client === 'python3 c.py');
});

test('the sandbox: on by default, showing --submission-dir (default the current folder) and --sandbox-allow; --no-sandbox turns it off', () => {
  const on = parseGradeCommandLine(['--server', 's {port}', '--submission-dir', 'sub', '--sandbox-allow', 'lib'], PROJECT_ROOT);
  assert.ok(on.mode === 'single');
  assert.deepEqual(on.runner.sandbox, { dir: path.join(PROJECT_ROOT, 'sub'), allow: [path.join(PROJECT_ROOT, 'lib')] });
  assert.match(usage(['--server', 's {port}']), /--submission-dir <folder>/);
  const reference = parseGradeCommandLine(['--tags', '@v0'], PROJECT_ROOT);
  assert.ok(reference.mode === 'single');
  assert.equal(reference.runner.sandbox, undefined, 'the bundled reference server is no submission code');
  const off = parseGradeCommandLine(['--server', 's {port}', '--no-sandbox'], PROJECT_ROOT);
  assert.ok(off.mode === 'single');
  assert.equal(off.runner.sandbox, undefined);
  assert.match(usage(['--server', 's {port}', '--no-sandbox', '--sandbox-allow', 'x']), /cannot go with --no-sandbox/);
  const batch = parseGradeCommandLine(['--submissions', 'subs', '--server', 'python3 {dir}/s.py {port}', '--sandbox-allow', 'lib'], PROJECT_ROOT);
  assert.ok(batch.mode === 'batch');
  assert.equal(batch.sandbox, true);
  assert.deepEqual(batch.sandboxAllow, [path.join(PROJECT_ROOT, 'lib')]);
  assert.match(usage(['--submissions', 'subs', '--server', 'python3 {dir}/s.py {port}', '--submission-dir', 'x']), /applies to one run/);
});
