/**
 * Entry point: `npm run client -- [options]` (see options.ts, README.md).
 * Chooses the mode (interactive on a terminal, otherwise non-interactive) and turns the outcome into
 * an exit code (exit-codes.ts).
 */
import { access, constants } from 'node:fs/promises';
import { ExitCode } from './exit-codes.ts';
import { runInteractive } from './interactive.ts';
import { parseClientOptions, USAGE, UsageError, type ClientOptions } from './options.ts';
import { DialectUnavailableError, loadDialect } from './protocol.ts';
import { runScript } from './script-mode.ts';

async function main(argv: readonly string[]): Promise<ExitCode> {
  let options: ClientOptions;
  try {
    options = parseClientOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`chat client: ${error.message}\n${USAGE}\n`);
    return ExitCode.USAGE;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return ExitCode.OK;
  }
  if (options.script !== undefined && options.script !== '-') {
    try {
      await access(options.script, constants.R_OK);
    } catch {
      process.stderr.write(`chat client: cannot read script ${options.script}\n`);
      return ExitCode.USAGE;
    }
  }
  let dialect;
  try {
    dialect = await loadDialect(options.profile);
  } catch (error) {
    if (!(error instanceof DialectUnavailableError)) throw error;
    process.stderr.write(`chat client: ${error.message}\n`);
    return ExitCode.USAGE;
  }

  const interactive = options.script === undefined && process.stdin.isTTY === true;
  if (interactive) {
    return runInteractive(options, dialect, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  }
  return runScript(options, dialect, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Nothing else should keep us alive; stdin may, when it is a terminal left in paused flowing state.
    process.stdin.unref?.();
  },
  (error: unknown) => {
    process.stderr.write(`chat client: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.INTERNAL;
  },
);
