/**
 * `npm run grade -- ...`: grade one server (a run of the conformance runner, graded after every scenario)
 * or, with --submissions, a whole class (grading/batch.ts). Exit codes in GRADE_HELP.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_USAGE, UsageError } from '../harness/runner.ts';
import { TargetStartError } from '../harness/target.ts';
import { runBatch } from './batch.ts';
import { gradeRun } from './grade-run.ts';
import { GRADE_HELP, parseGradeCommandLine } from './options.ts';
import { gradeLine } from './outputs/format.ts';
import { loadRubric, RubricError, DEFAULT_RUBRIC } from './rubric.ts';

export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseGradeCommandLine(argv);
    if (command.mode === 'help') {
      process.stdout.write(`${GRADE_HELP}\n`);
      return 0;
    }
    const rubric = loadRubric(command.rubric ?? DEFAULT_RUBRIC);
    if (command.mode === 'batch') return await runBatch(command, rubric);
    const { grade, exitCode } = await gradeRun({
      runner: command.runner,
      featurePaths: command.featurePaths,
      rubric,
      vpl: command.vpl,
      ...(command.budgetS !== undefined ? { budgetS: command.budgetS } : {}),
      ...(command.name !== undefined ? { submission: command.name } : {}),
      ...(command.manifest !== undefined ? { manifest: command.manifest } : {}),
    });
    const where = path.relative(process.cwd(), command.reportsDir) || '.';
    process.stdout.write(`Grade: ${gradeLine(grade, 3)} (${grade.state}); ${where}/grade.md, grade.json, results.json\n`);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError || error instanceof RubricError || error instanceof TargetStartError) {
      process.stderr.write(`grade: ${error.message}${error instanceof UsageError ? ' (see --help)' : ''}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`grade: the run could not complete: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_USAGE;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
