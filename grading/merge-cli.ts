/** `npm run grade:merge -- [--out dir] [--title text] <reports dirs or grade.json files...>`: one class report from shards. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../common/project-root.ts';
import { EXIT_OK, EXIT_USAGE, integerOption } from '../common/cli-support.ts';
import { writeClassReports } from './batch.ts';
import { findGradeFiles, findShardManifests, mergeGrades, missingFromShards, SHARD_MANIFEST } from './merge.ts';

export const MERGE_HELP = `Usage: npm run grade:merge -- [--out <dir>] [--title <text>] [--expect-shards <n>] <dir or grade.json>...

Joins the grade.json files found under the given folders (e.g. the reports/ of every --shard job) into one
class.csv and class.html in --out (default reports/). A submission graded twice keeps its latest grade.

A grade.json that does not add up (counts against its scenarios, category scores against their scenarios'
statuses, the total against the categories) is rejected and named on stderr.

Completeness: every batch run leaves a ${SHARD_MANIFEST} (which shard i/n it was, which submissions it had).
The merge checks that shards 1..n all arrived and that each of their submissions has a grade; n is what
the manifests say, or --expect-shards when given (so a lost artifact is noticed even when it was the only
one to say n). What is missing is listed on stderr and the exit code is 1; the report of what arrived is
still written.
Exit code: 0 merged and complete, 1 merged but something is missing or a grade file was rejected, 2 usage
error or no grade found.`;

export function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { out: { type: 'string' }, title: { type: 'string' }, 'expect-shards': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`grade:merge: ${error instanceof Error ? error.message.split('\n')[0] : String(error)} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    process.stdout.write(`${MERGE_HELP}\n`);
    return EXIT_OK;
  }
  const expectText = parsed.values['expect-shards'];
  let expectShards: number | undefined;
  try {
    expectShards = expectText === undefined ? undefined : integerOption('expect-shards', expectText, 1);
  } catch (error) {
    process.stderr.write(`grade:merge: ${(error as Error).message} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (parsed.positionals.length === 0) {
    process.stderr.write('grade:merge: give at least one folder or grade.json (see --help)\n');
    return EXIT_USAGE;
  }
  let files: string[];
  let shards: ReturnType<typeof findShardManifests>;
  try {
    const roots = parsed.positionals.map((p) => path.resolve(p));
    files = findGradeFiles(roots);
    shards = findShardManifests(roots);
  } catch (error) {
    process.stderr.write(`grade:merge: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  const { grades, dirs, warnings, rejected } = mergeGrades(files);
  for (const w of warnings) process.stderr.write(`grade:merge: warning: ${w}\n`);
  for (const r of rejected) process.stderr.write(`grade:merge: ${r}\n`);
  if (grades.length === 0) {
    process.stderr.write('grade:merge: no grade.json found\n');
    return EXIT_USAGE;
  }
  const out = path.resolve(parsed.values.out ?? path.join(PROJECT_ROOT, 'reports'));
  writeClassReports(out, grades, parsed.values.title ?? `Class grades (${grades.length} submissions, merged)`, (name) => dirs.get(name));
  const where = path.relative(process.cwd(), out) || '.';
  process.stdout.write(`Merged ${grades.length} submission(s) from ${files.length} grade file(s): ${where}/class.csv, ${where}/class.html\n`);
  const missing = [
    ...shards.problems,
    ...missingFromShards(shards.manifests, new Set(grades.map((g) => g.submission ?? '')), expectShards),
  ];
  for (const m of missing) process.stderr.write(`grade:merge: MISSING: ${m}\n`);
  if (missing.length > 0) process.stderr.write(`grade:merge: the class report is incomplete (${missing.length} problem(s) above)\n`);
  return missing.length > 0 || rejected.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
