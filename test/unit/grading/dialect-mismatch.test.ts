import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialectMismatch } from '../../../grading/dialect-mismatch.ts';
import type { ScenarioResult } from '../../../harness/reports/run-model.ts';

function result(outcome: ScenarioResult['outcome'], message = ''): ScenarioResult {
  return { id: 'x', name: 'n', feature: 'f', uri: 'u', tags: [], outcome, durationMs: 1, attachments: [], ...(outcome === 'failed' ? { failingStep: { text: 's', message } } : {}) };
}
const answered = 'alice: expected the answer to registering within 2000 ms, but it did not arrive.\nLast lines received by alice (oldest first):\n  <- Bienvenue alice !';
const silent = 'alice: expected the answer within 2000 ms, but it did not arrive.\nalice received nothing.';

test('no pass, failures that show unrecognised text: a dialect mismatch', () => {
  const why = dialectMismatch([result('failed', answered), result('failed', answered), result('failed', silent), result('not-gradable')], 'canonical');
  assert.match(why ?? '', /dialect mismatch: no scenario passed, and 2 of 3 failures .* profile "canonical"/);
  const silentOnes = dialectMismatch([result('failed', silent), result('failed', silent), result('failed', silent)], 'canonical');
  assert.match(silentOnes ?? '', /3 of 3 failures waited in vain for what profile "canonical" expects first/);
});

test('not a mismatch: something passed, too few failures, or a server that says nothing', () => {
  assert.equal(dialectMismatch([result('passed'), result('failed', answered), result('failed', answered), result('failed', answered)], 'p'), undefined);
  assert.equal(dialectMismatch([result('failed', answered), result('failed', answered)], 'p'), undefined);
  const closed = 'alice: the connection was closed while waiting for the reply';
  assert.equal(dialectMismatch([result('failed', closed), result('failed', closed), result('failed', answered)], 'p'), undefined, 'a server that hangs up is not a dialect question');
  assert.equal(dialectMismatch([], 'p'), undefined);
});
