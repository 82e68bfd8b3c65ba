/**
 * `npm run bench:grade`: grade each fixture submission (bench/grade-fixtures.ts) with `npm run grade`, one
 * after the other, each in a fresh grader process, and report how long each took: seconds per submission
 * (the grader's whole life, start-up included, as a class batch pays it) and per scenario run. Writes
 * reports/bench-grade.md and reports/bench-grade.json; prints the table.
 *
 * Like the other benchmarks it asserts nothing: the figures depend on the machine and its load (the
 * report records the load average). Exit code 0 when every fixture was graded, 1 when one was cut off
 * or left no grade, 2 on a usage error.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../common/project-root.ts';
import { graderArgs, prepareGraderBundle } from '../grading/launcher.ts';
import { GRADE_SCHEMA, type Grade } from '../grading/score.ts';
import { GRADE_FIXTURES, pickFixtures, type GradeFixture } from './grade-fixtures.ts';

export const BENCH_GRADE_HELP = `Usage: npm run bench:grade -- [options]

Grades fixture submissions (${GRADE_FIXTURES.map((f) => f.name).join(', ')})
one after the other and reports seconds per submission and per scenario. Writes <out>/bench-grade.md and .json.

  --only <names>      comma-separated fixtures (default: all)
  --tags <expr>       grade only these scenarios (default: the rubric's whole selection)
  --rounds <n>        grade the fixtures n times over, in turn (default 1): the table then gives each
                      one's median and range, and each --parallel fixture's speed-up over its serial
                      one, on the medians and round by round (on a shared machine one run proves little)
  --limit <s>         wall-clock limit per fixture (default 900); then it is stopped and reported cut off
  --out <dir>         where the reports go (default reports/)
  --json              print the JSON instead of the table
  -h, --help          this text`;

/** One fixture's measured run (or, over several rounds, its median one). */
export interface FixtureResult {
  name: string;
  what: string;
  /** The grader's whole life, ms (process start to exit); over several rounds, the median. */
  wallMs: number;
  /** Each round's wallMs, in the order they ran (one entry for a single round). */
  roundsMs: number[];
  /** The serial fixture this one is the --parallel run of. */
  parallelOf?: string;
  /** The grade's state, or "no grade" when the grader left none. */
  state: string;
  cutOff: boolean;
  counts?: Grade['counts'];
  /** Scenarios that ran to a verdict: passed + failed + not gradable. */
  ran: number;
  /** Sum of the scenarios' own durations, ms (what Cucumber timed per scenario). */
  scenarioMs: number;
  total?: number;
  max?: number;
  notes: string[];
}

/** A --parallel fixture against its serial one. */
export interface Speedup {
  serial: string;
  parallel: string;
  /** Serial median / parallel median. */
  ratio: number;
  /** Serial / parallel within each round (graded one after the other, under the same load). */
  roundRatios: number[];
}

export interface BenchGradeReport {
  startedAt: string;
  loadAverage: number[];
  cpus: number;
  tags: string;
  rounds: number;
  results: FixtureResult[];
  speedups: Speedup[];
}

