/**
 * The client's exit codes (documented in reference-client/README.md). Scripts rely on them: keep stable.
 */
import { EXIT_OK, EXIT_USAGE } from '../common/cli-support.ts';

export const ExitCode = {
  /** /BYE, Ctrl-D, Ctrl-C, or the end of a script. ERR replies during a script do not change it. */
  OK: EXIT_OK,
  /** An unexpected internal error (a bug: please report it). */
  INTERNAL: 1,
  /** Bad command-line options, an unreadable --script file, or an unknown --profile. */
  USAGE: EXIT_USAGE,
  /** The server cannot be reached (refused, unknown host, no answer in time). */
  UNREACHABLE: 3,
  /** The server closed the connection (or it broke) without our /BYE; includes being killed or banned. */
  CONNECTION_LOST: 4,
  /** Non-interactive mode only: the server refused the nick (interactive mode asks again instead). */
  REGISTRATION_REFUSED: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
