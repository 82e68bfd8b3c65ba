/**
 * Batch mode: grade every sub-folder of --submissions, --jobs at a time. Each submission gets its own
 * grader process (`grading/cli.ts` on one server, its own free port) in its own process group, a
 * wall-clock limit (then SIGTERM to the group, which makes the runner stop the server and write what it
 * has, then SIGKILL), a time budget a little under that limit (so it normally stops itself in time), and
 * an output cap. A grader that hangs, floods or dies is still graded from the grade.json it keeps up to
 * date, so one submission can never stall or sink the batch.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../common/project-root.ts';
import { graderArgs, prepareGraderBundle } from './launcher.ts';
import { UsageError } from '../common/cli-support.ts';
import { systemErrorMessage } from '../common/plain-errors.ts';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { DEADLINE_ENV, RESERVE_ENV } from './budget-env.ts';
import { CappedLog } from './capped-log.ts';
import { childrenOf, descendantGroups, killGroups } from './process-tree.ts';
import { isRoot } from '../harness/target/sandbox.ts';
import { BatchProgress, scenariosDone } from './batch-progress.ts';
import { buildClassCsv, buildClassHtml } from './class-report.ts';
import { selectScenarios } from './grade-run.ts';
import type { BatchGradeCommand } from './options.ts';
import { buildGradeMarkdown } from './outputs/grade-md.ts';
import { buildGradescopeResults } from './outputs/gradescope.ts';
import { gradeLine } from './outputs/format.ts';
import { printable } from './outputs/safe-text.ts';
import type { Rubric } from './rubric.ts';
import type { ScenarioInfo } from './scenarios.ts';
import { computeGrade, type Grade } from './score.ts';
import { GRADE_CHANNEL_ENV, GradeChannelReader } from './grade-channel.ts';
import { gradeMismatches } from './verify-grade.ts';
import type { Readable } from 'node:stream';
import { listSubmissions, shardOf } from './shard.ts';
import { MANIFEST_FILE } from './manifest.ts';
import { fixedPortOf, PortLocks } from './port-lock.ts';
import { SHARD_MANIFEST, SHARD_SCHEMA, type ShardManifest } from './merge.ts';

/**
 * Between the SIGTERM at the limit and the SIGKILL: the runner stops the server (1.5 s), writes the grade,
 * then the reports (cucumber.html made again from what was recorded: a few seconds for a big run on a
 * busy machine); it gives itself 8 s at most (harness/run/runner.ts).
 */
const KILL_GRACE_MS = 10_000;

/** A path as one shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The server (or client) command of one submission: run in its folder, {dir} replaced, {port} left to the runner. */
export function serverCommandFor(template: string, dir: string): string {
  return `cd ${shellQuote(dir)} && ${template.replaceAll('{dir}', shellQuote(dir))}`;
}

/** A submission's own profile: the file it ships beside its code (batch mode looks for it). */
export const SUBMISSION_PROFILE = 'profile.json';

/**
 * The profile one submission is graded with, and a note saying where it came from: --profile with {dir}
 * (that file, when the submission has it), else a profile.json in the submission folder, else the class's
 * --profile (or the default). A missing {dir} profile is said, not fatal: the grade then shows whether the
 * default dialect fits (or is flagged "dialect mismatch").
 */
export function profileFor(template: string | undefined, dir: string): { profile?: string; note?: string } {
  if (template?.includes('{dir}')) {
    const file = template.replaceAll('{dir}', dir);
    if (fs.existsSync(file)) return { profile: file, note: `profile: ${file}` };
    return { note: `no profile at ${file}: graded with the default profile` };
  }
  const own = path.join(dir, SUBMISSION_PROFILE);
  if (fs.existsSync(own)) return { profile: own, note: `profile: the submission's own ${SUBMISSION_PROFILE}` };
  return template === undefined ? {} : { profile: template };
}

/** The budget handed to a submission's grader: its limit minus time to start and to write reports. */
export function budgetFor(limitS: number): number {
  return Math.max(1, Math.round((limitS - Math.max(5, limitS * 0.1)) * 10) / 10);
}

/** How often the batch notes the process groups under a grader (to kill them even if the grader cannot). */
const WATCH_MS = 1000;

export interface SubmissionOutcome {
  name: string;
  grade: Grade;
  cutOff: boolean;
  exitCode: number | null;
}

