/**
 * Grade one server: run the suite through the conformance runner (never a second way of running
 * Cucumber) and keep grade.json, grade.md and results.json up to date after every scenario, so a grader
 * that is killed still leaves a grade. A server that never starts is graded too (0, and why), not fatal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { internalErrorText, runConformance, type RunnerIo, type RunnerOptions } from '../harness/run/runner.ts';
import { PROJECT_ROOT } from '../common/project-root.ts';
import { UsageError, usageErrorFrom } from '../common/cli-support.ts';
import { openGradeChannel } from './grade-channel.ts';
import { TargetStartError } from '../harness/target/index.ts';
import { loadProfile } from '../harness/dialect/load-profile.ts';
import { describeVariants } from '../harness/dialect/variants.ts';
import type { FilteredGroup } from '../harness/reports/run-context.ts';
import type { ScenarioResult } from '../harness/reports/run-model.ts';
import { writeFileAtomic, writeFileAtomicInBackground } from '../common/atomic-write.ts';
import { dialectMismatch } from './dialect-mismatch.ts';
import { buildGradeMarkdown } from './outputs/grade-md.ts';
import { buildGradescopeResults } from './outputs/gradescope.ts';
import { vplComments, vplGradeLine } from './outputs/vpl.ts';
import type { Rubric } from './rubric.ts';
import { computeGrade, type Grade, type RunState } from './score.ts';
import { readManifest, type ManifestReading } from './manifest.ts';
import { DEADLINE_ENV, RESERVE_ENV } from './budget-env.ts';
import { budgetOrder } from './budget-order.ts';
import { andTags, featureFiles, readScenarios, scenarioKey, tagMatcher, type ScenarioInfo } from './scenarios.ts';

export const GRADE_FILES = ['grade.json', 'grade.md', 'results.json'] as const;
const BUDGET_HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'budget-hook.ts');

export interface GradeRunOptions {
  /** The runner's options; `tags` is the user's own expression (the rubric's selection is added here). */
  runner: RunnerOptions;
  /** Files or directories holding the feature files (the runner gets the same list). */
  featurePaths: string[];
  rubric: Rubric;
  submission?: string;
  /** Total time budget in seconds (the run skips what cannot finish before it). */
  budgetS?: number;
  /** The submission's chat-conformance.json, when it may have one (a missing file is no manifest). */
  manifest?: string;
  /** Print VPL `Grade :=>>` lines (a running one after every scenario) and `Comment :=>>` lines. */
  vpl: boolean;
}

/** The grader itself failed (exit code 3); a grader-error grade was written before it was thrown. */
export class GraderError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'GraderError';
  }
}

export interface GradeRunOutcome {
  grade: Grade;
  /** 0 every counted scenario passed, 1 something failed or did not run. */
  exitCode: number;
}

