/**
 * Scenario state is the World's (steps/support/world.ts), and the run's configuration is only read: the
 * suite's own steps and hooks run, through Cucumber and the runner's control endpoint, with every
 * scenario's worldParameters and the compiled profile frozen all the way down
 * (test/fixtures/scenario-state/frozen-parameters.ts). The scenarios chosen are those that change where
 * a scenario's connections go or leave state behind: @pristine ones (the target is restarted before them:
 * a new port), a limited instance of the server, a ban by an operator and one from the console (both
 * lifted, and followed by a restart), files compared byte for byte. Code that wrote the target into the
 * parameters (as target-hooks.ts and startLimitedTarget once did) fails every such scenario here.
 * The types say the same at compile time: readonly-config.typecheck.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { runSuiteInProcess } from '../../../harness/run/in-process-run.ts';
import { embeddedReferenceServer } from '../../../harness/target/embedded.ts';
import { loadProfile } from '../../../harness/dialect/load-profile.ts';
import { buildRunModel } from '../../../harness/reports/run-model.ts';
import { PROJECT_ROOT, scenarioKey } from '../proof/support/conformance-run.ts';
import { TARGETS_NOTE, deepFreeze } from '../../fixtures/scenario-state/freeze.ts';

const FEATURES = [
  'features/operator.feature:128', // an operator's ban, lifted by the step (@pristine @server-wide)
  'features/console.feature:131', // a console ban, lifted by the step (@pristine @server-wide)
  'features/limits.feature:13', // a limited instance of the server for one scenario
  'features/file-transfer.feature:37', // two generated files, each compared byte for byte
].map((feature) => path.join(PROJECT_ROOT, feature));

type Address = { host: string; port: number };

describe('scenario state lives in the World; the run configuration is never written', () => {
  it('scenarios that restart, limit, ban and send files pass with frozen worldParameters and a frozen profile', async () => {
    deepFreeze(loadProfile('canonical')); // the one every scenario's Session gets (loadProfile caches it)
    const envelopes: Envelope[] = [];
    const passed = await runSuiteInProcess({
      target: embeddedReferenceServer(),
      features: FEATURES,
      // The freezing support first: its Before hook runs before the suite's (see the fixture).
      support: { importPaths: [path.join(PROJECT_ROOT, 'test/fixtures/scenario-state/frozen-parameters.ts'), path.join(PROJECT_ROOT, 'steps/**/*.ts')] },
      timeoutMs: 3000,
      failFast: false,
      cwd: PROJECT_ROOT,
      onEnvelope: (envelope) => envelopes.push(envelope),
    });
    const scenarios = buildRunModel(envelopes).scenarios;
    assert.deepEqual(
      scenarios.filter((s) => s.outcome !== 'passed').map((s) => `${scenarioKey(s)}: ${s.outcome} ${s.failingStep?.message ?? s.notGradableReason ?? ''}`),
      [],
    );
    assert.equal(passed, true);
    assert.equal(scenarios.length, 5, scenarios.map(scenarioKey).join('\n'));

    const notes = envelopes.flatMap((e) => (e.attachment?.body.startsWith(TARGETS_NOTE) ? [JSON.parse(e.attachment.body.slice(TARGETS_NOTE.length)) as { scenario: Address; run: Address }] : []));
    assert.equal(notes.length, 5, 'every scenario left its targets note');
    const run = notes[0]!.run;
    for (const note of notes) assert.deepEqual(note.run, run, "the run's target is the same for every scenario");
    // Restarts (before each @pristine scenario) and the limited instance gave scenarios other addresses,
    // which their connections used (the scenarios passed) without the run's target being written.
    const elsewhere = notes.filter((note) => note.scenario.port !== run.port);
    assert.ok(elsewhere.length >= 3, `at least the two @pristine scenarios and the limited one ran elsewhere: ${JSON.stringify(notes)}`);
  });
});
