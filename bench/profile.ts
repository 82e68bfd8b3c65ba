/**
 * `--profile`: a built-in bench dialect (canonical, irc).
 *
 * Harness profiles (profiles/<name>.json through harness/dialect/) are not wired yet: the dialect
 * engine had not landed when the bench was written. A harness profile name is refused with a clear
 * message rather than half-supported.
 */
import { BUILTIN_DIALECTS, type BenchDialect } from './dialect.ts';

export async function resolveDialect(profile: string): Promise<BenchDialect> {
  const builtin = BUILTIN_DIALECTS[profile];
  if (builtin !== undefined) return builtin;
  throw new Error(`unknown bench profile "${profile}": use one of ${Object.keys(BUILTIN_DIALECTS).join(', ')}`);
}
