/**
 * An internal error of the harness (here a RangeError thrown while a scenario's result is recorded, as a
 * formatter's "Invalid string length" would be) is the harness's failure, never a usage error: the run
 * rejects with it (the CLIs exit 3), and the reports of what ran are still written, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseCommandLine } from '../../../harness/cli/conformance.ts';
import { runConformance, type RunnerIo } from '../../../harness/run/runner.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

test('a RangeError during the run still leaves junit.xml and summary.md, which name it', { timeout: 90_000 }, async (t) => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'internal-error-'));
  t.after(() => fs.rmSync(reports, { recursive: true, force: true }));
  const parsed = parseCommandLine(['--tags', '@list', '--reports', reports, path.join(PROJECT_ROOT, 'features', 'list.feature')], PROJECT_ROOT);
  assert.ok(!parsed.help);
  const sink = new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;
  const io: RunnerIo = { stdout: sink, stderr: sink };
  let seen = 0;
  await assert.rejects(
    runConformance(parsed.options, io, {
      onScenario: () => {
        seen += 1;
        if (seen === 2) throw new RangeError('Invalid string length');
      },
    }),
    RangeError,
  );
  const summary = fs.readFileSync(path.join(reports, 'summary.md'), 'utf8');
  assert.match(summary, /internal error, not the server's fault\): RangeError: Invalid string length/);
  assert.ok(fs.statSync(path.join(reports, 'junit.xml')).size > 0);
});
