/**
 * `npm run grade` command line (node:util parseArgs). Options that belong to the conformance runner are
 * handed, re-serialised, to harness/cli/conformance.ts's parser, so their meaning and validation are exactly the
 * runner's; the rest are the grader's own.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseCommandLine, resolveProfile } from '../harness/cli/conformance.ts';
import type { RunnerOptions } from '../harness/run/runner.ts';
import { PROJECT_ROOT } from '../common/project-root.ts';
import { integerOption, UsageError, usageErrorFrom } from '../common/cli-support.ts';
import { parseArgsMessage } from '../common/plain-errors.ts';

export const GRADE_HELP = `Usage: npm run grade -- [options] [feature files or directories...]

Runs the conformance suite against a server and grades it with a rubric. Writes to --reports (default
reports/): grade.json, grade.md, results.json (Gradescope), kept up to date after every scenario, plus the
runner's summary.md, junit.xml, cucumber.html, messages.ndjson.

One server:
  --server "<command>"       spawn it; {port} is replaced by a free port, e.g. "python3 server.py {port}"
  --target <host:port>       a server that is already running
  (neither: the bundled reference server)
  --oper-password <secret>   the server's operator password (else @operator scenarios are filtered out)
  --start-timeout <ms>       how long a spawned server may take to accept connections (default 10000)

A class (batch mode):
  --submissions <dir>        grade every sub-folder of <dir>; --server must then use {dir} (the
                             sub-folder, absolute) and {port}, e.g. --server "python3 {dir}/server.py {port}".
                             The server (and the --client program) runs with the sub-folder as its working
                             directory; --client and --profile may use {dir} too. A profile.json in a
                             sub-folder is that submission's profile (unless --profile uses {dir})
  --jobs <n>                 submissions graded at once (default 2), each its own grader and port
  --limit <s>                wall-clock limit per submission (default 600): then its whole process group
                             is stopped and it is graded on what ran
  --output-cap <bytes>       keep at most this much of a submission's grader output (default 262144)
  --shard <i/n>              grade only shard i of n (1-based; submissions sorted by name, every n-th)
  Writes reports/submissions/<name>/ per submission, reports/class.csv and reports/class.html.

Sandbox (the submission's server, client and whatever they start; docs/GRADING.md "Sandbox"):
  --submission-dir <dir>     the folder the sandbox shows (a private read-only copy of it, at its own
                             path); needed with --server or --client. Batch mode: each sub-folder
  --sandbox-allow <dir>      also show this folder read-only (e.g. a course library); repeatable
  --no-sandbox               run submission code unconfined: only for code you trust, or inside a platform
                             that is itself a sandbox (Gradescope, VPL). Without bubblewrap, grading a
                             --server or --client refuses to start unless this is given

Grading:
  --rubric <name|path>       rubrics/<name>.json or a JSON file (default course)
  --budget <s>               total time budget of a single run: scenarios that cannot finish in it are
                             skipped and reported as not run (in batch mode derived from --limit)
  --format <text|vpl>        vpl: also print Moodle VPL "Grade :=>>" lines (a running one after each
                             scenario) and "Comment :=>>" lines
  --name <label>             the submission's name in the reports
  --manifest <file>          the submission's chat-conformance.json (which optional features it says it
                             implements): failures of features it declares not implemented are reported
                             apart from those it claims (batch: read from each sub-folder)
  --reports <dir>            where reports go (default reports/)

Passed to the runner: --profile, --client, --tags, --timeout, --quiet-ms, --fixed-quiet, --run-ungradable, --parallel,
--isolation, --steps, --seed, --load-scale, --repeat, --shuffle, --diff (grade.md then shows flaky verdicts and the side by side with
the reference server; the rubric's "flaky" says how a flaky scenario counts).
Feature paths default to features/.

Exit code: 0 every counted scenario passed (batch: every submission was graded), 1 something failed or did
not run, 2 usage error (or no sandbox available), 3 internal error of the grader (a grade saying so is
still written).`;

const OPTIONS = {
  server: { type: 'string' },
  target: { type: 'string' },
  'oper-password': { type: 'string' },
  'start-timeout': { type: 'string' },
  profile: { type: 'string' },
  client: { type: 'string' },
  tags: { type: 'string' },
  timeout: { type: 'string' },
  'quiet-ms': { type: 'string' },
  'fixed-quiet': { type: 'boolean' },
  'run-ungradable': { type: 'boolean' },
  parallel: { type: 'string' },
  isolation: { type: 'string' },
  steps: { type: 'string', multiple: true },
  seed: { type: 'string' },
  'load-scale': { type: 'string' },
  diff: { type: 'boolean' },
  repeat: { type: 'string' },
  shuffle: { type: 'boolean' },
  reports: { type: 'string' },
  rubric: { type: 'string' },
  budget: { type: 'string' },
  format: { type: 'string' },
  name: { type: 'string' },
  manifest: { type: 'string' },
  submissions: { type: 'string' },
  jobs: { type: 'string' },
  limit: { type: 'string' },
  'output-cap': { type: 'string' },
  shard: { type: 'string' },
  'no-sandbox': { type: 'boolean' },
  'sandbox-allow': { type: 'string', multiple: true },
  'submission-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options the runner's own parser understands, passed on verbatim. */
