/**
 * How long each scenario took in the last run, kept for `--parallel`'s scheduler (harness/run/lanes.ts), as
 * test runners keep the last run's timings (Jest orders its files by them). A few scenarios wait on
 * purpose (the register time limit: 800 ms; framing pauses: 100 ms) while hundreds take a few ms; run in
 * plan order, two of the long ones can start side by side and hold both lanes idle (measured on the
 * reference server: the two 800 ms scenarios started together, 0.8 s of a 3.7 s parallel run). Knowing
 * them, the scheduler starts them first and never two at once while shorter work can fill the other lane.
 *
 * Only an order: a scenario's verdict never depends on it (every scenario sets up its own state; what
 * must run last or alone keeps its own rule). Kept in node_modules/.cache/scenario-durations.json, keyed
 * by feature file and scenario name; a missing, unreadable or stale file only means plan order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../common/atomic-write.ts';

/** A scenario as both Cucumber's pickle and the run model name it. */
export interface NamedScenario {
  uri: string;
  name: string;
}

/** Last known duration (ms) by scenario key. */
export type Durations = Record<string, number>;

/** At least this long (and several times the median) to count as long: below, order hardly matters. */
export const LONG_FLOOR_MS = 250;
/** ... and at least this many times the median of the known durations (on a slow server all are slow). */
export const LONG_OVER_MEDIAN = 10;

export const durationKey = (s: NamedScenario): string => `${s.uri}\t${s.name}`;

export function loadDurations(file: string): Durations {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0));
  } catch {
    return {};
  }
}

/**
 * Adds this run's durations to the file (scenarios of the same name in a feature keep the longest; others
 * already in the file stay). Never throws: a cache that cannot be written costs only the order.
 */
export function saveDurations(file: string, scenarios: ReadonlyArray<NamedScenario & { durationMs: number }>): void {
  try {
    const seen: Durations = {};
    for (const s of scenarios) {
      const key = durationKey(s);
      seen[key] = Math.max(seen[key] ?? 0, Math.round(s.durationMs));
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, `${JSON.stringify({ ...loadDurations(file), ...seen })}\n`);
  } catch {
    // read-only checkout, full disk: plan order next time
  }
}

/** The scenarios known to be long: at least LONG_FLOOR_MS and LONG_OVER_MEDIAN times the median. */
export function longScenarios(durations: Durations): Set<string> {
  const values = Object.values(durations).sort((a, b) => a - b);
  if (values.length === 0) return new Set();
  const median = values[Math.floor(values.length / 2)]!;
  const bound = Math.max(LONG_FLOOR_MS, LONG_OVER_MEDIAN * median);
  return new Set(Object.entries(durations).filter(([, ms]) => ms >= bound).map(([key]) => key));
}
