/**
 * messages.ndjson as the run writes it (harness/reports/formatters/message-log.ts): every envelope once,
 * as a JSON line, in order; written at the end of each scenario, so a run killed mid-way has every
 * finished scenario on disk, and at the end of the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachmentContentEncoding, type Envelope } from '@cucumber/messages';
import messageLog, { BATCH_BYTES } from '../../../harness/reports/formatters/message-log.ts';

function started(): { send: (e: Envelope) => void; writes: string[]; end: () => void } {
  let handler: ((e: Envelope) => void) | undefined;
  const writes: string[] = [];
  const cleanup = messageLog.formatter({ on: (_event, h) => (handler = h), write: (data) => writes.push(data) });
  return { send: (e) => handler!(e), writes, end: cleanup };
}

const timestamp = { seconds: 1, nanos: 0 };
const stepStarted = (id: string): Envelope => ({ testStepStarted: { testCaseStartedId: 'tc', testStepId: id, timestamp } });
const caseFinished: Envelope = { testCaseFinished: { testCaseStartedId: 'tc', timestamp, willBeRetried: false } };

test('each finished scenario is written with everything before it; the rest at the end', () => {
  const log = started();
  log.send(stepStarted('a'));
  log.send(stepStarted('b'));
  assert.deepEqual(log.writes, [], 'nothing yet in the middle of a scenario');
  log.send(caseFinished);
  assert.deepEqual(log.writes, [[stepStarted('a'), stepStarted('b'), caseFinished].map((e) => `${JSON.stringify(e)}\n`).join('')]);
  log.send(stepStarted('c'));
  log.end();
  assert.equal(log.writes.length, 2);
  assert.equal(log.writes[1], `${JSON.stringify(stepStarted('c'))}\n`);
  log.end();
  assert.equal(log.writes.length, 2, 'nothing is written twice');
});

test('the end of the run is written at once; a large batch is written before its scenario ends', () => {
  const log = started();
  log.send({ testRunFinished: { timestamp, success: true } });
  assert.equal(log.writes.length, 1);
  const big = 'x'.repeat(BATCH_BYTES);
  log.send({ attachment: { body: big, mediaType: 'text/plain', contentEncoding: AttachmentContentEncoding.IDENTITY } });
  assert.equal(log.writes.length, 2, 'a batch over BATCH_BYTES does not wait for the scenario to end');
  assert.ok(log.writes[1]!.includes(big));
});
