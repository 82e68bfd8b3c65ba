import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunModel, countBy, totals, UNFINISHED_NOTE } from '../../../harness/reports/run-model.ts';
import { syntheticStream } from './synthetic-stream.ts';

const stream = syntheticStream('Kick', 'features/kick.feature', [
  { name: 'Admin kicks', tags: ['@v1', '@kick'], steps: [{ text: 'alice has created #room', status: 'PASSED' }, { text: 'alice kicks bob', status: 'PASSED' }], durationMs: 120 },
  {
    name: 'Member cannot kick',
    tags: ['@v1', '@kick'],
    steps: [
      { text: 'alice has created #room', status: 'PASSED' },
      { text: 'bob is refused', status: 'FAILED', message: 'expected ERR NOT_ADMIN\nlast received lines:\nS: OK KICK carol' },
      { text: 'carol still receives', status: 'SKIPPED' },
    ],
    attachments: [{ body: 'TCP transcript\nC: /KICK carol\nS: OK KICK carol', base64: true }],
  },
  {
    name: 'Kick in a profile without codes',
    tags: ['@extension'],
    steps: [{ text: 'alice has created #room', status: 'PASSED' }, { text: 'bob is refused with NOT_ADMIN', status: 'PENDING' }, { text: 'x', status: 'SKIPPED' }],
    attachments: [{ body: 'not gradable: the profile cannot tell error codes apart' }],
  },
  { name: 'Missing step', steps: [{ text: 'nobody wrote this', status: 'UNDEFINED' }] },
  { name: 'Skipped by a hook', steps: [{ text: 'a', status: 'SKIPPED' }] },
]);

test('each scenario gets its outcome: failed beats pending, pending is not gradable, undefined fails', () => {
  const model = buildRunModel(stream);
  assert.deepEqual(
    model.scenarios.map((s) => [s.name, s.outcome]),
    [
      ['Admin kicks', 'passed'],
      ['Member cannot kick', 'failed'],
      ['Kick in a profile without codes', 'not-gradable'],
      ['Missing step', 'failed'],
      ['Skipped by a hook', 'skipped'],
    ],
  );
  assert.equal(model.wallMs, 100 + 120 + 100 * 3 + 50);
});

test('a failure names its step with the Gherkin keyword, keeps the message and the decoded transcript', () => {
  const failed = buildRunModel(stream).scenarios[1]!;
  assert.deepEqual(failed.failingStep, { text: 'And bob is refused', message: 'expected ERR NOT_ADMIN\nlast received lines:\nS: OK KICK carol' });
  assert.equal(failed.attachments[0]!.text, 'TCP transcript\nC: /KICK carol\nS: OK KICK carol');
  assert.equal(failed.feature, 'Kick');
  assert.equal(failed.uri, 'features/kick.feature');
  assert.deepEqual(failed.tags, ['@v1', '@kick']);
});

test('not gradable carries the reason from its attachment; undefined steps get an explicit message', () => {
  const model = buildRunModel(stream);
  assert.equal(model.scenarios[2]!.notGradableReason, 'not gradable: the profile cannot tell error codes apart');
  assert.match(model.scenarios[3]!.failingStep!.message, /undefined step/);
});

test('counts per feature and per tag', () => {
  const model = buildRunModel(stream);
  const all = totals(model.scenarios);
  assert.deepEqual([all.passed, all.failed, all.skipped, all['not-gradable'], all.total], [1, 2, 1, 1, 5]);
  const byTag = countBy(model.scenarios, (s) => s.tags);
  assert.deepEqual([...byTag.keys()], ['@v1', '@kick', '@extension']);
  assert.equal(byTag.get('@kick')!.failed, 1);
  assert.equal(byTag.get('@kick')!.passed, 1);
  assert.equal(byTag.get('@extension')!['not-gradable'], 1);
});

test('a scenario that started but never finished (the run was stopped) is not run, saying why: no verdict on the server', () => {
  const cut = stream.filter((e) => !(e.testCaseFinished && e.testCaseFinished.testCaseStartedId === 'tcs4'));
  const model = buildRunModel(cut);
  const last = model.scenarios.find((s) => s.name === 'Skipped by a hook')!;
  assert.equal(last.outcome, 'skipped');
  assert.equal(last.failingStep, undefined);
  assert.ok(last.attachments.some((a) => a.text === UNFINISHED_NOTE));
});
