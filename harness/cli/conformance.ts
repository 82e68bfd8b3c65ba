/**
 * `npm run conformance -- [options] [feature paths...]`: parse the command line (node:util parseArgs),
 * hand a checked RunnerOptions to the runner, map the outcome to an exit code:
 * 0 every selected scenario passed (not gradable ones included), 1 a scenario failed,
 * 2 usage error or the target cannot be reached/started (one line on stderr, no stack trace).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT_INTERNAL, planRun, runConformance, type RunnerIo, type RunnerOptions } from '../run/runner.ts';
import { PROJECT_ROOT } from '../../common/project-root.ts';
import { EXIT_USAGE, integerOption, UsageError, usageErrorFrom } from '../../common/cli-support.ts';
import { TargetStartError, type Isolation, type TargetAddress, type TargetChoice } from '../target/index.ts';
import { loadProfile, ProfileError } from '../dialect/load-profile.ts';
import { FLOOR_MS, MULTIPLIER } from '../wire/quiet-wait.ts';
import { parseArgsMessage } from '../../common/plain-errors.ts';
import { formatList, jsonSummary, lastFailures, versionText } from './actions.ts';
import type { RunContext } from '../reports/run-context.ts';
import type { RunModel } from '../reports/run-model.ts';

export const HELP = `Usage: npm run conformance -- [options] [feature files, file:line or globs...]

Runs the conformance features against a chat server and writes reports.

What to run (default: every feature in features/):
  features/kick.feature      one feature file (globs work too: "features/*.feature")
  features/kick.feature:40   only the scenario at line 40 (the line a failure report names); repeat
                             ":line" for several: features/kick.feature:40:52
  --rerun-failed             only the scenarios that failed in the last run (read from --reports)
  --list                     print the scenarios a run would select (and what it would leave out), run nothing

Target (pick at most one; default: the bundled reference server, started in-process):
  --target <host:port>       a server that is already running (never restarted). @pristine scenarios
                             are left out (other clients may be on it), and @operator ones too unless
                             --oper-password is given
  --server "<command>"       spawn the server under test: a shell command where {port} is replaced by a
                             free port, e.g. --server "python3 server.py {port}". It is restarted when it
                             dies (the crash is named in the scenario that saw it) and its whole process
                             group is killed at the end
  --isolation <level>        with --server or the default target: restart the server per
                             run (default) | feature | scenario. feature/scenario need a serial run
  --start-timeout <ms>       how long a spawned server may take to accept connections (default 10000)
  --oper-password <secret>   the target's operator password: enables @operator scenarios

Selection and timing:
  --profile <name|path>      dialect profile: profiles/<name>.json or a path (default canonical)
  --client "<command>"       client-driven mode: each user is this client program, started with {host}
                             and {port} replaced (e.g. --client "python3 client.py {host} {port}"); its
                             stdin is what the user types, its stdout what the user sees, so the profile
                             describes typed lines and displayed text (e.g. --profile seed-client).
                             A client with a fixed port needs no {port} when the profile gives server.port
  --tags <expression>        Cucumber tag expression, e.g. "@v0 and not @kick"
  --parallel <n>             run n scenarios at once (default: serial): in this process, which starts
                             at once, and, against a server of its own (--server, --target) on a
                             machine of 3 cores or more, in one worker process that joins when it
                             has started (CHAT_CONFORMANCE_LANE_WORKER=always|never overrides
                             that rule). Scenarios tagged @pristine or @exclusive still run alone,
                             and @server-wide too unless the runner started the server (then each
                             gets an instance of its own and runs beside the others); those the last
                             run against the same server found long start first, one at a time while
                             short ones fill the other lanes (node_modules/.cache/scenario-durations.json)
  --timeout <ms>             per-expectation timeout (default 2000)
  --quiet-ms <ms>            quiet period for "nothing happens" checks without a barrier (default 300)
  --force-quiet              use the quiet period even when the profile has a barrier (to measure it)
  --fixed-quiet              without a barrier, always wait --quiet-ms; by default the wait is learned:
                             ${MULTIPLIER} x the 90th percentile of the reply latency, at least ${FLOOR_MS} ms, at most
                             half of --timeout (the run's notes say what was learned)
  --run-ungradable           also run the scenarios the profile cannot grade, up to the step it cannot
                             express; by default they end "not gradable" before they start, found first
                             against the bundled reference server with what the profile lacks
  --steps <glob>             support code to load, repeatable (default steps/**/*.ts)
  --seed <n>                 seed of the harness's random choices (the @load storms); printed by a failing
                             @load scenario, so a run can be replayed
  --load-scale <n>           make the @load crowds n times bigger (default 1, the size CI runs)

