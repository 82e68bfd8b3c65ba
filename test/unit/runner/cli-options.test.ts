import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execa } from 'execa';
import { parseCommandLine, parseHostPort } from '../../../harness/cli/conformance.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { UsageError } from '../../../common/cli-support.ts';

const FIXTURE_PROFILE = 'test/fixtures/runner/profile.json';

function usage(argv: string[]): string {
  try {
    parseCommandLine(argv, PROJECT_ROOT);
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`no usage error for ${argv.join(' ')}`);
}

test('defaults: embedded target, canonical profile, serial, reports/ and the project features and steps', () => {
  const parsed = parseCommandLine([], PROJECT_ROOT);
  assert.equal(parsed.help, false);
  if (parsed.help) return;
  const o = parsed.options;
  assert.deepEqual(o.target, { kind: 'embedded' });
  assert.equal(o.profile, 'canonical');
  assert.equal(o.parallel, 1);
  assert.equal(o.timeoutMs, 2000);
  assert.equal(o.quietMs, 300);
  assert.equal(o.forceQuiet, false);
  assert.equal(o.isolation, 'run');
  assert.equal(o.reportsDir, path.join(PROJECT_ROOT, 'reports'));
  assert.deepEqual(o.features, [path.join(PROJECT_ROOT, 'features/**/*.feature')]);
  assert.deepEqual(o.steps, [path.join(PROJECT_ROOT, 'steps/**/*.ts')]);
});

test('every option is parsed into the runner options', () => {
  const parsed = parseCommandLine(
    ['--server', 'python3 s.py {port}', '--oper-password', 'pw', '--isolation', 'scenario', '--start-timeout', '5000', '--profile', FIXTURE_PROFILE,
      '--tags', '@v0 and not @kick', '--timeout', '900', '--quiet-ms', '50', '--force-quiet', '--reports', 'out', '--steps', 'a/*.ts', '--steps', 'b.ts', 'features/join.feature'],
    PROJECT_ROOT,
  );
  assert.equal(parsed.help, false);
  if (parsed.help) return;
  const o = parsed.options;
  assert.deepEqual(o.target, { kind: 'spawned', command: 'python3 s.py {port}', startTimeoutMs: 5000, operPassword: 'pw' });
  assert.equal(o.profile, path.join(PROJECT_ROOT, FIXTURE_PROFILE));
  assert.equal(o.tags, '@v0 and not @kick');
  assert.equal(o.isolation, 'scenario');
  assert.deepEqual([o.timeoutMs, o.quietMs, o.forceQuiet], [900, 50, true]);
  assert.equal(o.reportsDir, path.join(PROJECT_ROOT, 'out'));
  assert.deepEqual(o.steps, [path.join(PROJECT_ROOT, 'a/*.ts'), path.join(PROJECT_ROOT, 'b.ts')]);
  assert.deepEqual(o.features, [path.join(PROJECT_ROOT, 'features/join.feature')]);
});

test('--target host:port, IPv6 in brackets', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:1459'), { host: '127.0.0.1', port: 1459 });
  assert.deepEqual(parseHostPort('[::1]:80'), { host: '::1', port: 80 });
  assert.throws(() => parseHostPort('localhost'), UsageError);
  assert.throws(() => parseHostPort('h:70000'), UsageError);
});

test('usage errors are one readable line', () => {
  assert.match(usage(['--bogus']), /^unknown option --bogus$/);
  assert.match(usage(['--tagz', '@v0']), /^unknown option --tagz \(did you mean --tags\?\)$/);
  assert.match(usage(['--tags']), /^--tags needs a value$/);
  assert.match(usage(['--target', '127.0.0.1:1', '--server', 'x {port}']), /mutually exclusive/);
  assert.match(usage(['--server', 'python3 s.py']), /must contain \{port\}/);
  assert.match(usage(['--parallel', '0']), /--parallel must be an integer >= 1/);
  assert.match(usage(['--timeout', '2s']), /--timeout must be an integer/);
  assert.match(usage(['--isolation', 'test']), /--isolation must be one of run, feature, scenario/);
  assert.match(usage(['--isolation', 'scenario', '--parallel', '2']), /without --parallel/);
  assert.match(usage(['--target', '127.0.0.1:1459', '--isolation', 'feature']), /needs a server the runner starts/);
  assert.match(usage(['--oper-password', 'x']), /random one/);
  assert.match(usage(['--profile', 'klingon']), /unknown profile "klingon" \(available: .*canonical/);
  assert.match(usage(['--profile', 'nowhere/p.json']), /no such file/);
  for (const message of [usage(['--bogus']), usage(['--server', 'x'])]) assert.doesNotMatch(message, /\n/);
});

test('the CLI exits 2 with one line on stderr for a usage error, and 0 with the option list for --help', async () => {
  // Three independent CLI processes: started together, not one after the other.
  const cli = (...args: string[]) => execa('node', ['--import', 'tsx', 'harness/cli/conformance.ts', ...args], { cwd: PROJECT_ROOT, reject: false, timeout: 120_000 });
  const [bad, version, help] = await Promise.all([cli('--parallel', 'many'), cli('--version'), cli('--help')]);
  assert.equal(bad.exitCode, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /^conformance: --parallel must be an integer >= 1, got "many" \(see --help\)$/);

  assert.equal(version.exitCode, 0);
  assert.match(version.stdout, /^chat-conformance \d+\.\d+\.\d+ \(Node\.js v\d+/);

  assert.equal(help.exitCode, 0);
  for (const option of ['--target', '--server', '--isolation', '--oper-password', '--profile', '--tags', '--parallel', '--timeout', '--quiet-ms', '--force-quiet', '--reports', '--help',
    '--version', '--list', '--fail-fast', '--rerun-failed', '--json', '--verbose', 'features/kick.feature:40']) {
    assert.ok(help.stdout.includes(option), `--help lists ${option}`);
  }
});
