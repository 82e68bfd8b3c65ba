/**
 * What every command line of the project (conformance and grade, the reference server and client,
 * profile-check and profile-draft) shares about its own command line: the usage error, the exit statuses
 * they agree on, and integer options. One wording for one mistake, whichever program the user ran.
 */

/** Exit status of a run that did what was asked. */
export const EXIT_OK = 0;
/**
 * Exit status of a command line the program cannot act on (an unknown option, a bad value, a missing
 * file): the user must fix it. Every program uses 2; their other statuses are their own, documented in
 * their help (the reference client's in reference-client/exit-codes.ts, the harness's in harness/run/runner.ts).
 */
export const EXIT_USAGE = 2;

/** A problem the user must fix before anything can run: one line, exit status EXIT_USAGE. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A usage error from a library's exception (parseArgs, Gherkin, tag expressions): its first line only. */
export function usageErrorFrom(error: unknown, prefix = ''): UsageError {
  return new UsageError(prefix + (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)));
}

/**
 * The value of `--<flag>` as a whole number from `min` to `max` (decimal digits only: no sign, no
 * exponent, no fraction), or a UsageError that names the flag, the range and what was given.
 */
export function integerOption(flag: string, raw: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be an integer ${range}, got "${raw}"`);
  }
  return value;
}
