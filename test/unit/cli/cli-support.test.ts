/**
 * common/cli-support.ts: the one UsageError, the shared exit statuses and integer options of every
 * command line (conformance, grade, grade:merge, the reference server and client).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT_OK, EXIT_USAGE, integerOption, UsageError, usageErrorFrom } from '../../../common/cli-support.ts';
import { ExitCode } from '../../../reference-client/exit-codes.ts';
import { EXIT_FAILED, EXIT_INTERNAL, EXIT_PASSED } from '../../../harness/run/runner.ts';

test('an integer option accepts whole decimal numbers in its range', () => {
  assert.equal(integerOption('port', '0', 0, 65535), 0);
  assert.equal(integerOption('port', '65535', 0, 65535), 65535);
  assert.equal(integerOption('parallel', '007', 1), 7);
  assert.equal(integerOption('max-file-bytes', String(Number.MAX_SAFE_INTEGER), 1), Number.MAX_SAFE_INTEGER);
});

test('anything else is a UsageError naming the flag, the range and what was given', () => {
  for (const raw of ['', 'abc', '-1', '1.5', '1e3', ' 5', '0x10', '5x', '99999999999999999999']) {
    assert.throws(() => integerOption('timeout', raw, 1), (error: unknown) => error instanceof UsageError && error.message === `--timeout must be an integer >= 1, got "${raw}"`, raw);
  }
  assert.throws(() => integerOption('port', '65536', 0, 65535), { name: 'UsageError', message: '--port must be an integer from 0 to 65535, got "65536"' });
  assert.throws(() => integerOption('parallel', '0', 1), { message: '--parallel must be an integer >= 1, got "0"' });
});

test("a library's exception becomes a one-line UsageError", () => {
  const error = usageErrorFrom(new Error('bad tag expression\n  at line 3'), 'bad --tags: ');
  assert.ok(error instanceof UsageError);
  assert.equal(error.message, 'bad --tags: bad tag expression');
  assert.equal(usageErrorFrom('plain').message, 'plain');
});

test('every program shares the usage and success statuses; each keeps its own others, all distinct', () => {
  assert.equal(EXIT_USAGE, 2);
  assert.equal(ExitCode.USAGE, EXIT_USAGE);
  assert.equal(ExitCode.OK, EXIT_OK);
  assert.equal(EXIT_PASSED, EXIT_OK);
  const harness = [EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL];
  assert.equal(new Set(harness).size, harness.length);
  assert.equal(new Set(Object.values(ExitCode)).size, Object.values(ExitCode).length);
});