/** Scenarios the rubric and the user's --tags select, in feature order. Throws UsageError when none. */
export function selectScenarios(featurePaths: readonly string[], rubric: Rubric, userTags: string): ScenarioInfo[] {
  let all: ScenarioInfo[];
  let matches: (tags: readonly string[]) => boolean;
  try {
    all = readScenarios(featureFiles(featurePaths), PROJECT_ROOT);
    matches = tagMatcher(andTags(userTags, rubric.selection));
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const selected = all.filter((s) => matches(s.tags));
  if (selected.length === 0) throw new UsageError(`no scenario matches the rubric${userTags ? ` and --tags "${userTags}"` : ''}`);
  return selected;
}

/** Why the runner left a scenario out: the first filtered group whose tag it carries. */
function filteredReasons(selected: readonly ScenarioInfo[], finalExpression: string, groups: readonly FilteredGroup[]): Map<string, string> {
  const runs = tagMatcher(finalExpression);
  const reasons = new Map<string, string>();
  for (const s of selected) {
    if (runs(s.tags)) continue;
    const group = groups.find((g) => s.tags.includes(g.tag));
    reasons.set(s.key, group ? `${group.tag}: ${group.why}` : 'left out by the runner');
  }
  return reasons;
}

/** The state of one graded run, rewritten to disk on every change. */
class GradeFiles {
  readonly results = new Map<string, ScenarioResult>();
  filtered = new Map<string, string>();
  target = '';
  readonly notes: string[] = [];
  readonly manifest: ManifestReading;
  private readonly startedMs = Date.now();
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly options: GradeRunOptions,
    private readonly selected: readonly ScenarioInfo[],
  ) {
    this.manifest = options.manifest !== undefined ? readManifest(options.manifest) : {};
    if (this.manifest.problem !== undefined) this.notes.push(this.manifest.problem);
  }

  grade(state: RunState, notRunReason: string): Grade {
    return computeGrade({
      rubric: this.options.rubric,
      selected: this.selected,
      filtered: this.filtered,
      results: this.results,
      notRunReason,
      ...(this.manifest.manifest ? { manifest: this.manifest.manifest } : {}),
      meta: {
        ...(this.options.submission !== undefined ? { submission: this.options.submission } : {}),
        target: this.target || describeChoice(this.options.runner),
        profile: this.options.runner.profile,
        variants: declaredVariants(this.options.runner.profile),
        ...(this.options.runner.tags ? { tags: this.options.runner.tags } : {}),
        state,
        notes: this.notes,
        startedAt: this.startedAt,
        wallMs: Date.now() - this.startedMs,
      },
    });
  }

  /** The batch's grade channel (grading/grade-channel.ts), when this grader runs under a batch. */
  readonly channel = openGradeChannel();

  write(grade: Grade): void {
    for (const [file, content] of this.contents(grade)) writeFileAtomic(file, content);
  }

  /** The same, the files written off the event loop: the rewrites while scenarios run (ProgressWrites). */
  async writeInBackground(grade: Grade): Promise<void> {
    await Promise.all(this.contents(grade).map(([file, content]) => writeFileAtomicInBackground(file, content)));
  }

  /** Tells the grade channel, and renders each grade file. */
  private contents(grade: Grade): Array<[string, string]> {
    this.channel?.(grade);
    const dir = this.options.runner.reportsDir;
    return [
      [path.join(dir, 'results.json'), `${JSON.stringify(buildGradescopeResults(grade, this.options.rubric.hiddenVisibility), null, 2)}\n`],
      [path.join(dir, 'grade.json'), `${JSON.stringify(grade, null, 2)}\n`],
      [path.join(dir, 'grade.md'), buildGradeMarkdown(grade)],
    ];
  }
}

/**
 * The grade files are rewritten while the run goes (a killed grader still leaves a grade), but a write
 * costs the whole grade's JSON and Markdown (hundreds of KB for a full rubric: about 40 ms per scenario on
 * a loaded 2-core machine, a third of the run for a fast submission). So the writes take at most about a
 * tenth of the run: after a write that took d ms the next one comes no sooner than 9 d ms later. A fast
 * write (a small selection, an idle machine) still happens after every scenario; the final grade is always
 * written. The files of a progress write are written off the event loop (their system calls were a third
 * of its time, and a --parallel worker's control requests waited behind them); the grade is still rendered
 * on it. None is due while one is under way, and the final write waits for it (idle()).
 */
export class ProgressWrites {
  private nextAt = 0;
  private writing: Promise<void> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether a progress write is due now. */
  due(): boolean {
    return this.writing === undefined && this.now() >= this.nextAt;
  }

  /**
   * Runs `write` and schedules the next progress write from how long it took, its background part
   * included. A background part that fails is dropped: the final write (synchronous) reports what is wrong.
   */
  timed(write: () => void | Promise<void>): void {
    const start = this.now();
    const schedule = (): void => {
      const end = this.now();
      this.nextAt = end + 9 * (end - start);
    };
    const background = write();
    if (background === undefined) return schedule();
    this.writing = background.then(schedule, schedule).finally(() => (this.writing = undefined));
  }

  /** Resolves when no progress write is under way: before a write that must land last. */
  idle(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }
}

/** The course variants the profile declares, in words; none when it cannot be read (the runner then says why). */
function declaredVariants(profile: string): string[] {
  try {
    return describeVariants(loadProfile(profile).variants);
  } catch {
    return [];
  }
}

function describeChoice(options: RunnerOptions): string {
  const t = options.target;
  if (t.kind === 'external') return `${t.address.host}:${t.address.port}`;
  if (t.kind === 'spawned') return `spawned \`${t.command}\``;
  return 'reference server (embedded)';
}

