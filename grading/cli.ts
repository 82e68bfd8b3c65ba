/**
 * `npm run grade -- ...`: grade one server (a run of the conformance runner, graded after every scenario)
 * or, with --submissions, a whole class (grading/batch.ts). Exit codes in GRADE_HELP.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_INTERNAL, type RunnerIo } from '../harness/run/runner.ts';
import { EXIT_USAGE, UsageError } from '../common/cli-support.ts';
import { TargetStartError } from '../harness/target/index.ts';
import { sandboxUnavailable } from '../harness/target/sandbox.ts';
import { GraderError, gradeRun } from './grade-run.ts';
import { GRADE_HELP, parseGradeCommandLine, type GradeCommand } from './options.ts';
import { gradeLine } from './outputs/format.ts';
import { loadRubric, RubricError, DEFAULT_RUBRIC } from './rubric.ts';

/**
 * The command: its exit code. `io` and `cwd` are the process's own when run as a command; a process that
 * grades several runs one after the other (the tests) gives its own streams.
 */
export async function main(argv: string[], io: RunnerIo = { stdout: process.stdout, stderr: process.stderr }, cwd: string = process.cwd()): Promise<number> {
  try {
    const command = parseGradeCommandLine(argv, cwd);
    if (command.mode === 'help') {
      io.stdout.write(`${GRADE_HELP}\n`);
      return 0;
    }
    const refusal = sandboxRefusal(command);
    if (refusal !== undefined) {
      io.stderr.write(`grade: ${refusal}\n`);
      return EXIT_USAGE;
    }
    const rubric = loadRubric(command.rubric ?? DEFAULT_RUBRIC);
    // Batch mode's modules (class reports, process trees, shards) only for a batch: a single grading run,
    // which each submission of a batch is, does not load them.
    if (command.mode === 'batch') return await (await import('./batch.ts')).runBatch(command, rubric, io.stdout);
    const { grade, exitCode } = await gradeRun(
      {
        runner: command.runner,
        featurePaths: command.featurePaths,
        rubric,
        vpl: command.vpl,
        ...(command.budgetS !== undefined ? { budgetS: command.budgetS } : {}),
        ...(command.name !== undefined ? { submission: command.name } : {}),
        ...(command.manifest !== undefined ? { manifest: command.manifest } : {}),
      },
      io,
    );
    const where = path.relative(cwd, command.reportsDir) || '.';
    io.stdout.write(`Grade: ${gradeLine(grade, 3)} (${grade.state}); ${where}/grade.md, grade.json, results.json\n`);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError || error instanceof RubricError || error instanceof TargetStartError) {
      io.stderr.write(`grade: ${error.message}${error instanceof UsageError ? ' (see --help)' : ''}\n`);
      return EXIT_USAGE;
    }
    // The grader's own failure (GraderError: a grade saying so was written), or a bug before any grade.
    const detail = error instanceof GraderError && error.cause instanceof Error ? error.cause : error;
    io.stderr.write(`grade: internal error of the grader (not the submission's fault): ${detail instanceof Error ? (detail.stack ?? detail.message) : String(detail)}\n`);
    return EXIT_INTERNAL;
  }
}

/** Why submission code must not run here (one line), when it would run unconfined without --no-sandbox. */
function sandboxRefusal(command: Exclude<GradeCommand, { mode: 'help' }>): string | undefined {
  if (!command.sandbox) return undefined;
  const runsSubmissionCode = command.mode === 'batch' || command.runner.target.kind === 'spawned' || command.runner.client !== undefined;
  if (!runsSubmissionCode) return undefined;
  const why = sandboxUnavailable();
  return why === undefined ? undefined : `refusing to run submission code without a sandbox: ${why}; pass --no-sandbox to run it unconfined (only code you trust, or inside a platform that sandboxes it)`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