interface Context {
  command: BatchGradeCommand;
  rubric: Rubric;
  selected: ScenarioInfo[];
  rubricFile: string;
  running: Map<string, () => void>;
  /** Submissions with a fixed port take turns on it (grading/port-lock.ts). */
  portLocks: PortLocks;
  /** The latest grade each running submission's grader sent (for the progress line). */
  latest: Map<string, () => Grade | undefined>;
}

function writeGradeFiles(dir: string, grade: Grade, rubric: Rubric): void {
  writeFileAtomic(path.join(dir, 'grade.json'), `${JSON.stringify(grade, null, 2)}\n`);
  writeFileAtomic(path.join(dir, 'grade.md'), buildGradeMarkdown(grade));
  writeFileAtomic(path.join(dir, 'results.json'), `${JSON.stringify(buildGradescopeResults(grade, rubric.hiddenVisibility), null, 2)}\n`);
}

/**
 * The grader of one sandboxed submission runs as the first process of its own network and PID namespaces
 * (bwrap --as-pid-1): the submission's server, in its stricter sandbox inside, gets a loopback of its own
 * (any port, 1459 too, is free; no other submission's grader is reachable), and when the grader ends, the
 * kernel kills everything left in its namespace. The grader sees the machine's files as they are.
 */
function networkNamespaceArgv(argv: readonly string[]): string[] {
  return [
    '--dev-bind', '/', '/',
    '--proc', '/proc',
    '--unshare-net', '--unshare-pid', '--as-pid-1', '--die-with-parent',
    // As root, keep the capabilities the inner sandbox needs (bwrap drops them by default).
    ...(isRoot() ? ['--cap-add', 'ALL'] : []),
    '--',
    ...argv,
  ];
}

async function gradeSubmission(ctx: Context, name: string): Promise<SubmissionOutcome> {
  const dir = path.join(ctx.command.submissionsDir, name);
  const chosen = profileFor(ctx.command.profileTemplate, dir);
  // Sandboxed, every grader has a network namespace (a loopback) of its own: a fixed port is free in each.
  const port = ctx.command.sandbox ? undefined : fixedPortOf(chosen.profile);
  if (port === undefined) return gradeOnPort(ctx, name, chosen);
  const release = await ctx.portLocks.acquire(port);
  try {
    return await gradeOnPort(ctx, name, chosen, `its server listens on the fixed port ${port}: graded while no other submission used that port`);
  } finally {
    release();
  }
}