export async function gradeRun(options: GradeRunOptions, io: RunnerIo = { stdout: process.stdout, stderr: process.stderr }): Promise<GradeRunOutcome> {
  const selected = selectScenarios(options.featurePaths, options.rubric, options.runner.tags);
  const dir = options.runner.reportsDir;
  fs.mkdirSync(dir, { recursive: true });
  for (const f of GRADE_FILES) fs.rmSync(path.join(dir, f), { force: true });

  const files = new GradeFiles(options, selected);
  const progressWrites = new ProgressWrites();
  const pending = 'not run yet (the run is still going, or was stopped before this scenario)';
  files.write(files.grade('running', pending));

  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const previousEnv = { deadline: process.env[DEADLINE_ENV], reserve: process.env[RESERVE_ENV] };
  if (options.budgetS !== undefined) {
    process.env[DEADLINE_ENV] = String(Date.now() + options.budgetS * 1000);
    // A scenario needs at most a few expectation timeouts; keep that much, plus time to write reports.
    process.env[RESERVE_ENV] = String(Math.min(options.budgetS * 250, 3 * options.runner.timeoutMs + 1000));
    files.notes.push(
      `time budget: ${options.budgetS} s; the scenarios ran round-robin over the rubric's categories, cheapest first, so what the budget cuts is spread across them; a cut scenario is reported as cut, neither passed nor failed`,
    );
  }

  const finalGrade = (): Grade => {
    if (interrupted) return files.grade('cut-off', 'the grader was stopped (time limit or signal) before this scenario');
    const mismatch = dialectMismatch(files.results.values(), options.runner.profile);
    if (mismatch === undefined) return files.grade('complete', 'the run ended before this scenario');
    if (!files.notes.includes(mismatch)) files.notes.unshift(mismatch);
    return files.grade('dialect-mismatch', 'the run ended before this scenario');
  };

  let grade: Grade;
  try {
    await runConformance(
      {
        ...options.runner,
        tags: andTags(options.runner.tags, options.rubric.selection),
        steps: [BUDGET_HOOK, ...options.runner.steps],
        ...(options.budgetS !== undefined ? { order: budgetOrder(options.rubric, selected) } : {}),
      },
      io,
      {
        onPlanned: (plan) => {
          files.filtered = filteredReasons(selected, plan.tagExpression, plan.filtered);
          files.target = plan.context.target;
          files.notes.push(...plan.context.notes);
          files.write(files.grade('running', pending));
        },
        onScenario: (result) => {
          files.results.set(scenarioKey(result.uri, result.line), result);
          const due = progressWrites.due();
          if (!due && !options.vpl) return;
          const running = files.grade('running', pending);
          if (due) progressWrites.timed(() => files.writeInBackground(running));
          if (options.vpl) io.stdout.write(`${vplGradeLine(running)}\n`);
        },
        onFinished: async (model, context) => {
          await progressWrites.idle(); // its files must not land after the final grade's
          // --repeat and --diff amend the records once every run is over: the final ones count.
          for (const result of model.scenarios) files.results.set(scenarioKey(result.uri, result.line), result);
          // Notes the run added after it was planned (crashes, what the quiet waits learned).
          for (const note of context.notes) if (!files.notes.includes(note)) files.notes.push(note);
          for (const e of [...model.parseErrors, ...model.runErrors]) files.notes.push(`run error: ${e}`);
          files.write(finalGrade());
        },
      },
    );
    grade = finalGrade();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!(error instanceof TargetStartError)) {
      // The grader's own failure: a grade that says so (never the submission's fault), then exit code 3.
      files.notes.push(`the grader failed (an internal error, not the submission's fault): ${internalErrorText(error)}`);
      await progressWrites.idle();
      files.write(files.grade('grader-error', 'the grader failed before this scenario'));
      throw new GraderError(internalErrorText(error), { cause: error });
    }
    if (interrupted) {
      // Stopped (time limit, signal) while the server was still starting: its death is ours, not its fault.
      files.notes.push('stopped while the server was still starting: it never accepted a connection');
      grade = files.grade('cut-off', 'the grader was stopped while the server was still starting');
    } else {
      files.notes.push(error.message);
      grade = files.grade('server-did-not-start', 'the server did not start');
    }
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    for (const [key, value] of [[DEADLINE_ENV, previousEnv.deadline], [RESERVE_ENV, previousEnv.reserve]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  await progressWrites.idle();
  files.write(grade);
  if (options.vpl) io.stdout.write(`${[...vplComments(grade), vplGradeLine(grade)].join('\n')}\n`);
  const perfect = grade.counts.failed === 0 && grade.counts['not-run'] === 0 && grade.state === 'complete';
  return { grade, exitCode: perfect ? 0 : 1 };
}
