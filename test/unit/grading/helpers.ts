/** Synthetic scenarios and results for the grading unit tests (no server, no Cucumber). */
import type { ScenarioResult } from '../../../harness/reports/run-model.ts';
import type { ScenarioInfo } from '../../../grading/scenarios.ts';

export function info(line: number, tags: string[], name = `scenario ${line}`): ScenarioInfo {
  return { key: `features/x.feature:${line}`, name, feature: 'X', uri: 'features/x.feature', line, tags, rule: `rule of ${name}`, sections: '§5.1' };
}

export function result(s: ScenarioInfo, outcome: ScenarioResult['outcome'], extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return { id: `run-${s.line}`, name: s.name, feature: s.feature, uri: s.uri, line: s.line, tags: s.tags, outcome, durationMs: 10, attachments: [], ...extra };
}
