/**
 * The order a run under a time budget (`grade --budget`) takes, so that whatever the budget cuts is spread
 * across the rubric's categories instead of falling on whichever feature files sort last: round-robin over
 * the categories (in rubric order), each category's scenarios cheapest first (fewest steps, then feature
 * order). A cut therefore never drops a whole category while another is fully run, and each category gets
 * its cheapest checks in first.
 */
import { categoryOf, type Rubric } from './rubric.ts';
import type { ScenarioInfo } from './scenarios.ts';

/** The scenario keys in budget order (those no category takes are left out: the rubric does not run them). */
export function budgetOrder(rubric: Rubric, selected: readonly ScenarioInfo[]): string[] {
  const queues = new Map<string, ScenarioInfo[]>(rubric.categories.map((c) => [c.id, []]));
  for (const s of selected) {
    const category = categoryOf(rubric, s.tags);
    if (category) queues.get(category.id)!.push(s);
  }
  const sorted = [...queues.values()].map((list) =>
    list.map((s, index) => ({ s, index })).sort((a, b) => (a.s.steps ?? 0) - (b.s.steps ?? 0) || a.index - b.index).map((x) => x.s.key),
  );
  const order: string[] = [];
  for (let round = 0; order.length < selected.length && sorted.some((q) => q.length > round); round++) {
    for (const queue of sorted) if (round < queue.length) order.push(queue[round]!);
  }
  return order;
}
