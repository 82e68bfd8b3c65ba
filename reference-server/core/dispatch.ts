/** One client line to its command (§5): the checks every command shares, in the order of §6.1. */
import type { Effect } from './effects.ts';
import type { ServerState, User } from './state.ts';
import { ProtocolError } from './errors.ts';
import { COMMANDS } from './commands/table.ts';
import { splitArgs, splitCommand } from './parse.ts';
import { err } from './replies.ts';
import { sendToUser } from './emit.ts';
import { isRegistered } from './state.ts';

/**
 * Runs a trimmed line starting with '/' (and not '//'). Unknown words are UNKNOWN_COMMAND even before
 * registration; then NOT_REGISTERED; then SYNTAX for the argument count; then the command's own checks.
 */
export function runCommand(state: ServerState, user: User, trimmed: string, out: Effect[]): void {
  const { word, rest } = splitCommand(trimmed);
  const spec = COMMANDS.get(word);
  if (spec === undefined) {
    sendToUser(out, user, err('UNKNOWN_COMMAND', `unknown command /${word}: try /HELP`));
    return;
  }
  if (spec.needsRegistration && !isRegistered(user)) {
    sendToUser(out, user, err('NOT_REGISTERED', 'send your nick first'));
    return;
  }
  const args = splitArgs(rest);
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    sendToUser(out, user, err('SYNTAX', `usage: ${spec.usage}`));
    return;
  }
  runRefusable(user, out, () => spec.run({ state, user, args, rest, out }));
}

/**
 * Runs `body`; if it refuses with ProtocolError, whatever it queued is discarded and the ERR reply is
 * the only effect (§2.1). Other exceptions are bugs and propagate.
 */
export function runRefusable(user: User, out: Effect[], body: () => void): void {
  const mark = out.length;
  try {
    body();
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    out.length = mark;
    sendToUser(out, user, err(error.code, error.reason));
  }
}
