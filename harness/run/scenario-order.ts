/**
 * The order scenarios run in, as a Cucumber plugin (its 'pickles:order' transform): the runner hands it
 * a preferred order of scenario keys (`uri:line`, e.g. the grader's budget order, which spreads a cut
 * across rubric categories) and tags whose scenarios must run last (@server-wide on a server the runner
 * cannot restart, so what they change reaches no later scenario). Scenarios the preferred order does not
 * name keep their feature order after those it names; the "last" ones keep their relative order too.
 */
/** A type alias, not an interface: it must be a JSON object for Cucumber's plugin options. */
export type ScenarioOrderOptions = {
  /** Preferred order of scenario keys (`features/x.feature:12`). */
  first?: string[];
  /** Scenarios carrying any of these tags run after every other. */
  lastTags?: string[];
};

interface OrderablePickle {
  pickle: { uri: string; tags: ReadonlyArray<{ name: string }> };
  location?: { line: number };
}

/** The plugin's options key in IRunOptions.plugins.options. */
export const SCENARIO_ORDER_KEY = 'scenarioOrder';

export function orderScenarios<T extends OrderablePickle>(pickles: readonly T[], options: ScenarioOrderOptions): T[] {
  const rank = new Map((options.first ?? []).map((key, i) => [key, i]));
  const last = new Set(options.lastTags ?? []);
  const keyed = pickles.map((p, index) => ({
    p,
    index,
    rank: rank.get(`${p.pickle.uri}:${p.location?.line ?? '?'}`) ?? Number.POSITIVE_INFINITY,
    last: p.pickle.tags.some((t) => last.has(t.name)),
  }));
  keyed.sort((a, b) => Number(a.last) - Number(b.last) || a.rank - b.rank || a.index - b.index);
  return keyed.map((k) => k.p);
}

const plugin = {
  type: 'plugin' as const,
  optionsKey: SCENARIO_ORDER_KEY,
  coordinator: ({ transform, options }: { transform: (event: 'pickles:order', fn: (pickles: readonly OrderablePickle[]) => OrderablePickle[]) => void; options: ScenarioOrderOptions }) => {
    transform('pickles:order', (pickles) => orderScenarios(pickles, options));
  },
};

export default plugin;
