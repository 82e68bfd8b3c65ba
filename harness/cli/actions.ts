/**
 * What the conformance command does besides running the suite: say its version, list a selection, find
 * the scenarios that failed last time, and build the JSON summary (`--json`). Pure functions over files
 * and the run model; harness/cli/conformance.ts wires them to the command line.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Envelope } from '@cucumber/messages';
import { studentMessage, ruleInWords } from '../reports/failure-evidence.ts';
import type { RunContext } from '../reports/run-context.ts';
import { buildRunModel, totals, type RunModel } from '../reports/run-model.ts';
import { verdict } from '../reports/summary-md.ts';
import { REPORT_FILES, type PlannedScenario } from '../run/runner.ts';
import { PROJECT_ROOT } from '../../common/project-root.ts';
import { UsageError } from '../../common/cli-support.ts';
import type { FilteredGroup } from '../reports/run-context.ts';

export async function versionText(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version} (Node.js ${process.version})`;
}

const relative = (p: string): string => path.relative(process.cwd(), p) || '.';

/** `--list`: one line per scenario (`features/kick.feature:40  name`, the form that runs it alone), then what is left out. */
export function formatList(plan: { scenarios: PlannedScenario[]; filtered: FilteredGroup[] }): string {
  const width = Math.max(0, ...plan.scenarios.map((s) => `${s.uri}:${s.line}`.length));
  const out = plan.scenarios.map((s) => `${`${s.uri}:${s.line}`.padEnd(width)}  ${s.name}`);
  out.push('', `${plan.scenarios.length} scenario(s) selected; nothing was run.`);
  for (const f of plan.filtered) out.push(`Left out: ${f.count} ${f.tag} scenario(s): ${f.why}`);
  return out.join('\n');
}

/**
 * `--rerun-failed`: the failed scenarios of the last run in `reportsDir`, as feature paths with their line
 * (`/abs/features/kick.feature:40`), read from its messages.ndjson. Throws UsageError when there is no
 * last run to read.
 */
export async function lastFailures(reportsDir: string): Promise<string[]> {
  const file = path.join(reportsDir, 'messages.ndjson');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--rerun-failed: no previous run to read (${relative(file)} does not exist); run once without it, or give the --reports of that run`);
  }
  const envelopes: Envelope[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      envelopes.push(JSON.parse(line) as Envelope);
    } catch {
      // A run killed while writing leaves a cut last line: what came before is still good.
    }
  }
  const failed = buildRunModel(envelopes).scenarios.filter((s) => s.outcome === 'failed' && s.line !== undefined);
  return [...new Set(failed.map((s) => `${path.resolve(PROJECT_ROOT, s.uri)}:${s.line}`))];
}

/** `--json`: the verdict, the counts and every failure as a student reads it (no stack, no diff). */
export function jsonSummary(model: RunModel, context: RunContext, reportsDir: string, exitCode: number): unknown {
  const counts = totals(model.scenarios);
  return {
    result: verdict(model),
    exitCode,
    target: context.target,
    profile: context.profile,
    ...(context.tags ? { tags: context.tags } : {}),
    wallMs: context.wallMs,
    counts: { total: counts.total, passed: counts.passed, failed: counts.failed, skipped: counts.skipped, notGradable: counts['not-gradable'] },
    failures: model.scenarios
      .filter((s) => s.outcome === 'failed')
      .map((s) => ({
        location: `${s.uri}:${s.line ?? '?'}`,
        feature: s.feature,
        scenario: s.name,
        rule: ruleInWords(s),
        step: s.failingStep?.text,
        message: studentMessage(s.failingStep?.message ?? ''),
      })),
    notGradable: model.scenarios.filter((s) => s.outcome === 'not-gradable').map((s) => ({ location: `${s.uri}:${s.line ?? '?'}`, scenario: s.name, reason: s.notGradableReason })),
    filtered: context.filtered,
    runErrors: [...model.parseErrors, ...model.runErrors],
    reports: Object.fromEntries(REPORT_FILES.map((f) => [f, relative(path.join(reportsDir, f))])),
  };
}
