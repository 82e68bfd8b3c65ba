/**
 * Runs the conformance CLI as a child process, exactly as a grader would, and reads back what it
 * decided: exit code, console output, and every scenario's outcome folded from messages.ndjson by the
 * harness's own run model (the same source summary.md and junit.xml are built from).
 *
 * The child is bounded: it is killed after `deadlineMs`, and that is reported as `timedOut` (a
 * hanging run is a test failure, never a hanging test).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { IdGenerator, type Envelope, type Scenario } from '@cucumber/messages';
import { AstBuilder, compile, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { buildRunModel, type ScenarioResult } from '../../../../harness/reports/run-model.ts';
import { PROJECT_ROOT } from '../../../../common/project-root.ts';

export { PROJECT_ROOT };

export interface ConformanceRunOptions {
  /** Value of --server: a shell command with {port}; the embedded reference server when absent. */
  server?: string;
  /** Value of --tags. */
  tags: string;
  /** Extra CLI arguments (e.g. --timeout, feature paths). */
  extraArgs?: string[];
  /** The child is killed after this long (default 120 s: a bound for a hang, generous for a busy machine where three runs share two cores). */
  deadlineMs?: number;
  /** Node flags for the runner process (e.g. a heap limit). */
  nodeFlags?: string[];
}

export interface ConformanceRun {
  exitCode: number | undefined;
  /** The run did not end by itself before the deadline and was killed. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  wallMs: number;
  reportsDir: string;
  /** Every scenario of messages.ndjson (empty when it was not written). */
  scenarios: ScenarioResult[];
  /** Names of the report files that exist after the run. */
  reportFiles: string[];
}

export async function runConformanceCli(options: ConformanceRunOptions): Promise<ConformanceRun> {
  const reportsDir = await mkdtemp(path.join(os.tmpdir(), 'proof-reports-'));
  const started = Date.now();
  const child = await execa(
    'node',
    [...(options.nodeFlags ?? []), '--import', 'tsx', 'harness/cli/conformance.ts', ...(options.server !== undefined ? ['--server', options.server] : []), '--tags', options.tags, '--reports', reportsDir, ...(options.extraArgs ?? [])],
    {
      cwd: PROJECT_ROOT,
      reject: false,
      timeout: options.deadlineMs ?? 300_000,
      killSignal: 'SIGKILL',
      env: { NO_COLOR: '1', FORCE_COLOR: '0' },
      stdin: 'ignore',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const wallMs = Date.now() - started;
  const reportFiles: string[] = [];
  for (const name of ['summary.md', 'junit.xml', 'messages.ndjson', 'cucumber.html']) {
    if (await readFile(path.join(reportsDir, name)).then(() => true, () => false)) reportFiles.push(name);
  }
  const scenarios = reportFiles.includes('messages.ndjson') ? await readScenarios(path.join(reportsDir, 'messages.ndjson')) : [];
  return {
    exitCode: child.exitCode,
    timedOut: child.timedOut,
    stdout: String(child.stdout ?? ''),
    stderr: String(child.stderr ?? ''),
    wallMs,
    reportsDir,
    scenarios,
    reportFiles,
  };
}

async function readScenarios(file: string): Promise<ScenarioResult[]> {
  const text = await readFile(file, 'utf8');
  const envelopes = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Envelope);
  return buildRunModel(envelopes).scenarios;
}

export async function removeReports(run: ConformanceRun): Promise<void> {
  await rm(run.reportsDir, { recursive: true, force: true });
}

/** "features/kick.feature: The owner kicks a member": unambiguous across features. */
export function scenarioKey(s: ScenarioResult): string {
  return `${s.uri}: ${s.name}`;
}

export function namesWithOutcome(run: ConformanceRun, outcome: ScenarioResult['outcome']): string[] {
  return run.scenarios
    .filter((s) => s.outcome === outcome)
    .map(scenarioKey)
    .sort();
}

/**
 * `features/x.feature:LINE` of a scenario found by its name (lines move when the features are edited):
 * its `Scenario:` line, or for an example of a Scenario Outline the line of its Examples row (the name
 * with the row's values, as reports show it). Throws when no scenario has that name.
 */
export function located(feature: string, name: string): string {
  const uri = path.join(PROJECT_ROOT, feature);
  const newId = IdGenerator.incrementing();
  const document = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher()).parse(readFileSync(uri, 'utf8'));
  const lines = new Map<string, number>();
  const visit = (children: readonly { scenario?: Scenario; rule?: { children: readonly { scenario?: Scenario }[] } }[]): void => {
    for (const child of children) {
      if (child.rule) visit(child.rule.children);
      const scenario = child.scenario;
      if (!scenario) continue;
      lines.set(scenario.id, scenario.location.line);
      for (const examples of scenario.examples) for (const row of examples.tableBody) lines.set(row.id, row.location.line);
    }
  };
  visit(document.feature?.children ?? []);
  const pickle = compile(document, uri, newId).find((p) => p.name === name);
  // An example's pickle names its scenario first, then its row.
  const line = pickle === undefined ? undefined : lines.get(pickle.astNodeIds[pickle.astNodeIds.length - 1]!) ?? lines.get(pickle.astNodeIds[0]!);
  if (line === undefined) throw new Error(`no scenario "${name}" in ${feature}`);
  return `${feature}:${line}`;
}

/** The `features/x.feature:LINE` of a scenarioKey ("features/x.feature: Name"). */
export function locatedKey(key: string): string {
  const at = key.indexOf(': ');
  return located(key.slice(0, at), key.slice(at + 2));
}