Beyond pass/fail:
  --diff                     run each failed scenario against the bundled reference server too (through
                             the same profile where it can drive it, else the canonical one) and show both
                             transcripts side by side, the first divergence marked
  --repeat <n>               run the selection n times; a scenario that passes in some runs and fails in
                             others is reported flaky (and failed), with a passing and a failing run
  --shuffle                  run the scenarios in a random order from --seed (a random seed is drawn and
                             printed when none is given)
  --fail-fast                stop at the first failed scenario (the rest are reported skipped)

Output:
  --reports <dir>            where reports go (default reports/): summary.md, cucumber.html, junit.xml,
                             messages.ndjson
  --json                     a JSON summary on stdout (verdict, counts, each failure); the usual text goes
                             to stderr
  --verbose                  failures with the stack trace and assertion diff (for harness developers)
  --version                  the version of the harness
  -h, --help                 this text

Exit code: 0 every selected scenario passed (not gradable ones do not fail a run), 1 a scenario failed,
2 usage error or unreachable target, 3 internal error of the harness (its reports are still written).`;

const OPTIONS = {
  target: { type: 'string' },
  server: { type: 'string' },
  isolation: { type: 'string' },
  'start-timeout': { type: 'string' },
  'oper-password': { type: 'string' },
  profile: { type: 'string' },
  client: { type: 'string' },
  tags: { type: 'string' },
  parallel: { type: 'string' },
  timeout: { type: 'string' },
  'quiet-ms': { type: 'string' },
  'force-quiet': { type: 'boolean' },
  'fixed-quiet': { type: 'boolean' },
  'run-ungradable': { type: 'boolean' },
  steps: { type: 'string', multiple: true },
  seed: { type: 'string' },
  'load-scale': { type: 'string' },
  diff: { type: 'boolean' },
  repeat: { type: 'string' },
  shuffle: { type: 'boolean' },
  reports: { type: 'string' },
  'rerun-failed': { type: 'boolean' },
  list: { type: 'boolean' },
  'fail-fast': { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ISOLATIONS: readonly Isolation[] = ['run', 'feature', 'scenario'];

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  return value === undefined ? fallback : integerOption(name, value.trim(), min);
}

export function parseHostPort(text: string): TargetAddress {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) throw new UsageError(`--target must be host:port (e.g. 127.0.0.1:1459), got "${text}"`);
  return { host: match[1] ?? match[2]!, port };
}

/** A profile name must name profiles/<name>.json; anything that looks like a path must exist. */
export function resolveProfile(value: string, cwd: string): string {
  const looksLikePath = value.includes('/') || value.includes(path.sep) || value.endsWith('.json');
  if (looksLikePath) {
    const file = path.resolve(cwd, value);
    if (!fs.existsSync(file)) throw new UsageError(`--profile: no such file ${value}`);
    return file;
  }
  const file = path.join(PROJECT_ROOT, 'profiles', `${value}.json`);
  if (!fs.existsSync(file)) {
    const available = fs.existsSync(path.join(PROJECT_ROOT, 'profiles'))
      ? fs
          .readdirSync(path.join(PROJECT_ROOT, 'profiles'))
          .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
          .map((f) => f.slice(0, -5))
      : [];
    throw new UsageError(`--profile: unknown profile "${value}" (available: ${available.join(', ') || 'none'})`);
  }
  return value;
}

/** What the conformance command does besides running: list instead, re-run the last failures, print JSON. */
export interface CliActions {
  list: boolean;
  rerunFailed: boolean;
  json: boolean;
}

export type ParsedCommandLine = { help: true; show?: 'help' | 'version' } | { help: false; options: RunnerOptions; actions: CliActions };

export function parseCommandLine(argv: string[], cwd: string = process.cwd()): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, OPTIONS) ?? usageErrorFrom(error).message);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  if (v.version) return { help: true, show: 'version' };
  if (v['rerun-failed'] && parsed.positionals.length > 0) throw new UsageError('--rerun-failed picks the scenarios itself: give it no feature paths');

  if (v.target !== undefined && v.server !== undefined) throw new UsageError('--target and --server are mutually exclusive');
  const profile = resolveProfile(v.profile ?? 'canonical', cwd);
  // How a spawned submission behaves (fixed port, readiness, restarts) is part of its profile.
  const serverSpec = loadProfile(profile).server;
  const parallel = integer('parallel', v.parallel, 1, 1);
  if (serverSpec.port !== undefined && v.server !== undefined && parallel > 1) {
    throw new UsageError(`the profile says the server always listens on port ${serverSpec.port}: scenarios run one at a time, without --parallel`);
  }
  const isolation = (v.isolation ?? (v.server !== undefined ? serverSpec.restart : undefined) ?? 'run') as Isolation;
  if (!ISOLATIONS.includes(isolation)) throw new UsageError(`--isolation must be one of ${ISOLATIONS.join(', ')}, got "${v.isolation}"`);
  if (v.isolation !== undefined && v.target !== undefined) throw new UsageError('--isolation needs a server the runner starts (--server or the default), not --target');
  if (isolation !== 'run' && parallel > 1) {
    throw new UsageError(`--isolation ${isolation} restarts the server between scenarios, which parallel workers share: use it without --parallel`);
  }
  if (v['start-timeout'] !== undefined && v.server === undefined) throw new UsageError('--start-timeout only applies to --server');

  let target: TargetChoice;
  if (v.target !== undefined) {
    target = { kind: 'external', address: parseHostPort(v.target), operPassword: v['oper-password'] };
  } else if (v.server !== undefined) {
    if (!v.server.includes('{port}') && serverSpec.port === undefined) {
      throw new UsageError('--server command must contain {port} (replaced by the port the server must listen on), unless the profile gives server.port');
    }
    target = {
      kind: 'spawned',
      command: v.server,
      startTimeoutMs: integer('start-timeout', v['start-timeout'], 10_000, 1),
      operPassword: v['oper-password'],
      ...(serverSpec.port !== undefined ? { port: serverSpec.port } : {}),
      ...(serverSpec.readiness !== undefined ? { readiness: serverSpec.readiness } : {}),
    };
  } else {
    if (v['oper-password'] !== undefined) throw new UsageError('--oper-password applies to --target or --server; the embedded reference server gets a random one');
    target = { kind: 'embedded' };
  }

  // A client that hard-codes its port can only reach a server on that port: the profile's server.port
  // (the submission's fixed port), or a --target the user points at it.
  if (v.client !== undefined && !v.client.includes('{port}') && serverSpec.port === undefined && v.target === undefined) {
    throw new UsageError('--client command must contain {port} (and usually {host}): where the client connects; a client with a fixed port needs the profile\'s server.port (or --target)');
  }

  const features = parsed.positionals.length > 0 ? parsed.positionals.map((p) => path.resolve(cwd, p)) : [path.join(PROJECT_ROOT, 'features', '**', '*.feature')];
  const steps = (v.steps ?? []).length > 0 ? v.steps!.map((p) => path.resolve(cwd, p)) : [path.join(PROJECT_ROOT, 'steps', '**', '*.ts')];

  return {
    help: false,
    options: {
      target,
      profile,
      tags: v.tags ?? '',
      parallel,
      timeoutMs: integer('timeout', v.timeout, 2000, 1),
      quietMs: integer('quiet-ms', v['quiet-ms'], 300, 0),
      forceQuiet: v['force-quiet'] ?? false,
      ...(v['fixed-quiet'] ? { fixedQuiet: true } : {}),
      ...(v['run-ungradable'] ? { runUngradable: true } : {}),
      isolation,
      reportsDir: path.resolve(cwd, v.reports ?? path.join(PROJECT_ROOT, 'reports')),
      features,
      steps,
      ...(v.client !== undefined ? { client: v.client } : {}),
      ...(v.seed !== undefined ? { seed: integer('seed', v.seed, 0, 0) } : {}),
      ...(v['load-scale'] !== undefined ? { loadScale: integer('load-scale', v['load-scale'], 1, 1) } : {}),
      ...(v.repeat !== undefined ? { repeat: integer('repeat', v.repeat, 1, 1) } : {}),
      ...(v.shuffle ? { shuffle: true } : {}),
      ...(v.diff ? { diff: true } : {}),
      ...(v['fail-fast'] ? { failFast: true } : {}),
      ...(v.verbose ? { verbose: true } : {}),
    },
    actions: { list: v.list ?? false, rerunFailed: v['rerun-failed'] ?? false, json: v.json ?? false },
  };
}

/**
 * The command: its exit code. `io` and `cwd` are the process's own when run as a command; a process that
 * runs several suites (the proof tests) gives its own streams and gets the same behaviour.
 */
export async function main(argv: string[], io: RunnerIo = { stdout: process.stdout, stderr: process.stderr }, cwd: string = process.cwd()): Promise<number> {
  const json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(argv, cwd);
    if (parsed.help) {
      io.stdout.write(`${parsed.show === 'version' ? await versionText() : HELP}\n`);
      return 0;
    }
    const { options, actions } = parsed;
    // Validate the profile once, before any target starts: a broken profile is one clear message
    // (one line per problem), not the same error repeated in every scenario.
    loadProfile(options.profile);
    if (actions.rerunFailed) {
      const failed = await lastFailures(options.reportsDir);
      if (failed.length === 0) {
        const note = `nothing failed in the last run (${path.relative(cwd, options.reportsDir) || '.'}/messages.ndjson): nothing to re-run`;
        io.stderr.write(`conformance: ${note}\n`);
        if (json) io.stdout.write(`${JSON.stringify({ result: 'PASS', exitCode: 0, note })}\n`);
        return 0;
      }
      options.features = failed;
    }
    if (actions.list) {
      const plan = await planRun(options);
      io.stdout.write(`${json ? JSON.stringify(plan, null, 2) : formatList(plan)}\n`);
      return 0;
    }
    if (!json) return await runConformance(options, io);
    // --json: stdout carries the JSON only; what a person reads goes to stderr.
    let finished: { model: RunModel; context: RunContext } | undefined;
    const exitCode = await runConformance(options, { stdout: io.stderr, stderr: io.stderr }, { onFinished: (model, context) => void (finished = { model, context }) });
    if (finished) io.stdout.write(`${JSON.stringify(jsonSummary(finished.model, finished.context, options.reportsDir, exitCode), null, 2)}\n`);
    return exitCode;
  } catch (error) {
    const code = reportError(error, io.stderr);
    if (json) io.stdout.write(`${JSON.stringify({ result: 'ERROR', exitCode: code, error: error instanceof Error ? error.message : String(error) })}\n`);
    return code;
  }
}

/** One line on stderr for an error that stops the command before or instead of a run; the exit code. */
function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof ProfileError) {
    stderr.write(`conformance: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    stderr.write(`conformance: ${error.message} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (error instanceof TargetStartError) {
    stderr.write(`conformance: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // Anything else (broken support code, a bug, RangeError): the harness's failure, with its own exit code.
  stderr.write(`conformance: internal error of the harness (not the server's fault): ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_INTERNAL;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(await main(process.argv.slice(2)));
}
