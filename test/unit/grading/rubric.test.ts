import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { categoryOf, checkCoverage, compileRubric, loadRubric, pointShares, requireCoverage, RubricError, scenarioWeight } from '../../../grading/rubric.ts';
import { scenarioClass } from '../../../grading/classes.ts';
import { featureFiles, readScenarios, type ScenarioInfo } from '../../../grading/scenarios.ts';

function rubricError(spec: unknown): string {
  try {
    compileRubric(spec, 'r.json');
  } catch (error) {
    assert.ok(error instanceof RubricError, String(error));
    return error.message;
  }
  assert.fail('no RubricError');
}

const ok = { id: 'a', title: 'A', points: 1, tags: '@a' };

test('the schema rejects a malformed rubric and names the problem', () => {
  assert.match(rubricError({ title: 't', categories: [] }), /categories/);
  assert.match(rubricError({ title: 't', categories: [{ id: 'a', title: 'A', tags: '@a' }] }), /points/);
  assert.match(rubricError({ title: 't', categories: [{ ...ok, points: 0 }] }), /points/);
  assert.match(rubricError({ title: 't', categories: [{ ...ok, weight: 2 }] }), /weight/);
  assert.match(rubricError({ title: 't', categories: [{ ...ok, id: 'Has Space' }] }), /id/);
});

test('a duplicate id or a bad tag expression fails at load time, before any server starts', () => {
  assert.match(rubricError({ title: 't', categories: [ok, ok] }), /used twice/);
  assert.match(rubricError({ title: 't', categories: [{ ...ok, tags: '@a and (' }] }), /bad tag expression/);
});

test('the selection is the union of the categories', () => {
  const r = compileRubric({ title: 't', categories: [ok, { id: 'b', title: 'B', points: 1, tags: 'not @x' }] }, 'r.json');
  assert.equal(r.selection, '(@a) or (not @x)');
  assert.equal(r.hiddenVisibility, 'after_published');
});

test('@points:N weighs a scenario, default 1', () => {
  assert.equal(scenarioWeight(['@v0', '@points:2.5']), 2.5);
  assert.equal(scenarioWeight(['@v0']), 1);
  assert.equal(scenarioWeight(['@points:0']), 1);
});

const allScenarios = readScenarios(featureFiles([path.join(PROJECT_ROOT, 'features')]), PROJECT_ROOT);

for (const name of ['course', 'strict']) {
  test(`the ${name} rubric: every scenario of features/ in exactly one category, 20 points`, () => {
    const rubric = loadRubric(name, PROJECT_ROOT);
    assert.ok(allScenarios.length > 100);
    requireCoverage(rubric, allScenarios);
    assert.equal(rubric.categories.reduce((sum, c) => sum + c.points, 0), 20);
  });

  test(`the ${name} rubric has no catch-all: a scenario of a command it does not name is in no category, and refused`, () => {
    const rubric = loadRubric(name, PROJECT_ROOT);
    // A new command's scenario on every level of the grid, added without naming its tag in the rubric
    // (a made-up command, so that no real one ever takes its name).
    const newCommand = ['@v0', '@v1', '@extension', '@bonus'].map((level, i): ScenarioInfo => ({ key: `features/frobnicate.feature:${i + 1}`, uri: 'features/frobnicate.feature', line: i + 1, name: 'x', feature: 'Frobnicate', tags: [level, '@frobnicate', '@course', '@core'] }));
    assert.deepEqual(newCommand.filter((s) => categoryOf(rubric, s.tags) !== undefined).map((s) => s.tags.join(' ')), []);
    assert.throws(() => requireCoverage(rubric, [...allScenarios, newCommand[1]!]), (error: unknown) => error instanceof RubricError && /features\/frobnicate\.feature:2 .* is in no category/.test(error.message));
  });
}

test('requireCoverage also refuses a scenario two categories match', () => {
  const r = compileRubric({ title: 't', categories: [ok, { id: 'b', title: 'B', points: 1, tags: '@b' }] }, 'r.json');
  const both: ScenarioInfo = { key: 'f.feature:1', uri: 'f.feature', line: 1, name: 'x', feature: 'F', tags: ['@a', '@b'] };
  assert.deepEqual(checkCoverage(r, [both]).overlapping.map((o) => o.categories), [['a', 'b']]);
  assert.throws(() => requireCoverage(r, [both]), /f\.feature:1 \(@a @b\) is in several categories: a, b/);
});

test('the course rubric grades the course: @spec apart in one small named category, @core carrying at least half of every other category', () => {
  const rubric = loadRubric('course', PROJECT_ROOT);
  assert.deepEqual([...new Set(rubric.categories.map((c) => c.group))], ['v0', 'v1', 'bonus', 'beyond the course grid']);
  const beyond = rubric.categories.filter((c) => c.beyondCourseGrid);
  assert.equal(beyond.length, 1);
  assert.ok(beyond[0]!.points <= 1, 'at most 1 point of 20 for PROTOCOL.md\'s own choices');
  assert.equal(rubric.variants, 'excuse');
  for (const c of rubric.categories.filter((x) => !x.beyondCourseGrid)) {
    const mine = allScenarios.filter((s) => categoryOf(rubric, s.tags) === c);
    assert.ok(mine.every((s) => scenarioClass(s.tags) !== 'spec'), `${c.id} holds @spec scenarios`);
    assert.ok(mine.some((s) => scenarioClass(s.tags) === 'core'), `${c.id} has no @core scenario`);
    assert.ok((c.coreShare ?? 0) >= 0.5, `${c.id}: @core carries less than half`);
    // With everything counted, the core scenarios' shares add up to coreShare of the points.
    const shares = pointShares(c, mine.map((s) => ({ tags: s.tags, weight: scenarioWeight(s.tags) })));
    const core = shares.reduce((sum, x, i) => sum + (mine[i]!.tags.includes('@core') ? x : 0), 0);
    assert.ok(core >= c.points / 2 - 1e-9, `${c.id}: core carries ${core} of ${c.points}`);
  }
});

