/**
 * Issue #16 item 4: every report is still written when a run is cut short. cucumber.html ends only when
 * the run does, so a cut-off run gets it made again from messages.ndjson (harness/reports/complete-html.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { completeHtmlReport, isWholePage, messageLines } from '../../../harness/reports/complete-html.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const envelope = (id: string) => JSON.stringify({ testRunStarted: { timestamp: { seconds: 1, nanos: 0 }, id } });

test('a last line cut mid-write is left out; whole lines are read', () => {
  const text = `${envelope('a')}\n${envelope('b')}\n{"testCaseStarted":{"id`;
  assert.deepEqual(messageLines(text), [envelope('a'), envelope('b')]);
  assert.deepEqual(messageLines(`${envelope('a')}\n\n${envelope('b')}\n`), [envelope('a'), envelope('b')], 'a file that ends whole keeps every line');
  assert.deepEqual(messageLines(''), []);
  const injected = '{}];alert(document.cookie);[{}';
  assert.deepEqual(messageLines(`${envelope('a')}\n${injected}\n1\n[{}]\n${envelope('b')}\n`), [envelope('a'), envelope('b')], 'a line that is not one JSON object never reaches the page');
});

test('a page cut short is made again from the messages; a whole page is left alone', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complete-html-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const html = path.join(dir, 'cucumber.html');
  const ndjson = path.join(dir, 'messages.ndjson');
  fs.writeFileSync(ndjson, `${envelope('run-1')}\n{"cut`);
  fs.writeFileSync(html, '<!DOCTYPE html><html><head></head><body><script>window.CUCUMBER_MESSAGES = [');
  assert.equal(await completeHtmlReport(html, ndjson), true);
  const rebuilt = fs.readFileSync(html, 'utf8');
  assert.ok(isWholePage(rebuilt), 'the page has its end');
  assert.match(rebuilt, /run-1/);
  assert.equal(await completeHtmlReport(html, ndjson), false, 'a whole page is not touched');
  assert.equal(fs.readFileSync(html, 'utf8'), rebuilt);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['cucumber.html', 'messages.ndjson'], 'no temporary file left');
});

test('SIGTERM in the middle of a run: exit 130, and every report is written, cucumber.html a whole page', { timeout: 120_000 }, async (t) => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'sigterm-reports-'));
  t.after(() => fs.rmSync(reports, { recursive: true, force: true }));
  const run = execa(process.execPath, ['--import', 'tsx', 'harness/cli/conformance.ts', '--tags', '@who or @list or @join', '--reports', reports], {
    cwd: PROJECT_ROOT,
    reject: false,
    env: { NO_COLOR: '1' },
  });
  // Stop it once a few scenarios have finished (bounded: 60 s at most).
  const ndjson = path.join(reports, 'messages.ndjson');
  const finishedCount = (): number => (fs.existsSync(ndjson) ? (fs.readFileSync(ndjson, 'utf8').match(/"testCaseFinished"/g) ?? []).length : 0);
  let ended = false;
  void run.finally(() => (ended = true));
  const deadline = Date.now() + 60_000;
  while (finishedCount() < 3 && Date.now() < deadline && !ended) await new Promise((r) => setTimeout(r, 100));
  assert.ok(finishedCount() >= 3, 'the run got going');
  run.kill('SIGTERM');
  const result = await run;
  assert.equal(result.exitCode, 130, `${result.stdout}\n${result.stderr}`);
  const html = fs.readFileSync(path.join(reports, 'cucumber.html'), 'utf8');
  assert.ok(isWholePage(html), 'cucumber.html is a whole page');
  assert.match(html, /testCaseFinished/, 'it holds the scenarios that ran');
  for (const file of ['summary.md', 'junit.xml']) assert.ok(fs.statSync(path.join(reports, file)).size > 0, `${file} written`);
  // What Cucumber ran after the interrupt, against a target already stopped, is in no report: the
  // reference server fails nothing, so no failure may appear anywhere.
  assert.doesNotMatch(fs.readFileSync(ndjson, 'utf8'), /"status":"FAILED"/);
  assert.doesNotMatch(fs.readFileSync(path.join(reports, 'junit.xml'), 'utf8'), /<failure/);
});