const RUNNER_OPTIONS = ['server', 'target', 'oper-password', 'start-timeout', 'profile', 'client', 'tags', 'timeout', 'quiet-ms', 'fixed-quiet', 'run-ungradable', 'parallel', 'isolation', 'steps', 'seed', 'load-scale', 'repeat'] as const;
/** Runner flags without a value, passed on when given. */
const RUNNER_FLAGS = ['diff', 'shuffle'] as const;

export interface Shard {
  index: number;
  count: number;
}

export interface CommonGradeOptions {
  /** False with --no-sandbox: the submission's processes run unconfined. */
  sandbox: boolean;
  /** More folders every sandbox shows read-only (--sandbox-allow), absolute. */
  sandboxAllow: string[];
  rubric: string | undefined;
  vpl: boolean;
  reportsDir: string;
  featurePaths: string[];
}

export interface SingleGradeCommand extends CommonGradeOptions {
  mode: 'single';
  runner: RunnerOptions;
  budgetS?: number;
  name?: string;
  /** The submission's chat-conformance.json (absolute). */
  manifest?: string;
}

export interface BatchGradeCommand extends CommonGradeOptions {
  mode: 'batch';
  submissionsDir: string;
  /** The --server template with {dir} (and {port}, unless the submission's profile gives server.port). */
  serverTemplate: string;
  /** The --client template, {dir} allowed: each submission's own client program (client-driven mode). */
  clientTemplate?: string;
  /** The --profile value, {dir} allowed; a profile.json in the submission folder wins when it has no {dir}. */
  profileTemplate?: string;
  /** Runner options passed to each submission's grader, as command-line arguments (without --server, --client, --profile). */
  passThrough: string[];
  /** The user's --tags ('' for none), also inside passThrough. */
  tags: string;
  jobs: number;
  limitS: number;
  outputCapBytes: number;
  shard?: Shard;
}

export type GradeCommand = { mode: 'help' } | SingleGradeCommand | BatchGradeCommand;

