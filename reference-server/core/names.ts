/** Name rules of PROTOCOL.md §3 and §5.16. */

const NICK = /^[A-Za-z][A-Za-z0-9_-]{0,15}$/;
const CHANNEL = /^[A-Za-z0-9#_.-]{1,32}$/;
const FILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** §3.1: 1 to 16 characters, a letter then letters, digits, `_` or `-`. */
export function isValidNick(nick: string): boolean {
  return NICK.test(nick);
}

/** §3.2: 1 to 32 characters among letters, digits, `#`, `_`, `-`, `.`. */
export function isValidChannelName(name: string): boolean {
  return CHANNEL.test(name);
}

/** §5.16: 1 to 64 characters of letters, digits, `.`, `_`, `-` (never a path). */
export function isValidFileName(name: string): boolean {
  return FILE_NAME.test(name);
}