async function gradeOnPort(ctx: Context, name: string, chosen: ReturnType<typeof profileFor>, portNote?: string): Promise<SubmissionOutcome> {
  const { command, rubric } = ctx;
  const dir = path.join(command.submissionsDir, name);
  const reportsDir = path.join(command.reportsDir, 'submissions', name);
  fs.rmSync(reportsDir, { recursive: true, force: true });
  fs.mkdirSync(reportsDir, { recursive: true });
  const log = new CappedLog(path.join(reportsDir, 'grader.log'), command.outputCapBytes);
  const startedAt = new Date().toISOString();
  const startedMs = Date.now();

  const sandboxArgs = command.sandbox ? ['--submission-dir', dir, ...command.sandboxAllow.flatMap((p) => ['--sandbox-allow', p])] : ['--no-sandbox'];
  const args = graderArgs([
    '--server',
    serverCommandFor(command.serverTemplate, dir),
    ...(command.clientTemplate !== undefined ? ['--client', serverCommandFor(command.clientTemplate, dir)] : []),
    ...(chosen.profile !== undefined ? ['--profile', chosen.profile] : []),
    ...command.passThrough,
    '--rubric',
    ctx.rubricFile,
    '--budget',
    String(budgetFor(command.limitS)),
    '--name',
    name,
    '--manifest',
    path.join(dir, MANIFEST_FILE),
    '--reports',
    reportsDir,
    ...sandboxArgs,
    ...command.featurePaths,
  ]);
  const env: NodeJS.ProcessEnv = { ...process.env, [GRADE_CHANNEL_ENV]: '3' };
  delete env[DEADLINE_ENV];
  delete env[RESERVE_ENV];
  const options = { cwd: PROJECT_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe', 'pipe'] };
  const child = command.sandbox
    ? spawn('bwrap', networkNamespaceArgv([process.execPath, ...args]), options)
    : spawn(process.execPath, args, options);
  child.stdout!.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  // The grade travels back on this pipe only: a file the submission might reach is never read.
  const channel = new GradeChannelReader(child.stdio[3] as Readable);
  ctx.latest.set(name, () => channel.latest());

  // The server runs in a group of its own under the grader: keep a recent list of every group below it.
  let groups = new Set<number>(child.pid !== undefined ? [child.pid] : []);
  const watch = setInterval(() => {
    if (child.pid !== undefined && child.exitCode === null) groups = descendantGroups(child.pid);
  }, WATCH_MS);
  let cutOff = false;
  const stop = (): void => {
    if (child.pid !== undefined) groups = descendantGroups(child.pid);
    if (command.sandbox && child.pid !== undefined) {
      // Only the grader gets SIGTERM (it writes its cut-off grade and stops its server): bwrap itself would
      // die of it at once and take the grader with it. Then SIGKILL to everything.
      for (const grader of childrenOf(child.pid)) {
        try {
          process.kill(grader, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    } else {
      killGroups(groups, 'SIGTERM'); // the runner writes its partial reports and stops the server
    }
    setTimeout(() => killGroups(groups, 'SIGKILL'), KILL_GRACE_MS).unref();
  };
  const limitTimer = setTimeout(() => {
    cutOff = true;
    stop();
  }, command.limitS * 1000);
  ctx.running.set(name, stop);

  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      log.write(Buffer.from(`could not start the grader: ${error.message}\n`));
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  clearTimeout(limitTimer);
  clearInterval(watch);
  ctx.running.delete(name);
  ctx.latest.delete(name);
  killGroups(groups, 'SIGKILL'); // anything the grader left behind: its group, a server it could not stop
  log.close();

  let grade = channel.latest();
  const problems = grade === undefined ? [] : gradeMismatches(grade, rubric, ctx.selected);
  if (grade === undefined || problems.length > 0) {
    const why =
      problems.length > 0
        ? `the grade the grader sent does not add up (${problems.slice(0, 3).join('; ')}): not taken`
        : `the grader exited with code ${exitCode ?? '?'} and sent no grade`;
    grade = computeGrade({
      rubric,
      selected: ctx.selected,
      filtered: new Map(),
      results: new Map(),
      notRunReason: 'the grader failed before grading anything (see grader.log)',
      meta: {
        submission: name,
        target: serverCommandFor(command.serverTemplate, dir),
        profile: chosen.profile ?? '?',
        state: 'grader-error',
        notes: [`${why}; last output:\n${log.tail(8)}`],
        startedAt,
        wallMs: Date.now() - startedMs,
      },
    });
  } else if (cutOff || grade.state === 'running') {
    const why = cutOff ? `cut off at the ${command.limitS} s wall-clock limit` : `the grader stopped (exit code ${exitCode ?? '?'}) before finishing`;
    grade = {
      ...grade,
      state: cutOff ? 'cut-off' : 'grader-error',
      notes: [...grade.notes, `${why}; scenarios not run earn nothing`],
      wallMs: Date.now() - startedMs,
      // Everything that did not run because the grader was stopped says so (budget skips keep their reason).
      scenarios: grade.scenarios.map((s) => (s.status === 'not-run' && !s.reason?.startsWith('the time budget') ? { ...s, reason: why } : s)),
    };
  }
  // The batch's own clock: the whole cost of the submission, the grader's start-up included.
  grade = { ...grade, wallMs: Date.now() - startedMs };
  if (chosen.note !== undefined) grade.notes.unshift(chosen.note);
  if (portNote !== undefined) grade.notes.push(portNote);
  if (log.droppedBytes > 0) grade.notes.push(`grader output capped at ${command.outputCapBytes} bytes (${log.droppedBytes} dropped)`);
  writeGradeFiles(reportsDir, grade, rubric);
  return { name, grade, cutOff, exitCode };
}

/**
 * class.csv and class.html in `reportsDir`. `reportDirOf` says where a submission's reports are (default:
 * the batch layout, submissions/<name>/), for the page's links to each full grade.md.
 */
export function writeClassReports(reportsDir: string, grades: readonly Grade[], title: string, reportDirOf?: (submission: string) => string | undefined): void {
  fs.mkdirSync(reportsDir, { recursive: true });
  const dirOf = reportDirOf ?? ((name: string) => path.join(reportsDir, 'submissions', name));
  const link = (name: string): string | undefined => {
    const dir = dirOf(name);
    if (dir === undefined || !fs.existsSync(path.join(dir, 'grade.md'))) return undefined;
    return path.relative(reportsDir, path.join(dir, 'grade.md')).split(path.sep).map(encodeURIComponent).join('/');
  };
  writeFileAtomic(path.join(reportsDir, 'class.csv'), buildClassCsv(grades));
  writeFileAtomic(path.join(reportsDir, 'class.html'), buildClassHtml(grades, title, link));
}

export async function runBatch(command: BatchGradeCommand, rubric: Rubric, stdout: NodeJS.WriteStream = process.stdout): Promise<number> {
  const startedMs = Date.now();
  let all: string[];
  try {
    all = listSubmissions(command.submissionsDir);
  } catch (error) {
    throw new UsageError(`--submissions: cannot read ${command.submissionsDir}: ${systemErrorMessage(error) ?? (error instanceof Error ? error.message : String(error))}`);
  }
  if (all.length === 0) throw new UsageError(`--submissions: no sub-folder in ${command.submissionsDir} (one folder per submission)`);
  const names = shardOf(all, command.shard);
  const shardText = command.shard ? ` (shard ${command.shard.index}/${command.shard.count} of ${all.length})` : '';
  const selected = selectScenarios(command.featurePaths, rubric, command.tags);
  const rubricFile = path.resolve(rubric.source);
  const ctx: Context = { command, rubric, selected, rubricFile, running: new Map(), portLocks: new PortLocks(), latest: new Map() };
  const title = `Class grades: ${path.basename(command.submissionsDir)}${shardText}`;
  // First, so grade:merge can tell a shard that never finished (or never arrived) from a complete one.
  const manifest: ShardManifest = { schema: SHARD_SCHEMA, index: command.shard?.index ?? 1, count: command.shard?.count ?? 1, submissions: names };
  fs.mkdirSync(command.reportsDir, { recursive: true });
  writeFileAtomic(path.join(command.reportsDir, SHARD_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  stdout.write(`Grading ${names.length} submission(s)${shardText} from ${command.submissionsDir}, ${command.jobs} at a time, ${command.limitS} s limit each, ${selected.length} scenarios\n`);

  const unbundled = await prepareGraderBundle();
  if (unbundled !== undefined) stdout.write(`The graders run from source, slower: their bundle could not be made (${unbundled})\n`);
  const progress = new BatchProgress(stdout, names.length, selected.length, startedMs, (name) =>
    scenariosDone(ctx.latest.get(name)?.()),
  );
  const outcomes: SubmissionOutcome[] = [];
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    for (const stop of ctx.running.values()) stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined && !interrupted; name = queue.shift()) {
      progress.draw(outcomes.length, [...ctx.running.keys(), name]);
      const outcome = await gradeSubmission(ctx, name);
      outcomes.push(outcome);
      const g = outcome.grade;
      progress.draw(outcomes.length, [...ctx.running.keys()]);
      progress.log(`  ${printable(name)}: ${gradeLine(g, 0).replace(/ \(rules: .*?\)/, '')}  ${g.state}  ${g.counts.passed} passed, ${g.counts.failed} failed, ${g.counts['not-run']} not run  ${(g.wallMs / 1000).toFixed(1)} s`);
      writeClassReports(command.reportsDir, outcomes.map((o) => o.grade), title);
      progress.draw(outcomes.length, [...ctx.running.keys()]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(command.jobs, Math.max(1, names.length)) }, () => worker()));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
  }
  writeClassReports(command.reportsDir, outcomes.map((o) => o.grade), title);
  const wallS = (Date.now() - startedMs) / 1000;
  const where = path.relative(process.cwd(), command.reportsDir) || '.';
  stdout.write(`Graded ${outcomes.length}/${names.length} submission(s) in ${wallS.toFixed(1)} s: ${where}/class.csv, ${where}/class.html, ${where}/submissions/<name>/\n`);
  if (interrupted) return 130;
  return outcomes.length === names.length ? 0 : 1;
}
