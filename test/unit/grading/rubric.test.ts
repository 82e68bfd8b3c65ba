import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../harness/runner.ts';
import { checkCoverage, compileRubric, loadRubric, RubricError, scenarioWeight } from '../../../grading/rubric.ts';
import { featureFiles, readScenarios } from '../../../grading/scenarios.ts';

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

test('the course rubric mirrors the grid: every scenario of features/ in exactly one category, 20 points', () => {
  const rubric = loadRubric('course', PROJECT_ROOT);
  const scenarios = readScenarios(featureFiles([path.join(PROJECT_ROOT, 'features')]), PROJECT_ROOT);
  assert.ok(scenarios.length > 100);
  const coverage = checkCoverage(rubric, scenarios);
  assert.deepEqual(coverage.uncovered.map((s) => s.key), [], 'scenarios no category grades');
  assert.deepEqual(coverage.overlapping.map((o) => `${o.scenario.key}: ${o.categories.join(', ')}`), [], 'scenarios in several categories');
  assert.equal(rubric.categories.reduce((sum, c) => sum + c.points, 0), 20);
  assert.deepEqual([...new Set(rubric.categories.map((c) => c.group))], ['v0', 'v1', 'bonus']);
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
