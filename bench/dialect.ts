/**
 * The "bench dialect": the four things the load generator needs from a wire protocol, and nothing else.
 * Built from a harness profile (bench/profile.ts), or built in here for real IRC, which has none.
 *
 * A load generator only registers, joins one channel and says lines in it, so it does not need the
 * harness's full dialect engine (which renders every command and parses every event). Keeping this
 * tiny also keeps it cheap: deliveries are NOT recognised by parsing each received line with the
 * dialect, but by the payload the generator wrote itself (see payload.ts), which survives any
 * dialect's framing as the last token of the delivered line. The dialect's `deliveryLine` regex is
 * only used to validate the FIRST delivery each client sees, so a server that, say, echoes the text
 * inside an error line is caught without costing a regex per delivery.
 */

/** Anything that can test a line: a RegExp, or several (see anyOf). */
export interface LineTest {
  test(line: string): boolean;
}

/** How a worker thread rebuilds the same dialect (dialect objects hold functions: they cannot be sent). */
export type DialectOrigin = { builtin: string } | { profile: string };

export interface BenchDialect {
  name: string;
  origin: DialectOrigin;
  /** Text the server sends first that must be seen before registering (undefined: nothing to wait for). */
  greeting?: LineTest;
  /** Lines that register `nick` (joined with the line terminator). */
  register(nick: string): string[];
  /** A received line that means registration succeeded. */
  registered: LineTest;
  /** A received line that means registration failed (nick in use, server full ...). */
  registerFailed: LineTest;
  join(channel: string): string[];
  /** A received line that means this client's own join completed. */
  joined(channel: string): LineTest;
  /** One line that says `text` in `channel` (the text never contains spaces in the bench). */
  say(channel: string, text: string): string;
  /** What a delivered channel message looks like (checked on the first delivery per client only). */
  deliveryLine: LineTest;
  /** Keep-alive the server may send (IRC PING): returns the answer line, or undefined. */
  answerKeepAlive?(line: string): string | undefined;
  /** Line terminator the client sends. */
  eol: string;
}

/**
 * IRC (RFC 1459/2812 as spoken by ngircd and InspIRCd): NICK/USER, JOIN, PRIVMSG. Registration is done
 * when the server sends numeric 001; a join is done at the end of the NAMES list (366) for that channel.
 * The server does not echo PRIVMSG to its sender, like the canonical dialect.
 */
export const ircDialect: BenchDialect = {
  name: 'irc',
  origin: { builtin: 'irc' },
  register: (nick) => [`NICK ${nick}`, `USER ${nick} 0 * :${nick}`],
  registered: /^:\S+ 001 /,
  // 432/433 bad or used nick, ERROR: closing link (connection limit, throttled...).
  registerFailed: /^(:\S+ 43[1-6] |ERROR )/,
  join: (channel) => [`JOIN ${channel}`],
  joined: (channel) => new RegExp(`^:\\S+ 366 \\S+ ${escapeRegExp(channel)} `),
  say: (channel, text) => `PRIVMSG ${channel} :${text}`,
  deliveryLine: /^:\S+ PRIVMSG \S+ :\S/,
  answerKeepAlive: (line) => (line.startsWith('PING ') ? `PONG ${line.slice(5)}` : undefined),
  eol: '\r\n',
};

/**
 * Dialects with no harness profile. PROTOCOL.md's is not one of them: it is read from
 * profiles/canonical.json (bench/profile.ts), the one description of the canonical wire format.
 */
export const BUILTIN_DIALECTS: Readonly<Record<string, BenchDialect>> = {
  irc: ircDialect,
};

/** A test that passes when any of `patterns` matches. */
export function anyOf(patterns: readonly LineTest[]): LineTest {
  return { test: (line) => patterns.some((pattern) => pattern.test(line)) };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