test('the strict rubric keeps the whole-spec grading: uniform weights, no category apart, variants deducted', () => {
  const rubric = loadRubric('strict', PROJECT_ROOT);
  assert.equal(rubric.variants, 'deduct');
  assert.ok(rubric.categories.every((c) => c.coreShare === undefined && !c.beyondCourseGrid));
  assert.deepEqual([...new Set(rubric.categories.map((c) => c.group))], ['v0', 'v1', 'bonus']);
});

test('a core share splits a category: core scenarios share it by weight, the others the rest; one kind alone takes all', () => {
  const core = { tags: ['@core'], weight: 1 };
  const other = { tags: [], weight: 1 };
  assert.deepEqual(pointShares({ points: 2, coreShare: 0.6 }, [core, other, other, other]), [1.2, 0.8 / 3, 0.8 / 3, 0.8 / 3]);
  assert.deepEqual(pointShares({ points: 2, coreShare: 0.6 }, [other, other]), [1, 1], 'no core counted: the others carry it all');
  assert.deepEqual(pointShares({ points: 2, coreShare: 0.6 }, [core, { tags: ['@core'], weight: 3 }]), [0.5, 1.5]);
  assert.deepEqual(pointShares({ points: 2 }, [core, other]), [1, 1], 'without a core share, weights alone');
});

test('a rubric-level core share applies to every category unless one sets its own', () => {
  const r = compileRubric({ title: 't', coreShare: 0.7, categories: [ok, { id: 'b', title: 'B', points: 1, tags: '@b', coreShare: 0.5 }] }, 'r.json');
  assert.deepEqual(r.categories.map((c) => c.coreShare), [0.7, 0.5]);
  assert.match(rubricError({ title: 't', coreShare: 1.5, categories: [ok] }), /coreShare/);
  assert.match(rubricError({ title: 't', variants: 'forgive', categories: [ok] }), /variants/);
});

test('an unknown rubric name is a readable error', () => {
  assert.throws(() => loadRubric('no-such-rubric', PROJECT_ROOT), /no such rubric/);
});

test('feature scenarios carry inherited tags, their Rule and the PROTOCOL.md sections, keyed like the runner', () => {
  const scenarios = readScenarios(featureFiles([path.join(PROJECT_ROOT, 'features', 'kick.feature')]), PROJECT_ROOT);
  const first = scenarios[0]!;
  assert.equal(first.uri, 'features/kick.feature');
  assert.equal(first.key, `features/kick.feature:${first.line}`);
  assert.ok(first.tags.includes('@kick') && first.tags.includes('@v0'));
  assert.ok(first.rule && first.rule.length > 0);
  assert.match(first.sections ?? '', /§5\.10/);
});

test('the course rubric is the strict one\'s categories, restricted to @course, then its own (extends): a command is placed in one file', () => {
  const course = loadRubric('course', PROJECT_ROOT);
  const strict = loadRubric('strict', PROJECT_ROOT);
  const inherited = course.categories.slice(0, strict.categories.length);
  assert.deepEqual(inherited.map((c) => c.id), strict.categories.map((c) => c.id));
  assert.deepEqual(inherited.map((c) => c.tags), strict.categories.map((c) => `@course and (${c.tags})`));
  assert.deepEqual(
    inherited.filter((c, i) => c.points !== strict.categories[i]!.points).map((c) => [c.id, c.points]),
    [['v0-session', 1.5], ['v1-current', 1]],
  );
  assert.deepEqual(course.categories.slice(strict.categories.length).map((c) => c.id), ['spec']);
});

test('extends: a base that does not exist, points for a category it lacks, and a cycle are refused', async () => {
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const os = await import('node:os');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rubric-extends-'));
  try {
    const write = (name: string, spec: object) => writeFile(path.join(dir, name), JSON.stringify(spec));
    await write('base.json', { title: 'b', categories: [ok] });
    await write('points.json', { title: 'p', extends: { rubric: 'base.json', points: { nope: 1 } }, categories: [{ id: 'b', title: 'B', points: 1, tags: '@b' }] });
    await write('missing.json', { title: 'm', extends: { rubric: 'none.json' }, categories: [{ id: 'b', title: 'B', points: 1, tags: '@b' }] });
    await write('one.json', { title: '1', extends: { rubric: 'two.json' }, categories: [ok] });
    await write('two.json', { title: '2', extends: { rubric: 'one.json' }, categories: [ok] });
    assert.throws(() => loadRubric(path.join(dir, 'points.json')), /extends\.points names categories "base\.json" does not have: nope/);
    assert.throws(() => loadRubric(path.join(dir, 'missing.json')), /extends: cannot read the rubric "none\.json"/);
    assert.throws(() => loadRubric(path.join(dir, 'one.json')), /extends it back/);
    const child = compileRubric({ title: 'c', extends: { rubric: 'base.json', within: '@x', points: { a: 3 } }, categories: [{ id: 'b', title: 'B', points: 1, tags: '@b' }] }, 'c.json', dir);
    assert.deepEqual(child.categories.map((c) => [c.id, c.tags, c.points]), [['a', '@x and (@a)', 3], ['b', '@b', 1]]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
