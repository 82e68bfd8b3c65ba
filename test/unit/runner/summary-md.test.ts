import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRunModel } from '../../../harness/reports/run-model.ts';
import { buildSummaryMarkdown, verdict } from '../../../harness/reports/summary-md.ts';
import type { RunContext } from '../../../harness/reports/run-context.ts';
import { syntheticStream } from './synthetic-stream.ts';

const context: RunContext = {
  target: 'external server at 127.0.0.1:1459',
  profile: 'canonical',
  tags: '@v1',
  parallel: 1,
  isolation: 'run',
  filtered: [{ tag: '@pristine', count: 2, why: 'they need a server nobody else uses' }],
  wallMs: 4200,
  notes: [],
};

test('summary.md has per-feature and per-tag rows, failures, not gradable and filtered-out groups', () => {
  const model = buildRunModel([
    ...syntheticStream('Join', 'features/join.feature', [
      { name: 'Join works', tags: ['@v1', '@join'], steps: [{ text: 'a', status: 'PASSED' }] },
      { name: 'Join | pipes', tags: ['@v1', '@join'], steps: [{ text: 'b', status: 'FAILED', message: 'expected JOIN\nmore' }] },
      { name: 'Needs codes', tags: ['@v1'], steps: [{ text: 'c', status: 'PENDING' }], attachments: [{ body: 'not gradable: no codes' }] },
    ]),
  ]);
  const md = buildSummaryMarkdown(model, context);
  assert.equal(verdict(model), 'FAIL');
  assert.match(md, /\*\*Result: FAIL\*\*: 1 passed, 1 failed, 0 skipped, 1 not gradable \(3 scenarios run\)/);
  assert.match(md, /\| Join \(features\/join\.feature\) \| 1 \| 1 \| 0 \| 1 \| 3 \|/);
  assert.match(md, /\| `@join` \| 1 \| 1 \| 0 \| 0 \| 2 \|/);
  assert.match(md, /\| `@v1` \| 1 \| 1 \| 0 \| 1 \| 3 \|/);
  assert.match(md, /\*\*Join › Join \\\| pipes\*\* \(`features\/join\.feature:8`\): Given b: expected JOIN\n/);
  assert.match(md, /## Not gradable with this profile[\s\S]*- Join › Needs codes: not gradable: no codes/);
  assert.match(md, /\| `@pristine` \| 2 \| they need a server nobody else uses \|/);
  assert.match(md, /Wall time: 4\.2 s/);
});

test('a run with only passed and not-gradable scenarios is a PASS', () => {
  const model = buildRunModel(
    syntheticStream('Ping', 'features/ping.feature', [
      { name: 'Ping', steps: [{ text: 'a', status: 'PASSED' }] },
      { name: 'Token', steps: [{ text: 'b', status: 'PENDING' }] },
    ]),
  );
  assert.equal(verdict(model), 'PASS');
  assert.match(buildSummaryMarkdown(model, { ...context, filtered: [] }), /\*\*Result: PASS\*\*/);
});
