/**
 * One failure, everywhere it is shown (issue #17): the conformance CLI runs a broken server (it echoes a
 * channel message to its sender) on one failing and one passing scenario, with --json, and every view of
 * that failure is checked: the terminal (grade.md's shape, no stack), the JSON summary, --rerun-failed,
 * the transcript attached to the failed step, and cucumber.html in a real headless browser (opens on the
 * failure, transcript shown on the failed step, no script error).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Envelope } from '@cucumber/messages';
import { located, PROJECT_ROOT } from '../proof/support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';
import { renderPage } from '../../support/headless-chromium.ts';

const FAILING = located('features/channel-messages.feature', 'The sender gets no copy of their own message');
const PASSING = located('features/ping.feature', 'A token is echoed verbatim');

async function conformance(args: string[]) {
  const run = await execa(process.execPath, ['--import', 'tsx', 'harness/cli/conformance.ts', ...args], {
    cwd: PROJECT_ROOT,
    reject: false,
    timeout: 120_000,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    stdin: 'ignore',
  });
  return { exitCode: run.exitCode, stdout: String(run.stdout), stderr: String(run.stderr) };
}

// The checks only read the one run's output and reports (the browser ones write their own page): they
// run together, so the three headless chromium start-ups overlap.
describe('a failure, everywhere it is shown', { concurrency: true }, () => {
  let reports: string;
  let run: Awaited<ReturnType<typeof conformance>>;
  before(async () => {
    reports = await mkdtemp(path.join(os.tmpdir(), 'failure-views-'));
    const server = fixtureCommand('test/fixtures/broken-servers/echo-to-sender.ts', '{port}');
    run = await conformance(['--server', server, '--reports', reports, '--json', FAILING, PASSING]);
  });
  after(async () => {
    await rm(reports, { recursive: true, force: true });
  });

  it('the terminal shows it as grade.md does: feature:line, rule, step, message, transcript; no stack, no diff', () => {
    assert.equal(run.exitCode, 1, run.stderr);
    const text = run.stderr; // with --json, what a person reads goes to stderr
    assert.match(text, new RegExp(`^FAILED ${FAILING.replace(/\./g, '\\.')}  Channel messages › The sender gets no copy`, 'm'));
    assert.match(text, /^ {2}rule: +A message is never echoed to its sender \(PROTOCOL\.md §5\.6/m);
    assert.match(text, /^ {2}failed at: And alice receives nothing$/m);
    assert.match(text, /^ {4}alice should not have received any event/m);
    assert.match(text, /end of the TCP transcript[^\n]*\n(?: {4}.*\n)*? {4}\+\d+\.\d{3}s alice <- MSG #room/);
    assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, 'no stack frame without --verbose');
    assert.doesNotMatch(text, /expected - actual|ExpectationError/);
  });

  it('--json prints the verdict and the failure on stdout, and nothing else', () => {
    const summary = JSON.parse(run.stdout) as { result: string; counts: { passed: number; failed: number }; failures: Array<{ location: string; rule: string; message: string }> };
    assert.equal(summary.result, 'FAIL');
    assert.deepEqual([summary.counts.passed, summary.counts.failed], [1, 1]);
    assert.equal(summary.failures.length, 1);
    assert.equal(summary.failures[0]!.location, FAILING);
    assert.match(summary.failures[0]!.message, /^alice should not have received any event/);
  });

  it('the transcript is attached to the failed step itself', async () => {
    const envelopes = (await readFile(path.join(reports, 'messages.ndjson'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Envelope);
    const failedSteps = envelopes.filter((e) => e.testStepFinished?.testStepResult.status === 'FAILED').map((e) => e.testStepFinished!.testStepId);
    const transcripts = envelopes.filter((e) => e.attachment?.body.startsWith('TCP transcript\n')).map((e) => e.attachment!.testStepId);
    assert.equal(failedSteps.length, 1);
    assert.deepEqual(transcripts, failedSteps, 'one transcript, on the failed step');
  });

  it('--rerun-failed selects exactly the scenarios that failed last time', async () => {
    const listed = await conformance(['--rerun-failed', '--list', '--reports', reports]);
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${FAILING.replace(/\./g, '\\.')} +The sender gets no copy`, 'm'));
    assert.doesNotMatch(listed.stdout, /ping\.feature/);
    assert.match(listed.stdout, /^1 scenario\(s\) selected; nothing was run\.$/m);
  });

  it('cucumber.html in headless chromium: opens on the failure, its transcript shown on the failed step, no script error', async () => {
    const page = await renderPage(path.join(reports, 'cucumber.html'));
    assert.deepEqual(page.scriptErrors, []);
    assert.match(page.dom, /The sender gets no copy of their own message/, 'the failed scenario is listed');
    assert.doesNotMatch(page.dom, /features\/ping\.feature/, "the passed scenario's feature is filtered out when the report opens");
    assert.match(page.dom, /<details[^>]*\bopen\b[^>]*><summary>TCP transcript<\/summary>[\s\S]*?alice &lt;- MSG #room/, 'the transcript is open under the step');
    // The address can still ask for everything: the filter is the report's own.
    const all = await renderPage(path.join(reports, 'cucumber.html'), '?query=');
    assert.match(all.dom, /features\/ping\.feature/);
  });

  it('the browser check sees script errors (it can fail)', async () => {
    const broken = path.join(reports, 'broken.html');
    await writeFile(broken, '<!DOCTYPE html><html><body><p>x</p><script>throw new Error("deliberate report bug")</script></body></html>');
    const page = await renderPage(broken);
    assert.equal(page.scriptErrors.length, 1, page.scriptErrors.join('\n'));
    assert.match(page.scriptErrors[0]!, /deliberate report bug/);
  });
});
