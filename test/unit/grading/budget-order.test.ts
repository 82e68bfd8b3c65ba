/**
 * The budget order (issue #14): round-robin over the rubric's categories, cheapest first, so a cut of any
 * length spreads across categories and never drops a whole category while another is fully run; the
 * runner's ordering plugin applies such an order and puts @server-wide scenarios last when asked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetOrder } from '../../../grading/budget-order.ts';
import { compileRubric } from '../../../grading/rubric.ts';
import { orderScenarios } from '../../../harness/run/scenario-order.ts';
import { info } from './helpers.ts';

const rubric = compileRubric(
  {
    title: 't',
    categories: [
      { id: 'a', title: 'A', points: 1, tags: '@a' },
      { id: 'b', title: 'B', points: 1, tags: '@b' },
      { id: 'c', title: 'C', points: 1, tags: '@c' },
    ],
  },
  't.json',
);

test('round-robin over categories, cheapest first: every prefix of the order touches every category it can', () => {
  // Feature order puts all of a first (the alphabetical order that used to give /JOIN... a 0 when cut).
  const selected = [
    { ...info(1, ['@a']), steps: 9 },
    { ...info(2, ['@a']), steps: 3 },
    { ...info(3, ['@a']), steps: 5 },
    { ...info(4, ['@b']), steps: 4 },
    { ...info(5, ['@b']), steps: 2 },
    { ...info(6, ['@c']), steps: 7 },
    { ...info(7, ['@z']), steps: 1 }, // no category: never run
  ];
  const order = budgetOrder(rubric, selected);
  assert.deepEqual(order, ['features/x.feature:2', 'features/x.feature:5', 'features/x.feature:6', 'features/x.feature:3', 'features/x.feature:4', 'features/x.feature:1']);
  const categoryOfKey = new Map(selected.map((s) => [s.key, s.tags[0]]));
  for (let cut = 3; cut <= order.length; cut++) {
    const ran = new Set(order.slice(0, cut).map((k) => categoryOfKey.get(k)));
    assert.deepEqual([...ran].sort(), ['@a', '@b', '@c'], `the first ${cut} touch every category`);
  }
});

test('the ordering plugin: preferred keys first, the rest in feature order, last tags at the very end', () => {
  const pickle = (line: number, tags: string[]) => ({ pickle: { uri: 'f.feature', tags: tags.map((name) => ({ name })) }, location: { line } });
  const pickles = [pickle(1, []), pickle(2, ['@server-wide']), pickle(3, []), pickle(4, []), pickle(5, ['@server-wide'])];
  const lines = (list: ReturnType<typeof orderScenarios<ReturnType<typeof pickle>>>) => list.map((p) => p.location.line);
  assert.deepEqual(lines(orderScenarios(pickles, {})), [1, 2, 3, 4, 5], 'no options: defined order');
  assert.deepEqual(lines(orderScenarios(pickles, { first: ['f.feature:4', 'f.feature:2'] })), [4, 2, 1, 3, 5]);
  assert.deepEqual(lines(orderScenarios(pickles, { lastTags: ['@server-wide'] })), [1, 3, 4, 2, 5]);
  assert.deepEqual(lines(orderScenarios(pickles, { first: ['f.feature:5', 'f.feature:3'], lastTags: ['@server-wide'] })), [3, 1, 4, 5, 2]);
});
