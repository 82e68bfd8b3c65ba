/**
 * --repeat N: the same selection run N times against the same target (each time in a new order with
 * --shuffle). One record per scenario comes out: its verdict when every run agreed; "flaky" when it passed
 * in some runs and failed in others. A flaky scenario is reported failed (the run's exit code and the
 * reports are conservative; the rubric decides how a grade counts it, grading/score.ts), with its failing
 * run's step and transcript, and the passing and failing runs side by side.
 */
import type { Outcome, ScenarioResult } from './run-model.ts';
import { comparableLines, renderSideBySide } from './side-by-side.ts';

export const scenarioKeyOf = (s: Pick<ScenarioResult, 'uri' | 'line'>): string => `${s.uri}:${s.line ?? '?'}`;

/**
 * Fold the runs (each a list of results, the first run's order kept) into one result per scenario.
 * `runs` of each result lists every run's outcome; a scenario missing from a run (interrupted) is left out
 * of that run's list.
 */
export function mergeRepeats(runs: ReadonlyArray<readonly ScenarioResult[]>): ScenarioResult[] {
  const byKey = new Map<string, ScenarioResult[]>();
  for (const run of runs) {
    for (const result of run) {
      const key = scenarioKeyOf(result);
      const list = byKey.get(key) ?? [];
      list.push(result);
      byKey.set(key, list);
    }
  }
  const merged: ScenarioResult[] = [];
  for (const results of byKey.values()) {
    const first = results[0]!;
    const outcomes: Outcome[] = results.map((r) => r.outcome);
    const failing = results.find((r) => r.outcome === 'failed');
    const passing = results.find((r) => r.outcome === 'passed');
    if (!failing || !passing) {
      merged.push({ ...first, runs: outcomes });
      continue;
    }
    // The failing run is what the reports show (its step, message and transcript); the run's id stays the
    // first run's, the one cucumber.html shows.
    const left = comparableLines(failing.attachments) ?? [];
    const right = comparableLines(passing.attachments) ?? [];
    const comparison = renderSideBySide(left, right, { leftTitle: `a failing run (run ${results.indexOf(failing) + 1})`, rightTitle: `a passing run (run ${results.indexOf(passing) + 1})` }).text;
    merged.push({
      ...failing,
      id: first.id,
      durationMs: first.durationMs,
      outcome: 'failed',
      runs: outcomes,
      flaky: { passed: outcomes.filter((o) => o === 'passed').length, failed: outcomes.filter((o) => o === 'failed').length, comparison },
    });
  }
  return merged;
}

/** "flaky: passed 2 of 3 runs (passed, failed, passed)". */
export function flakyWords(s: ScenarioResult): string {
  const runs = s.runs ?? [];
  return `flaky: passed ${s.flaky?.passed ?? 0} of ${runs.length} runs (${runs.join(', ')})`;
}
