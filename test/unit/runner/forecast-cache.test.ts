/**
 * The cache of the forecasts of scenarios known not gradable (harness/run/known-ungradable.ts): the same
 * selection with the same profile is forecast once, then read back; another profile, or a cache file that
 * is not a forecast, makes the forecast again; a forecast cut short (a grading budget) is not kept; a graded
 * run (the grader adds grading/support to the steps) is cached like any run of the project's own files. The forecasts run Cucumber in this process with one support
 * library loaded here (unit-files: own process).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSupport, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { sources } from '../../../harness/run/cucumber-options.ts';
import { forecastCacheable, forecastNote, forecastUngradable, knownUngradable, gapsOf, type ForecastInput } from '../../../harness/run/known-ungradable.ts';
import { loadProfile } from '../../../harness/dialect/load-profile.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const FEATURES = path.join(PROJECT_ROOT, 'features');
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forecast-cache-'));
after(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

let library: ISupportCodeLibrary;
before(async () => {
  library = await loadSupport(
    { sources: sources([FEATURES], ''), support: { importPaths: [path.join(PROJECT_ROOT, 'steps', '**', '*.ts')], requireModules: [], requirePaths: [], loaders: [] } },
    { cwd: PROJECT_ROOT },
  );
});

function input(profile: string): { input: ForecastInput; gaps: Record<string, unknown> } {
  const loaded = loadProfile(profile);
  const gaps = gapsOf(loaded, false);
  assert.ok(gaps, `${profile} has gaps`);
  return { input: { profile: loaded, clientDriven: false, consoleOutput: false, features: [FEATURES], tagExpression: '@who', support: library, cwd: PROJECT_ROOT }, gaps };
}

const files = (): string[] => fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json'));

describe('the forecast cache', () => {
  // Built in each test: the support library is loaded by before(), after describe() ran.
  const noRoles = (): ReturnType<typeof input> => input('test/fixtures/unreadable-fields/no-roles.profile.json');

  it('the first forecast runs and is kept; the same one again is read back, with the same reasons', { timeout: 120_000 }, async () => {
    const first = await knownUngradable(noRoles().input, noRoles().gaps, cacheDir);
    assert.equal(first.cached, undefined);
    assert.equal(first.reasons.size, 4, [...first.reasons.keys()].join(', '));
    assert.equal(files().length, 1);
    const again = await knownUngradable(noRoles().input, noRoles().gaps, cacheDir);
    assert.equal(again.cached, true);
    assert.deepEqual([...again.reasons], [...first.reasons]);
    assert.equal(again.ran, first.ran);
    assert.match(forecastNote(again, 'no-roles'), /^4 of the \d+ scenarios are not gradable with profile no-roles, known before the run \(found by an earlier run of the same selection and profile \(cached\)/);
  });

  it('another profile is another forecast', { timeout: 120_000 }, async () => {
    const noCodes = input('test/fixtures/unreadable-fields/no-codes.profile.json');
    const other = await knownUngradable(noCodes.input, noCodes.gaps, cacheDir);
    assert.equal(other.cached, undefined);
    assert.equal(files().length, 2);
  });

  it('a cache file that is not a forecast is made again, not believed', { timeout: 120_000 }, async () => {
    for (const file of files()) fs.writeFileSync(path.join(cacheDir, file), '{"reasons": {"features/who.feature:10": 42}, "ran": 1, "ms": 0}');
    const remade = await knownUngradable(noRoles().input, noRoles().gaps, cacheDir);
    assert.equal(remade.cached, undefined);
    assert.equal(remade.reasons.size, 4);
    assert.equal((await knownUngradable(noRoles().input, noRoles().gaps, cacheDir)).cached, true, 'and kept again');
  });

  it('a forecast cut short (a scenario skipped: a grading budget ran out) is used but not kept', { timeout: 120_000 }, async () => {
    const noCodes = input('test/fixtures/unreadable-fields/no-codes.profile.json');
    for (const file of files()) fs.rmSync(path.join(cacheDir, file));
    const cut: typeof forecastUngradable = async (i, g) => ({ ...(await forecastUngradable(i, g)), complete: false });
    const first = await knownUngradable(noCodes.input, noCodes.gaps, cacheDir, cut);
    assert.ok(first.reasons.size > 0, 'its reasons are used');
    assert.equal(files().length, 0, 'not kept');
    assert.equal((await knownUngradable(noCodes.input, noCodes.gaps, cacheDir)).cached, undefined, 'made again');
    assert.equal(files().length, 1, 'a whole one is kept');
  });
});

describe('which runs\' forecasts are cached', () => {
  it('the project\'s features and steps, with or without the grader\'s own support code; nothing from elsewhere', () => {
    const steps = path.join(PROJECT_ROOT, 'steps', '**', '*.ts');
    const budgetHook = path.join(PROJECT_ROOT, 'grading', 'support', 'budget-hook.ts');
    assert.equal(forecastCacheable([FEATURES], [steps]), true);
    assert.equal(forecastCacheable([FEATURES], [budgetHook, steps]), true, 'a graded run');
    assert.equal(forecastCacheable(['features/who.feature'], ['steps/**/*.ts']), true, 'relative to the project');
    assert.equal(forecastCacheable([FEATURES], [steps, '/elsewhere/steps.ts']), false, 'step files of someone else');
    assert.equal(forecastCacheable(['/elsewhere/x.feature'], [steps]), false, 'features of someone else');
    assert.equal(forecastCacheable([FEATURES], [path.join(PROJECT_ROOT, 'grading', 'grade-run.ts')]), false, 'only grading/support');
  });
});

