/**
 * The conformance suite as Stryker's test command (`npm run mutation`, stryker.config.mjs).
 *
 * Same scenarios, step definitions and embedded reference server as `npm run conformance` (so what is
 * measured is the suite's power, not a special one), with two differences that only make it cheaper:
 * it stops at the first failing scenario (a mutant is killed by one failure; without fail-fast a mutant
 * that breaks registration would wait out every scenario's timeout), and it writes no report files.
 * Exit code 0: every scenario passed (the mutant survived); 1: a scenario failed (killed).
 *
 * Run inside Stryker's sandbox, the embedded server is the sandbox's instrumented copy of
 * reference-server/, and __STRYKER_ACTIVE_MUTANT__ (set by Stryker's command runner) picks the mutant.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { runCucumber, type IRunOptions } from '@cucumber/cucumber/api';
import { createTarget, startControlServer } from '../harness/target.ts';
import type { HarnessParameters } from '../harness/session-api.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Per-expectation timeout; the harness default. Shorter would risk killing mutants by mere load. */
const TIMEOUT_MS = Number(process.env.MUTATION_SCENARIO_TIMEOUT_MS ?? 2000);

async function main(): Promise<number> {
  const target = createTarget({ kind: 'embedded' });
  const address = await target.start();
  const control = await startControlServer(target, 'run');
  try {
    const parameters: HarnessParameters = {
      target: address,
      profile: 'canonical',
      timeoutMs: TIMEOUT_MS,
      quietMs: 300,
      forceQuiet: false,
      pristine: true,
      ...(target.operPassword !== undefined ? { operPassword: target.operPassword } : {}),
      controlUrl: control.url,
    };
    const options: IRunOptions = {
      sources: { paths: [path.join(ROOT, 'features', '**', '*.feature')], defaultDialect: 'en', names: [], tagExpression: '', order: 'defined' },
      support: { importPaths: [path.join(ROOT, 'steps', '**', '*.ts')], requireModules: [], requirePaths: [], loaders: [] },
      runtime: {
        dryRun: false,
        failFast: true,
        filterStacktraces: true,
        parallel: 0,
        retry: 0,
        retryTagFilter: '',
        strict: false, // as the runner: a not-gradable (pending) scenario is no failure
        worldParameters: { ...parameters },
      },
      formats: { stdout: 'summary', files: {}, publish: false, options: {} },
    };
    // Only the first failure matters to a reader of Stryker's logs; the summary formatter prints it.
    const sink = process.env.MUTATION_VERBOSE ? process.stdout : new Writable({ write: (_c, _e, done) => done() });
    const { success } = await runCucumber(options, { cwd: ROOT, stdout: sink, stderr: process.stderr });
    return success ? 0 : 1;
  } finally {
    await control.close();
    await target.stop();
  }
}

// Exit explicitly: a mutant may leave sockets or timers behind that would keep the process alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`mutation suite could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
