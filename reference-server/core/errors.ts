/** Normative error codes (PROTOCOL.md §2.3) and the exception commands use to refuse a line. */

export type ErrorCode =
  | 'SYNTAX'
  | 'UNKNOWN_COMMAND'
  | 'NOT_REGISTERED'
  | 'NICK_INVALID'
  | 'NICK_IN_USE'
  | 'CHANNEL_INVALID'
  | 'CHANNEL_EXISTS'
  | 'NO_CHANNEL'
  | 'NOT_MEMBER'
  | 'ALREADY_MEMBER'
  | 'NO_SUCH_NICK'
  | 'NOT_ADMIN'
  | 'NOT_ALLOWED'
  | 'NO_SUCH_FILE'
  | 'FILE_TOO_LARGE'
  | 'LIMIT'
  | 'NOT_OPER'
  | 'BAD_PASSWORD'
  | 'LINE_TOO_LONG'
  | 'BAD_ENCODING'
  | 'BANNED'
  | 'SERVER_FULL'
  | 'TIMEOUT';

/**
 * Thrown by a command that refuses its line. The dispatcher turns it into the single `ERR` reply and
 * discards any effect the command had queued, so "ERR means no effect at all" (§2.1) holds by
 * construction. Deliberately not an Error subclass: refusals are ordinary outcomes, no stack needed.
 */
export class ProtocolError {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
  ) {}
}

export function fail(code: ErrorCode, reason: string): never {
  throw new ProtocolError(code, reason);
}
