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
import { createTarget } from '../harness/target/index.ts';
import { runSuiteInProcess } from '../harness/run/in-process-run.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Per-expectation timeout; the harness default. Shorter would risk killing mutants by mere load. */
const TIMEOUT_MS = Number(process.env.MUTATION_SCENARIO_TIMEOUT_MS ?? 2000);

async function main(): Promise<number> {
  const success = await runSuiteInProcess({
    target: createTarget({ kind: 'embedded' }),
    features: [path.join(ROOT, 'features', '**', '*.feature')],
    support: { importPaths: [path.join(ROOT, 'steps', '**', '*.ts')] },
    timeoutMs: TIMEOUT_MS,
    failFast: true,
    cwd: ROOT,
    // Only the first failure matters to a reader of Stryker's logs; the summary formatter prints it.
    ...(process.env.MUTATION_VERBOSE ? { stdout: process.stdout } : {}),
  });
  return success ? 0 : 1;
}

// Exit explicitly: a mutant may leave sockets or timers behind that would keep the process alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`mutation suite could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
