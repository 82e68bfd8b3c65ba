/**
 * Runs the conformance command, exactly as a grader would, and reads back what it decided: exit code,
 * console output, and every scenario's outcome folded from messages.ndjson by the harness's own run model
 * (the same source summary.md and junit.xml are built from). Two ways, same arguments, same result shape:
 * - runConformanceCli: a child process (`node --import tsx harness/cli/conformance.ts ...`), killed after
 *   `deadlineMs`. For what only a process shows: the harness never hanging or crashing on a hostile
 *   target, its exit, its terminal output, its memory.
 * - runConformanceInProcess: the same command's `main` in this process, one run at a time. For proofs about
 *   the suite's verdict (which scenarios a broken server fails): a child costs about 2 s of CPU in node
 *   and tsx start-up before its first scenario, and the proofs make some 60 runs (issue #17).
 * Either way a run that does not end by `deadlineMs` is reported as `timedOut` (a test failure, never a
 * hanging test).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
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

/** The command's arguments for `options`, its reports in `reportsDir`. */
function commandArgs(options: ConformanceRunOptions, reportsDir: string): string[] {
  return [...(options.server !== undefined ? ['--server', options.server] : []), '--tags', options.tags, '--reports', reportsDir, ...(options.extraArgs ?? [])];
}

export async function runConformanceCli(options: ConformanceRunOptions): Promise<ConformanceRun> {
  const reportsDir = await mkdtemp(path.join(os.tmpdir(), 'proof-reports-'));
  const started = Date.now();
  const child = await execa(
    'node',
    [...(options.nodeFlags ?? []), '--import', 'tsx', 'harness/cli/conformance.ts', ...commandArgs(options, reportsDir)],
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
  return readBack({ exitCode: child.exitCode, timedOut: child.timedOut, stdout: String(child.stdout ?? ''), stderr: String(child.stderr ?? ''), wallMs: Date.now() - started, reportsDir });
}

/** The in-process run under way (they run one at a time: a run's quiet waits and transcripts are per process). */
let inProcessQueue: Promise<unknown> = Promise.resolve();

export interface InProcessCommand {
  exitCode: number | undefined;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/**
 * `npm run conformance -- <args>` or `npm run grade -- <args>`, run by the command's own main in this
 * process after the runs before it, its output kept; bounded by `deadlineMs` (then `timedOut`).
 */
export async function commandInProcess(command: 'conformance' | 'grade', args: string[], deadlineMs = 300_000): Promise<InProcessCommand> {
  const previous = inProcessQueue;
  let done: () => void = () => {};
  inProcessQueue = new Promise<void>((resolve) => (done = resolve));
  await previous;
  try {
    // Imported here: the files that only run the commands as children do not load the harness.
    const { main } = command === 'conformance' ? await import('../../../../harness/cli/conformance.ts') : await import('../../../../grading/cli.ts');
    const stdout = new TextSink();
    const stderr = new TextSink();
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), deadlineMs)));
    const io = { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream };
    const outcome = await Promise.race([main(args, io, PROJECT_ROOT), deadline]);
    clearTimeout(timer);
    const timedOut = outcome === 'timed out';
    return { exitCode: timedOut ? undefined : outcome, timedOut, stdout: stdout.text, stderr: stderr.text, wallMs: Date.now() - started };
  } finally {
    done();
  }
}

export async function runConformanceInProcess(options: ConformanceRunOptions): Promise<ConformanceRun> {
  if (options.nodeFlags !== undefined) throw new Error('node flags need a process of their own: use runConformanceCli');
  const reportsDir = await mkdtemp(path.join(os.tmpdir(), 'proof-reports-'));
  return readBack({ ...(await commandInProcess('conformance', commandArgs(options, reportsDir), options.deadlineMs)), reportsDir });
}

/** A stream that keeps what is written to it. */
class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += String(chunk);
    callback();
  }
}

/** What a run left: its report files and every scenario of messages.ndjson. */
async function readBack(run: Omit<ConformanceRun, 'scenarios' | 'reportFiles'>): Promise<ConformanceRun> {
  const reportFiles: string[] = [];
  for (const name of ['summary.md', 'junit.xml', 'messages.ndjson', 'cucumber.html']) {
    if (await readFile(path.join(run.reportsDir, name)).then(() => true, () => false)) reportFiles.push(name);
  }
  const scenarios = reportFiles.includes('messages.ndjson') ? await readScenarios(path.join(run.reportsDir, 'messages.ndjson')) : [];
  return { ...run, scenarios, reportFiles };
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