/** The measured result of one fixture from its grade (undefined: the grader left none). */
export function fixtureResult(fixture: GradeFixture, wallMs: number, cutOff: boolean, grade: Grade | undefined): FixtureResult {
  const named = { name: fixture.name, what: fixture.what, wallMs, roundsMs: [wallMs], ...(fixture.parallelOf !== undefined ? { parallelOf: fixture.parallelOf } : {}) };
  if (!grade) return { ...named, state: 'no grade', cutOff, ran: 0, scenarioMs: 0, notes: [] };
  const counts = grade.counts;
  const ran = counts.passed + counts.failed + counts['not-gradable'];
  const scenarioMs = grade.scenarios.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  return { ...named, state: grade.state, cutOff, counts, ran, scenarioMs, total: grade.total, max: grade.max, notes: grade.notes };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * One fixture's rounds as one result: the median wall time, every round's, and the rest (grade, counts,
 * notes) from the round whose time is nearest the median. Any round cut off, or without a grade, shows.
 */
export function combineRounds(rounds: readonly FixtureResult[]): FixtureResult {
  const roundsMs = rounds.map((r) => r.wallMs);
  const wallMs = median(roundsMs);
  const nearest = rounds.reduce((best, r) => (Math.abs(r.wallMs - wallMs) < Math.abs(best.wallMs - wallMs) ? r : best));
  const failing = rounds.find((r) => r.state === 'no grade');
  return { ...(failing ?? nearest), wallMs, roundsMs, cutOff: rounds.some((r) => r.cutOff) };
}

/** Each --parallel fixture graded beside its serial one: its speed-up, on the medians and round by round. */
export function speedupsOf(results: readonly FixtureResult[]): Speedup[] {
  return results.flatMap((parallel) => {
    const serial = results.find((r) => r.name === parallel.parallelOf);
    if (serial === undefined) return [];
    const roundRatios = serial.roundsMs.flatMap((ms, i) => (parallel.roundsMs[i] !== undefined ? [ms / parallel.roundsMs[i]!] : []));
    return [{ serial: serial.name, parallel: parallel.name, ratio: serial.wallMs / parallel.wallMs, roundRatios }];
  });
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const range = (values: readonly number[], format: (value: number) => string): string => `${format(Math.min(...values))}-${format(Math.max(...values))}`;
const times = (ratio: number): string => `${ratio.toFixed(2)}x`;

/** The report as Markdown: one row per fixture, then each fixture's run notes. */
export function benchGradeMarkdown(report: BenchGradeReport): string {
  const rows = report.results.map((r) => {
    const c = r.counts;
    const perScenario = r.ran > 0 ? (r.wallMs / r.ran / 1000).toFixed(3) : '-';
    const ownPerScenario = r.ran > 0 ? (r.scenarioMs / r.ran / 1000).toFixed(3) : '-';
    const statuses = c ? `${c.passed} / ${c.failed} / ${c['not-gradable']} / ${c['not-run']} / ${c.filtered}` : '-';
    const grade = r.total !== undefined && r.max !== undefined ? `${r.total.toFixed(2)} / ${r.max.toFixed(2)}` : '-';
    const wall = r.roundsMs.length > 1 ? `${seconds(r.wallMs)} (${range(r.roundsMs, seconds)})` : seconds(r.wallMs);
    return `| ${r.name} | ${r.what} | ${wall} | ${r.ran} | ${perScenario} | ${ownPerScenario} | ${statuses} | ${r.cutOff ? 'CUT OFF' : r.state} | ${grade} |`;
  });
  const notes = report.results.flatMap((r) => (r.notes.length > 0 ? [`- **${r.name}**: ${r.notes.join('; ')}`] : []));
  const speedups = report.speedups.map(
    (x) => `| ${x.parallel} against ${x.serial} | ${times(x.ratio)} | ${x.roundRatios.length > 1 ? `${range(x.roundRatios, times)} (${x.roundRatios.map(times).join(', ')})` : times(x.roundRatios[0] ?? x.ratio)} |`,
  );
  return [
    '# bench:grade',
    '',
    `${report.startedAt}; ${report.cpus} CPUs, load average ${report.loadAverage.map((l) => l.toFixed(2)).join(' ')} at the start${report.tags ? `; --tags ${report.tags}` : ''}${report.rounds > 1 ? `; ${report.rounds} rounds, each fixture's median (and range)` : ''}.`,
    '',
    '| fixture | what | s per submission | scenarios run | s per scenario (wall) | s per scenario (own) | passed / failed / not gradable / not run / filtered | state | grade |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '"s per submission" is the grader process from start to exit; "s per scenario (wall)" divides it by the',
    'scenarios that ran to a verdict; "(own)" is the mean of what Cucumber timed per scenario (without start-up).',
    '',
    ...(speedups.length > 0
      ? ['`--parallel 2` against serial (serial time / parallel time):', '', '| fixtures | on the medians | round by round |', '|---|---|---|', ...speedups, '']
      : []),
    ...(notes.length > 0 ? ['Run notes:', '', ...notes, ''] : []),
  ].join('\n');
}

function readGrade(file: string): Grade | undefined {
  try {
    const grade = JSON.parse(fs.readFileSync(file, 'utf8')) as Grade;
    return grade.schema === GRADE_SCHEMA ? grade : undefined;
  } catch {
    return undefined;
  }
}

/** Grade one fixture in a fresh grader process, bounded by `limitS` (then its process group is stopped). */
async function gradeFixture(fixture: GradeFixture, outDir: string, tags: string, limitS: number): Promise<FixtureResult> {
  const reports = path.join(outDir, 'bench-grade', fixture.name);
  fs.rmSync(reports, { recursive: true, force: true });
  // The fixtures are the project's own trusted servers, and the bench measures the harness: no sandbox.
  const args = graderArgs(['--no-sandbox', ...fixture.args(), '--name', fixture.name, '--reports', reports, ...(tags ? ['--tags', tags] : [])]);
  const started = Date.now();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let cutOff = false;
  const kill = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    cutOff = true;
    kill('SIGTERM');
    setTimeout(() => kill('SIGKILL'), 5000).unref();
  }, limitS * 1000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  const wallMs = Date.now() - started;
  const grade = readGrade(path.join(reports, 'grade.json'));
  if (!grade) process.stderr.write(`bench:grade: ${fixture.name} left no grade (exit code ${code ?? '?'}):\n${stderr}\n`);
  return fixtureResult(fixture, wallMs, cutOff, grade);
}

export async function main(argv: string[], stdout: { write(text: string): unknown } = process.stdout): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        only: { type: 'string' },
        tags: { type: 'string' },
        limit: { type: 'string' },
        rounds: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`bench:grade: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} (see --help)\n`);
    return 2;
  }
  if (values.help) {
    stdout.write(`${BENCH_GRADE_HELP}\n`);
    return 0;
  }
  let fixtures: GradeFixture[];
  try {
    fixtures = pickFixtures(values.only);
  } catch (error) {
    process.stderr.write(`bench:grade: ${(error as Error).message}\n`);
    return 2;
  }
  const limitS = Number(values.limit ?? 900);
  if (!Number.isFinite(limitS) || limitS <= 0) {
    process.stderr.write(`bench:grade: --limit must be a positive number of seconds, got "${values.limit}"\n`);
    return 2;
  }
  const rounds = Number(values.rounds ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write(`bench:grade: --rounds must be a positive whole number, got "${values.rounds}"\n`);
    return 2;
  }
  const out = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'reports'));
  fs.mkdirSync(out, { recursive: true });
  const report: BenchGradeReport = { startedAt: new Date().toISOString(), loadAverage: os.loadavg(), cpus: os.cpus().length, tags: values.tags ?? '', rounds, results: [], speedups: [] };
  // Made here, so that the first fixture's time does not include making it.
  const unbundled = await prepareGraderBundle();
  if (unbundled !== undefined) process.stderr.write(`bench:grade: the graders run from source, slower (the bundle could not be made: ${unbundled})\n`);
  // Round by round, every fixture in turn: a load that comes and goes weighs on all of them alike.
  const byFixture = new Map<string, FixtureResult[]>(fixtures.map((f) => [f.name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const fixture of fixtures) {
      if (!values.json) stdout.write(`grading ${fixture.name} (${fixture.what})${rounds > 1 ? `, round ${round} of ${rounds}` : ''}...\n`);
      const result = await gradeFixture(fixture, out, report.tags, limitS);
      byFixture.get(fixture.name)!.push(result);
      if (!values.json) stdout.write(`  ${seconds(result.wallMs)} s, ${result.ran} scenarios run, ${result.cutOff ? 'CUT OFF' : result.state}\n`);
    }
  }
  report.results = fixtures.map((f) => combineRounds(byFixture.get(f.name)!));
  report.speedups = speedupsOf(report.results);
  const markdown = benchGradeMarkdown(report);
  fs.writeFileSync(path.join(out, 'bench-grade.md'), markdown);
  fs.writeFileSync(path.join(out, 'bench-grade.json'), `${JSON.stringify(report, null, 2)}\n`);
  stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `\n${markdown}`);
  return report.results.every((r) => !r.cutOff && r.state !== 'no grade') ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
