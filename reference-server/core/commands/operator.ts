/**
 * Operator commands (§5.18): /OPER, /GLOBAL, /KILL, /BAN, /UNBAN. GLOBAL, KILL, BAN and UNBAN are
 * also typed on the server console, where the actor is `*`: their effect is written once here, as
 * actions that return the OK line, and wrapped for users (with the NOT_OPER check) and for the console.
 */
import type { Effect } from '../effects.ts';
import type { ServerState } from '../state.ts';
import type { CommandContext, CommandSpec, Registered } from './context.ts';
import { fail } from '../errors.ts';
import { registeredRecipients } from '../state.ts';
import { BAN_REASON, KILL_REASON, event, ok } from '../replies.ts';
import { closeConn, sendTo, sendToUser } from '../emit.ts';
import { removeUser } from '../departure.ts';
import { connectedNamed, registered, reply } from './context.ts';
import { isOperatorPassword } from '../password.ts';

/** Who performs an operator action: an authenticated user, or the console (null, shown as `*`). */
export type Operator = Registered | null;

export interface OperatorAction {
  readonly usage: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Queues the action's events and returns its OK line, or throws ProtocolError with no effect. */
  readonly act: (state: ServerState, by: Operator, args: readonly string[], rest: string, out: Effect[]) => string;
}

function disconnectByOperator(
  state: ServerState,
  by: Operator,
  nick: string,
  out: Effect[],
  ban: boolean,
): Registered {
  const target = connectedNamed(state, nick);
  if (target === by) fail('NOT_ALLOWED', `you cannot ${ban ? 'ban' : 'kill'} yourself`);
  sendToUser(out, target, event.killed(by?.nick ?? '*', ban ? BAN_REASON : KILL_REASON));
  if (ban) state.bannedAddresses.add(target.address);
  removeUser(state, target, out, by?.conn); // others see a QUIT, then OWNER where it owned
  closeConn(out, target.conn, `${ban ? 'banned' : 'killed'} by ${by?.nick ?? 'the console'}`);
  return target;
}

export const OPERATOR_ACTIONS: ReadonlyMap<string, OperatorAction> = new Map<string, OperatorAction>([
  [
    'GLOBAL',
    {
      usage: 'GLOBAL <text>',
      minArgs: 1,
      maxArgs: Infinity,
      act(state, by, _args, rest, out) {
        sendTo(out, registeredRecipients(state), event.global(by?.nick ?? '*', rest), by?.conn);
        return ok('GLOBAL');
      },
    },
  ],
  [
    'KILL',
    {
      usage: 'KILL <nick>',
      minArgs: 1,
      maxArgs: 1,
      act(state, by, args, _rest, out) {
        const target = disconnectByOperator(state, by, args[0]!, out, false);
        return ok('KILL', target.nick);
      },
    },
  ],
  [
    'BAN',
    {
      usage: 'BAN <nick>',
      minArgs: 1,
      maxArgs: 1,
      act(state, by, args, _rest, out) {
        const target = disconnectByOperator(state, by, args[0]!, out, true);
        return ok('BAN', `${target.nick} ${target.address}`);
      },
    },
  ],
  [
    'UNBAN',
    {
      usage: 'UNBAN <address>',
      minArgs: 1,
      maxArgs: 1,
      act(state, _by, args) {
        state.bannedAddresses.delete(args[0]!);
        return ok('UNBAN', args[0]!);
      },
    },
  ],
]);

/** The user form of an operator action: ERR NOT_OPER unless the user did /OPER. */
function forOperators(word: string): CommandSpec {
  const action = OPERATOR_ACTIONS.get(word)!;
  return {
    usage: `/${action.usage}`,
    minArgs: action.minArgs,
    maxArgs: action.maxArgs,
    needsRegistration: true,
    run: registered((ctx: CommandContext) => {
      if (!ctx.user.oper) fail('NOT_OPER', 'operator command: /OPER <password> first');
      reply(ctx, action.act(ctx.state, ctx.user, ctx.args, ctx.rest, ctx.out));
    }),
  };
}

export const global = forOperators('GLOBAL');
export const kill = forOperators('KILL');
export const ban = forOperators('BAN');
export const unban = forOperators('UNBAN');

export const oper: CommandSpec = {
  usage: '/OPER <password>',
  minArgs: 1,
  maxArgs: 1,
  needsRegistration: true,
  run(ctx) {
    if (!isOperatorPassword(ctx.args[0]!, ctx.state.options.operPassword)) fail('BAD_PASSWORD', 'wrong operator password');
    ctx.user.oper = true;
    reply(ctx, ok('OPER'));
  },
};
