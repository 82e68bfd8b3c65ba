/**
 * Entry point: `npm run client -- [options]` (see options.ts, README.md).
 * Chooses the mode (interactive on a terminal, otherwise non-interactive) and turns the outcome into
 * an exit code (exit-codes.ts).
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode } from './exit-codes.ts';
import { runInteractive } from './interactive.ts';
import { parseClientOptions, USAGE, type ClientOptions } from './options.ts';
import { UsageError } from '../common/cli-support.ts';
import { DialectUnavailableError, loadDialect } from './protocol-profile.ts';
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
  // `npm run client` runs us in the package's directory; file paths the user types are relative to
  // where they typed the command, which npm passes as INIT_CWD.
  // Only for our own `client` script: a client spawned by some other npm script keeps its own directory.
  const cwd = process.env.npm_lifecycle_event === 'client' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  if (options.script !== undefined && options.script !== '-') {
    const script = path.resolve(cwd, options.script);
    options = { ...options, script };
    try {
      await access(script, constants.R_OK);
    } catch {
      process.stderr.write(`chat client: cannot read script ${script}\n`);
      return ExitCode.USAGE;
    }
  }
  // A profile given as a path (not a name from profiles/) is relative to the user's directory too.
  const profile = options.profile;
  const profileIsPath = profile !== undefined && (profile.includes('/') || profile.includes(path.sep) || profile.endsWith('.json'));
  let dialect;
  try {
    dialect = loadDialect(profileIsPath ? path.resolve(cwd, profile) : profile);
  } catch (error) {
    if (!(error instanceof DialectUnavailableError)) throw error;
    process.stderr.write(`chat client: ${error.message}\n`);
    return ExitCode.USAGE;
  }

  const interactive = options.script === undefined && process.stdin.isTTY === true;
  if (interactive) {
    return runInteractive(options, dialect, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd });
  }
  return runScript(options, dialect, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd });
}

// Output piped into a program that stopped reading (`| head`): nothing left to show, stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(ExitCode.OK);
});

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
