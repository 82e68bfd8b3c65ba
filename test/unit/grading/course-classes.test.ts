/**
 * Every scenario is classified for the course rubric (issue #21): exactly one of @course / @spec, and
 * @core only within @course (grading/classes.ts). A new scenario without a class fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { scenarioClass } from '../../../grading/classes.ts';
import { featureFiles, readScenarios } from '../../../grading/scenarios.ts';

const scenarios = readScenarios(featureFiles([path.join(PROJECT_ROOT, 'features')]), PROJECT_ROOT);

test('every scenario has exactly one class: @course or @spec, and @core only within @course', () => {
  assert.ok(scenarios.length > 100);
  const problems = scenarios.flatMap((s) => {
    const c = scenarioClass(s.tags);
    return typeof c === 'string' ? [] : [`${s.key} "${s.name}": ${c.problem}`];
  });
  assert.deepEqual(problems, []);
});

test('a scenario with no class, or both, is a problem named in words', () => {
  assert.match((scenarioClass(['@v0', '@kick']) as { problem: string }).problem, /neither @course nor @spec/);
  assert.match((scenarioClass(['@course', '@spec']) as { problem: string }).problem, /both/);
  assert.match((scenarioClass(['@spec', '@core']) as { problem: string }).problem, /@core on a @spec/);
  assert.equal(scenarioClass(['@course', '@core']), 'core');
  assert.equal(scenarioClass(['@course']), 'course');
  assert.equal(scenarioClass(['@spec']), 'spec');
});

test('every command family the course grid names has scenarios checking its main effect (@core)', () => {
  const families = ['@register', '@bye', '@list', '@join', '@leave', '@who', '@say', '@msg', '@ren', '@kick', '@current', '@nick', '@grant', '@revoke', '@send', '@recv', '@history', '@help', '@global', '@kill', '@ban'];
  const withoutCore = families.filter((tag) => !scenarios.some((s) => s.tags.includes(tag) && scenarioClass(s.tags) === 'core'));
  assert.deepEqual(withoutCore, []);
});
