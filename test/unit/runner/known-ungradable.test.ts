/**
 * Scenarios known not gradable before the run (harness/run/known-ungradable.ts, issue #19): the runner finds
 * them against the bundled reference server with what the profile lacks, and ends each at once, before it
 * touches the server under test. Proved with the command as users run it:
 * - a server that never answers, graded with a profile that cannot read WHO roles: the role scenarios are
 *   "not gradable" (the server never saw them: it would have failed them at their first step), every other
 *   scenario still runs and fails; with --run-ungradable the role scenarios run, and fail in their setup;
 * - a correct server in another dialect (the seed fixture): the same verdict for every scenario with and
 *   without the forecast (the forecast never makes a gradable scenario not gradable);
 * - client-driven mode: a scenario that types literal wire lines starts no client program at all.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { namesWithOutcome, removeReports, runConformanceInProcess, type ConformanceRun } from '../proof/support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';
import { gapsOf, knownUngradableReason, reasonForTheServer } from '../../../harness/run/known-ungradable.ts';
import { loadProfile } from '../../../harness/dialect/load-profile.ts';
import { scenarioKeyOf } from '../../../harness/reports/repeats.ts';

const runs: ConformanceRun[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'known-ungradable-'));
after(async () => {
  for (const run of runs) await removeReports(run);
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function run(args: { server?: string; tags: string; extraArgs: string[] }): Promise<ConformanceRun> {
  const result = await runConformanceInProcess({ ...args, deadlineMs: 240_000 });
  runs.push(result);
  assert.equal(result.timedOut, false, result.stdout.slice(-2000));
  return result;
}

const outcomes = (result: ConformanceRun): Record<string, string> => Object.fromEntries(result.scenarios.map((s) => [scenarioKeyOf(s), s.outcome]));
const KNOWN_NOTE = /Note: (\d+) of the (\d+) scenarios are not gradable with profile \S+, known before the run/;

describe('the parts', () => {
  it('the hook finds a scenario by uri:line; nothing without a forecast or a location', () => {
    const parameters = { knownUngradable: { 'features/who.feature:10': 'no roles' } };
    assert.equal(knownUngradableReason(parameters, { uri: 'features/who.feature', location: { line: 10 } }), 'no roles');
    assert.equal(knownUngradableReason(parameters, { uri: 'features/who.feature', location: { line: 11 } }), undefined);
    assert.equal(knownUngradableReason(parameters, { uri: 'features/who.feature' }), undefined);
    assert.equal(knownUngradableReason({}, { uri: 'features/who.feature', location: { line: 10 } }), undefined);
  });

  it('canonical has nothing to forecast (no run at all); a profile with gaps, or client-driven mode, has', () => {
    assert.equal(gapsOf(loadProfile('canonical'), false), undefined);
    assert.notEqual(gapsOf(loadProfile('canonical'), true), undefined);
    assert.notEqual(gapsOf(loadProfile('canonical'), false, true), undefined, 'asked for anyway (a target that hides its console\'s answers)');
    assert.notEqual(gapsOf(loadProfile('seed'), false), undefined);
    assert.notEqual(gapsOf(loadProfile('test/fixtures/unreadable-fields/no-roles.profile.json'), false), undefined);
  });

  it("a reason shown to the student quotes no reply of the reference server's", () => {
    assert.equal(
      reasonForTheServer('not gradable: the profile does not extract the field "channel" from the reply "OK JOIN #room_x owner"'),
      'the profile does not extract the field "channel" from its reply',
    );
    assert.equal(reasonForTheServer('not gradable: the profile does not extract the field "x" from the reply "a\nb"'), 'the profile does not extract the field "x" from its reply');
    assert.equal(reasonForTheServer('not gradable: profile "p" cannot express the command "grant" (no commands.grant)'), 'profile "p" cannot express the command "grant" (no commands.grant)');
  });
});

describe('runs', () => {
  const NO_ROLES = ['--profile', 'test/fixtures/unreadable-fields/no-roles.profile.json', '--timeout', '600'];
  const ROLE_SCENARIOS = [
    'features/who.feature: A granted admin is marked @',
    'features/who.feature: A member who left is no longer listed',
    'features/who.feature: Members are listed in join order with the owner marked',
    'features/who.feature: Only the members of the current channel are listed',
  ];

  it('a server that never answers: what the profile cannot read is not gradable before it starts; everything else runs and fails', { timeout: 300_000 }, async () => {
    const silent = fixtureCommand('test/fixtures/broken-servers/never-answers.ts', '{port}');
    const result = await run({ server: silent, tags: '@who', extraArgs: NO_ROLES });
    assert.deepEqual(namesWithOutcome(result, 'not-gradable'), ROLE_SCENARIOS, result.stdout.slice(-3000));
    for (const s of result.scenarios.filter((x) => x.outcome === 'not-gradable')) {
      assert.match(s.notGradableReason ?? '', /^not gradable: profile "no-roles" cannot read the owner role in WHO \(who\.member has no role or owner group\)$/);
    }
    const failed = namesWithOutcome(result, 'failed');
    assert.ok(failed.length >= 2, `the rest of @who still runs against the server, and fails: ${failed.join(', ')}`);
    assert.equal(failed.length + ROLE_SCENARIOS.length, result.scenarios.length);
    assert.match(result.stdout, KNOWN_NOTE);

    // Run anyway: the same scenarios reach the server, and fail in their setup (the server never answers).
    const anyway = await run({ server: silent, tags: '@who', extraArgs: [...NO_ROLES, '--run-ungradable'] });
    assert.deepEqual(namesWithOutcome(anyway, 'not-gradable'), []);
    assert.deepEqual(namesWithOutcome(anyway, 'failed'), [...failed, ...ROLE_SCENARIOS].sort());
    assert.doesNotMatch(anyway.stdout, KNOWN_NOTE);
  });

  it('a correct server in another dialect (seed): the same verdict for every scenario with and without the forecast', { timeout: 600_000 }, async () => {
    const seed = fixtureCommand('test/fixtures/dialect-servers/seed.ts', '{port}');
    const tags = '@join or @leave';
    const forecast = await run({ server: seed, tags, extraArgs: ['--profile', 'seed', '--quiet-ms', '200'] });
    const anyway = await run({ server: seed, tags, extraArgs: ['--profile', 'seed', '--quiet-ms', '200', '--run-ungradable'] });
    assert.deepEqual(outcomes(forecast), outcomes(anyway));
    const known = KNOWN_NOTE.exec(forecast.stdout);
    assert.ok(known, forecast.stdout.slice(-2000));
    assert.equal(Number(known[1]), namesWithOutcome(forecast, 'not-gradable').length, 'every not gradable scenario was known before the run');
    assert.ok(namesWithOutcome(forecast, 'passed').length >= 3, 'and the others ran');
  });

  it('course variants: the same verdicts and the same variant notes with and without the forecast (course-habits: bye=leave-first, names=unused-no-spaces)', { timeout: 600_000 }, async () => {
    const server = fixtureCommand('test/fixtures/calibration/course-habits.ts', '{port}');
    const args = ['--profile', 'test/fixtures/calibration/course-habits.profile.json', '--quiet-ms', '200'];
    const tags = '@bye or @names or @nick';
    const forecast = await run({ server, tags, extraArgs: args });
    const anyway = await run({ server, tags, extraArgs: [...args, '--run-ungradable'] });
    assert.deepEqual(outcomes(forecast), outcomes(anyway));
    const variantNotes = (result: ConformanceRun): string[] =>
      result.scenarios.filter((s) => s.attachments.some((a) => a.text.startsWith('variant:'))).map((s) => `${scenarioKeyOf(s)} ${s.outcome}`).sort();
    assert.deepEqual(variantNotes(forecast), variantNotes(anyway));
    assert.ok(variantNotes(forecast).some((s) => s.endsWith('not-gradable')), 'a scenario a variant excuses keeps its note');
    assert.ok(variantNotes(forecast).some((s) => s.endsWith('passed')), 'a scenario a variant adapts is graded');
    assert.match(forecast.stdout, KNOWN_NOTE);
  });

  it("a spawned server hides its console's answers: with a profile that lacks nothing, only @console is forecast, and the same verdicts as run anyway", { timeout: 300_000 }, async () => {
    const server = fixtureCommand('reference-server/net/cli.ts', '--host', '127.0.0.1', '--port', '{port}');
    const forecast = await run({ server, tags: '@console', extraArgs: [] });
    const anyway = await run({ server, tags: '@console', extraArgs: ['--run-ungradable'] });
    assert.deepEqual(outcomes(forecast), outcomes(anyway));
    const note = /Note: (\d+) of the (\d+) @console scenarios read the console's answers, which only the embedded reference server shows/.exec(forecast.stdout);
    assert.ok(note, forecast.stdout.slice(-2000));
    const notGradable = namesWithOutcome(forecast, 'not-gradable');
    assert.ok(notGradable.length >= 1 && notGradable.every((name) => name.startsWith('features/console.feature: ')), notGradable.join(', '));
    assert.equal(Number(note[1]), notGradable.length, 'every not gradable scenario was known before the run');
    assert.equal(Number(note[2]), forecast.scenarios.length, 'the forecast ran the @console scenarios only');
    assert.ok(namesWithOutcome(forecast, 'passed').length >= 3, 'the console scenarios that watch its effects ran against the server');
    assert.doesNotMatch(anyway.stdout, /@console scenarios read the console's answers/);
  });

  it('client-driven: a scenario that types literal wire lines starts no client program; run anyway, it starts them and ends the same', { timeout: 300_000 }, async () => {
    const started = path.join(scratch, 'clients-started');
    // Each client program notes its start in a file before it runs.
    const client = `echo started >> '${started}'; exec node test/fixtures/dialect-servers/seed-client.mjs {host} {port}`;
    const args = ['--profile', 'seed-client', '--client', client, '--quiet-ms', '200', 'features/framing.feature:11'];
    const seed = fixtureCommand('test/fixtures/dialect-servers/seed.ts', '{port}');
    const count = (): number => (fs.existsSync(started) ? fs.readFileSync(started, 'utf8').split('\n').filter(Boolean).length : 0);

    const forecast = await run({ server: seed, tags: '', extraArgs: args });
    assert.deepEqual(forecast.scenarios.map((s) => s.outcome), ['not-gradable'], forecast.stdout.slice(-2000));
    assert.match(forecast.scenarios[0]!.notGradableReason ?? '', /literal wire lines cannot be sent in client-driven mode \(--client\)/);
    assert.equal(count(), 0, 'no client program was started');

    const anyway = await run({ server: seed, tags: '', extraArgs: [...args, '--run-ungradable'] });
    assert.deepEqual(anyway.scenarios.map((s) => s.outcome), ['not-gradable']);
    assert.equal(anyway.scenarios[0]!.notGradableReason, forecast.scenarios[0]!.notGradableReason);
    assert.ok(count() >= 2, `its setup started the users' client programs (${count()})`);
  });
});
