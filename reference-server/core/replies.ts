/**
 * Every line the server sends, formatted in one place (PROTOCOL.md §2). Keywords and field order are
 * normative; `reason` texts and HELP wording are free (§2.1, §5.2).
 */
import { COMMAND_ENTRIES, helpSummary } from '../../common/commands.ts';
import type { ErrorCode } from './errors.ts';

// ---- final replies (§2.1) -------------------------------------------------------------------------

/** `OK <COMMAND> [details]`. */
export function ok(command: string, details?: string): string {
  return details === undefined || details === '' ? `OK ${command}` : `OK ${command} ${details}`;
}

/** `ERR <CODE> <reason>`. */
export function err(code: ErrorCode, reason: string): string {
  return `ERR ${code} ${reason}`;
}

export function pong(token: string | undefined): string {
  return token === undefined ? 'PONG' : `PONG ${token}`;
}

// ---- data lines ----------------------------------------------------------------------------------

export function helpLine(text: string): string {
  return `HELP ${text}`;
}

export function historyLine(channel: string, nick: string, text: string): string {
  return `HISTORY ${channel} ${nick} ${text}`;
}

export function fileDataLine(name: string, base64: string): string {
  return `FILEDATA ${name} ${base64}`;
}

// ---- events (§2.2) -------------------------------------------------------------------------------

export const event = {
  hello: (server: string, version: string) => `HELLO ${server} ${version}`,
  msg: (channel: string, nick: string, text: string) => `MSG ${channel} ${nick} ${text}`,
  priv: (nick: string, text: string) => `PRIV ${nick} ${text}`,
  join: (channel: string, nick: string) => `JOIN ${channel} ${nick}`,
  leave: (channel: string, nick: string) => `LEAVE ${channel} ${nick}`,
  quit: (nick: string) => `QUIT ${nick}`,
  kick: (channel: string, nick: string, by: string) => `KICK ${channel} ${nick} ${by}`,
  rename: (oldName: string, newName: string) => `RENAME ${oldName} ${newName}`,
  owner: (channel: string, nick: string) => `OWNER ${channel} ${nick}`,
  grant: (channel: string, nick: string, by: string) => `GRANT ${channel} ${nick} ${by}`,
  revoke: (channel: string, nick: string, by: string) => `REVOKE ${channel} ${nick} ${by}`,
  nick: (oldNick: string, newNick: string) => `NICK ${oldNick} ${newNick}`,
  file: (from: string, name: string, size: number) => `FILE ${from} ${name} ${size}`,
  global: (from: string, text: string) => `GLOBAL ${from} ${text}`,
  killed: (by: string, reason: string) => `KILLED ${by} ${reason}`,
} as const;

// ---- free wording ----------------------------------------------------------------------------------

/**
 * One HELP line per command (§5.2), from the command catalogue: the usage in a column of 30, then what
 * the command does, in catalogue order.
 */
export const HELP_TEXTS: readonly string[] = COMMAND_ENTRIES.flatMap(([, facts]) => (facts.help === undefined ? [] : [`${facts.help.usage.padEnd(30)} ${helpSummary(facts)!}`]));

export const KILL_REASON = 'disconnected by an operator';
export const BAN_REASON = 'banned by an operator';
