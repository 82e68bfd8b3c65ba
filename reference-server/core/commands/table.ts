/** Every command of §5 by its upper-case word: the dispatcher's only source of truth. */
import type { CommandSpec } from './context.ts';
import { bye, help, nick, ping } from './session.ts';
import { current, join, leave, list, who } from './channels.ts';
import { history, msg } from './messages.ts';
import { grant, kick, ren, revoke } from './admin.ts';
import { data, recv, send } from './files.ts';
import { ban, global, kill, oper, unban } from './operator.ts';

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  ['HELP', help],
  ['PING', ping],
  ['LIST', list],
  ['JOIN', join],
  ['LEAVE', leave],
  ['WHO', who],
  ['MSG', msg],
  ['BYE', bye],
  ['KICK', kick],
  ['REN', ren],
  ['CURRENT', current],
  ['NICK', nick],
  ['GRANT', grant],
  ['REVOKE', revoke],
  ['SEND', send],
  ['DATA', data],
  ['RECV', recv],
  ['HISTORY', history],
  ['OPER', oper],
  ['GLOBAL', global],
  ['KILL', kill],
  ['BAN', ban],
  ['UNBAN', unban],
]);
