/**
 * Every line the server sends, formatted in one place (PROTOCOL.md §2). Keywords and field order are
 * normative; `reason` texts and HELP wording are free (§2.1, §5.2).
 */
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

/** One HELP line per command (§5.2). */
export const HELP_TEXTS: readonly string[] = [
  '<text>                         send <text> to your current channel (//text sends /text)',
  '/HELP                          this help',
  '/PING [token]                  answered by PONG [token]',
  '/LIST                          list the channels',
  '/JOIN <channel>                join or create <channel> and make it current',
  '/LEAVE                         leave your current channel (back to the lobby)',
  '/WHO                           members of your current channel (~owner @admin)',
  '/MSG <nick>[;<nick>...] <text> private message to members of your current channel',
  '/BYE                           disconnect',
  '/KICK <nick>                   [admin] remove <nick> from your current channel',
  '/REN <channel>                 [admin] rename your current channel',
  '/CURRENT [<channel>]           show or select your current channel',
  '/NICK <nick>                   change your nick',
  '/GRANT <nick>                  [owner] make <nick> an admin',
  '/REVOKE <nick>                 [owner] take admin rights back from <nick>',
  '/SEND <nick> <name> <size>     offer a file to a member of your current channel',
  '/DATA <base64>                 next chunk of the file being sent',
  '/RECV <name>                   receive a file waiting for you',
  '/HISTORY [n]                   last n (default 20, at most 100) messages of your current channel',
  '/OPER <password>               become an operator',
  '/GLOBAL <text>                 [operator] message to every user',
  '/KILL <nick>                   [operator] disconnect <nick>',
  '/BAN <nick>                    [operator] disconnect <nick> and ban their address',
  '/UNBAN <address>               [operator] lift a ban',
];

export const KILL_REASON = 'disconnected by an operator';
export const BAN_REASON = 'banned by an operator';
