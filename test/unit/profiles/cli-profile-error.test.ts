/**
 * A deliberately wrong profile given to the conformance CLI: exit code 2 before anything runs, one
 * line per problem naming its JSON path, and no stack trace.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

test('a wrong profile: exit 2, one clear line per problem, no stack trace, no run', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bad-profile-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'student.json');
  await writeFile(
    file,
    JSON.stringify({
      name: 'student',
      register: [{ send: '{nik}' }],
      replies: {},
      commands: { join: 'JOIN {chan}' },
      events: { message: '(?<sender>\\S+): (?<text>.*' },
      capabilities: { lobby: true, rawWire: false, errorCodes: false },
    }),
  );
  const result = await execa('node', ['--import', 'tsx', 'harness/cli/conformance.ts', '--profile', file, '--reports', path.join(dir, 'reports')], {
    cwd: PROJECT_ROOT,
    reject: false,
    timeout: 120_000, // generous: a busy machine can take most of a minute to start the CLI
    env: { NO_COLOR: '1' },
  });
  assert.equal(result.exitCode, 2);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines[0], `conformance: ${file} is not a valid profile:`);
  assert.deepEqual(lines.slice(1).sort(), [
    '  - commands.join: unknown placeholder {chan} (allowed: {channel})',
    '  - events.message: invalid regular expression: Invalid regular expression: /(?<sender>\\S+): (?<text>.*/: Unterminated group',
    '  - register[0].send: unknown placeholder {nik} (allowed: {nick})',
  ]);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});
