/**
 * How long each scenario took in the last run against the same server, kept for `--parallel`'s scheduler
 * (harness/run/lanes.ts), as test runners keep the last run's timings (Jest orders its files by them). A
 * few scenarios wait on purpose (the register time limit: 800 ms; framing pauses: 100 ms) while hundreds
 * take a few ms; run in plan order, two of the waiting ones can start side by side and hold both lanes
 * idle (measured on the reference server: the two 800 ms scenarios started together, 0.8 s of a 3.7 s
 * parallel run; later the framing pauses ran beside the second one, 0.4 s more). Knowing them, the
 * scheduler starts them first and never two at once while shorter work can fill the other lane.
 *
 * Durations are kept per server (`target`: what the run was against, with its profile): the same
 * scenario takes 5 ms on the embedded reference server and 400 ms on a spawned one that must restart
 * for it, and an order learned on one misplaces scenarios on the other (measured: a grading run's
 * durations, read by the next run against the embedded server, made its --parallel 2 run 0.35 s slower).
 *
 * Only an order: a scenario's verdict never depends on it (every scenario sets up its own state; what
 * must run last or alone keeps its own rule). Kept in node_modules/.cache/scenario-durations.json, keyed
 * by server, then by feature file and scenario name; a missing, unreadable or stale file only means plan
 * order.
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

/**
 * At least this long (and several times the median) to count as long: below, order hardly matters. The
 * reference suite's framing pauses (100 ms) are long: side by side with a register time limit they held
 * both lanes idle (bench/README.md, "Grading speed").
 */
export const LONG_FLOOR_MS = 50;
/** ... and at least this many times the median of the known durations (on a slow server all are slow). */
export const LONG_OVER_MEDIAN = 10;
/** Servers whose durations are kept (the most recently run first): a class's worth of grading runs would grow the file without end. */
export const KEPT_TARGETS = 16;

export const durationKey = (s: NamedScenario): string => `${s.uri}\t${s.name}`;

interface DurationsFile {
  version: 2;
  /** Server key -> when it was last saved (ms since the epoch) and its durations. */
  targets: Record<string, { savedAt: number; durations: Durations }>;
}

function readDurationsFile(file: string): DurationsFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DurationsFile> | null;
    if (parsed?.version !== 2 || typeof parsed.targets !== 'object' || parsed.targets === null) return { version: 2, targets: {} };
    return { version: 2, targets: parsed.targets };
  } catch {
    return { version: 2, targets: {} };
  }
}

/** The durations last saved for `target`; nothing known for another server, or a broken file. */
export function loadDurations(file: string, target: string): Durations {
  return durationsOf(readDurationsFile(file), target);
}

/** A server's entry of the file, its non-negative numbers only (the file is a cache anyone may have edited). */
function durationsOf(known: DurationsFile, target: string): Durations {
  const durations: unknown = known.targets[target]?.durations;
  if (!durations || typeof durations !== 'object' || Array.isArray(durations)) return {};
  return Object.fromEntries(Object.entries(durations).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0));
}

/**
 * Adds this run's durations to what is known of `target` (scenarios of the same name in a feature keep
 * the longest; others already known stay), keeping the KEPT_TARGETS servers saved last. Never throws: a
 * cache that cannot be written costs only the order.
 */
export function saveDurations(file: string, target: string, scenarios: ReadonlyArray<NamedScenario & { durationMs: number }>, now = Date.now()): void {
  try {
    const seen: Durations = {};
    for (const s of scenarios) {
      const key = durationKey(s);
      seen[key] = Math.max(seen[key] ?? 0, Math.round(s.durationMs));
    }
    const known = readDurationsFile(file);
    known.targets[target] = { savedAt: now, durations: { ...durationsOf(known, target), ...seen } };
    const kept = Object.entries(known.targets)
      .sort((a, b) => (b[1].savedAt ?? 0) - (a[1].savedAt ?? 0))
      .slice(0, KEPT_TARGETS);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, `${JSON.stringify({ version: 2, targets: Object.fromEntries(kept) } satisfies DurationsFile)}\n`);
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
