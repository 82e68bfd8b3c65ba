/** Lines typed on the server console (§5.18): GLOBAL, KILL, BAN, UNBAN, with or without '/', by `*`. */
import type { Effect } from './effects.ts';
import type { ServerState } from './state.ts';
import { ProtocolError } from './errors.ts';
import { OPERATOR_ACTIONS } from './commands/operator.ts';
import { hasControlCharacter, splitArgs, splitCommand, trimLine } from './parse.ts';
import { err } from './replies.ts';
import { log } from './emit.ts';

/** The console has no connection to reply to: the outcome (OK or ERR line) becomes a log effect. */
export function runConsoleLine(state: ServerState, line: string): Effect[] {
  const out: Effect[] = [];
  if (hasControlCharacter(line)) {
    log(out, `console: ${err('BAD_ENCODING', 'control character in the line')}`);
    return out;
  }
  const trimmed = trimLine(line);
  if (trimmed === '') return out;
  const { word, rest } = splitCommand(trimmed, trimmed.startsWith('/') ? 1 : 0);
  const action = OPERATOR_ACTIONS.get(word);
  if (action === undefined) {
    log(out, `console: ${err('UNKNOWN_COMMAND', `unknown console command ${word}: GLOBAL, KILL, BAN or UNBAN`)}`);
    return out;
  }
  const args = splitArgs(rest);
  if (args.length < action.minArgs || args.length > action.maxArgs) {
    log(out, `console: ${err('SYNTAX', `usage: ${action.usage}`)}`);
    return out;
  }
  try {
    const outcome = action.act(state, null, args, rest, out);
    log(out, `console: ${outcome}`);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    out.length = 0;
    log(out, `console: ${err(error.code, error.reason)}`);
  }
  return out;
}