function positiveNumber(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (integer) return integerOption(name, value.trim(), 1);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || Number(value) <= 0) throw new UsageError(`--${name} must be a positive number, got "${value}"`);
  return Number(value);
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 2/4), got "${text}"`);
  return { index, count };
}

export function parseGradeCommandLine(argv: string[], cwd: string = process.cwd()): GradeCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, OPTIONS) ?? usageErrorFrom(error).message);
  }
  const v = parsed.values;
  if (v.help) return { mode: 'help' };
  const format = v.format ?? 'text';
  if (format !== 'text' && format !== 'vpl') throw new UsageError(`--format must be text or vpl, got "${format}"`);
  const featurePaths = parsed.positionals.length > 0 ? parsed.positionals.map((p) => path.resolve(cwd, p)) : [path.join(PROJECT_ROOT, 'features')];
  const common: CommonGradeOptions = {
    sandbox: v['no-sandbox'] !== true,
    sandboxAllow: (v['sandbox-allow'] ?? []).map((p) => path.resolve(cwd, p)),
    rubric: v.rubric,
    vpl: format === 'vpl',
    reportsDir: path.resolve(cwd, v.reports ?? path.join(PROJECT_ROOT, 'reports')),
    featurePaths,
  };

  // Paths become absolute: in batch mode they are read by graders running in the project root.
  // A --profile with {dir} names a file per submission: it is resolved per submission (grading/batch.ts).
  const absolute = (name: string, value: string): string =>
    name === 'steps' ? path.resolve(cwd, value) : name === 'profile' && !value.includes('{dir}') ? resolveProfile(value, cwd) : value;
  const runnerArgs: string[] = [];
  for (const name of RUNNER_OPTIONS) {
    const value = v[name];
    if (value === undefined || value === false) continue;
    if (value === true) {
      runnerArgs.push(`--${name}`);
      continue;
    }
    for (const one of Array.isArray(value) ? value : [value]) runnerArgs.push(`--${name}`, absolute(name, one));
  }
  for (const name of RUNNER_FLAGS) if (v[name]) runnerArgs.push(`--${name}`);

  if (v.submissions !== undefined) {
    // {port} may be missing when submissions hard-code their port (profile server.port): each grader checks that.
    if (v.server === undefined || !v.server.includes('{dir}')) {
      throw new UsageError('--submissions needs --server "<command with {dir} and {port}>", e.g. "python3 {dir}/server.py {port}"');
    }
    if (v.target !== undefined) throw new UsageError('--submissions and --target are mutually exclusive');
    if (v.budget !== undefined) throw new UsageError('--budget applies to one run; in batch mode each submission gets a budget from --limit');
    if (v.name !== undefined) throw new UsageError('--name applies to one run; in batch mode the sub-folder names the submission');
    if (v.manifest !== undefined) throw new UsageError('--manifest applies to one run; in batch mode each sub-folder\'s chat-conformance.json is read');
    if (format === 'vpl') throw new UsageError('--format vpl applies to one run (a VPL grader grades one submission)');
    if (v['submission-dir'] !== undefined) throw new UsageError('--submission-dir applies to one run; in batch mode each sub-folder is one');
    // Validate the runner options once, up front, with stand-ins (a typo must not fail N times). The
    // profile is per submission (its own profile.json, or {dir}), so the probe uses the default one, and
    // a server or client without {port} is left to each grader (its profile may give server.port).
    const perSubmission = new Set(['--server', '--client', '--profile']);
    const passThrough = runnerArgs.filter((a, i) => !perSubmission.has(a) && !perSubmission.has(runnerArgs[i - 1] ?? ''));
    const probe = (template: string | undefined): string | undefined => template && `${template.replaceAll('{dir}', '/tmp')}${template.includes('{port}') ? '' : ' {port}'}`;
    parseCommandLine([...passThrough, '--server', probe(v.server)!, ...(v.client !== undefined ? ['--client', probe(v.client)!] : [])], cwd);
    return {
      mode: 'batch',
      ...common,
      submissionsDir: path.resolve(cwd, v.submissions),
      serverTemplate: v.server,
      ...(v.client !== undefined ? { clientTemplate: v.client } : {}),
      ...(v.profile !== undefined ? { profileTemplate: absolute('profile', v.profile) } : {}),
      passThrough,
      tags: v.tags ?? '',
      jobs: positiveNumber('jobs', v.jobs, 2, true),
      limitS: positiveNumber('limit', v.limit, 600, false),
      outputCapBytes: positiveNumber('output-cap', v['output-cap'], 256 * 1024, true),
      ...(v.shard !== undefined ? { shard: parseShard(v.shard) } : {}),
    };
  }

  for (const batchOnly of ['jobs', 'limit', 'output-cap', 'shard'] as const) {
    if (v[batchOnly] !== undefined) throw new UsageError(`--${batchOnly} only applies with --submissions`);
  }
  for (const name of ['server', 'client', 'profile'] as const) {
    if (v[name]?.includes('{dir}')) throw new UsageError(`--${name}: {dir} (a submission's folder) only applies with --submissions`);
  }
  const runnerParsed = parseCommandLine(runnerArgs, cwd);
  if (runnerParsed.help) return { mode: 'help' };
  if (!common.sandbox && (v['sandbox-allow'] !== undefined || v['submission-dir'] !== undefined)) {
    throw new UsageError('--sandbox-allow and --submission-dir describe the sandbox: they cannot go with --no-sandbox');
  }
  const runsSubmissionCode = v.server !== undefined || v.client !== undefined;
  if (common.sandbox && runsSubmissionCode && v['submission-dir'] === undefined) {
    throw new UsageError('--server and --client run submission code in a sandbox that shows one folder: give it with --submission-dir <folder> (or pass --no-sandbox for code you trust)');
  }
  const sandbox = common.sandbox && runsSubmissionCode ? { dir: path.resolve(cwd, v['submission-dir']!), allow: common.sandboxAllow } : undefined;
  return {
    mode: 'single',
    ...common,
    runner: { ...runnerParsed.options, reportsDir: common.reportsDir, features: featurePaths, ...(sandbox ? { sandbox } : {}) },
    ...(v.budget !== undefined ? { budgetS: positiveNumber('budget', v.budget, 0, false) } : {}),
    ...(v.name !== undefined ? { name: v.name } : {}),
    ...(v.manifest !== undefined ? { manifest: path.resolve(cwd, v.manifest) } : {}),
  };
}
