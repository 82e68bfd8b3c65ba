/**
 * The command catalogue: every command and event of docs/PROTOCOL.md, with the facts that the harness,
 * the grader, the reference server and the reference client all need. It is the ONE list of commands:
 * the name types (CommandName, EventName), the profile vocabulary (harness/dialect/catalogue.ts), the
 * commands that need a channel (harness/session/session.ts), the reference server's /HELP and its dispatch
 * table's words, the client's typed commands and tab completion are derived from it, and
 * test/unit/harness/command-catalogue.test.ts fails when a command here lacks a canonical profile entry,
 * a feature, a rubric category, a help line or a client rendering (docs/ADDING-A-COMMAND.md).
 *
 * Pure data, no imports: the reference server imports it, and runs in a grading sandbox that shows it
 * only reference-server/ and common/.
 */

/** Where the course grid puts a command (the feature tag its scenarios carry: `@v0`, `@v1`, ...). */
export type Level = 'v0' | 'v1' | 'extension' | 'bonus';

/** Who may use a command besides any registered user (PROTOCOL.md §3, §5.18). */
export type Role = 'admin' | 'owner' | 'operator';

export interface CommandFacts {
  /**
   * The canonical word typed after `/` (upper case). None for `say` (a plain line) and `unknown`. Two
   * commands may share one: `register` and `nick` are both `/NICK`, before and after registration.
   */
  readonly word?: string;
  /** Single-word arguments, always given, in order. The names are the placeholders of profile templates. */
  readonly args: readonly string[];
  /** Single-word arguments that may be left out, after `args`. */
  readonly optional?: readonly string[];
  /** The last argument, which takes the rest of the line (spaces kept). */
  readonly text?: string;
  /**
   * Acts on the caller's current channel, so it is refused in the lobby (PROTOCOL.md §4.1):
   * `true`, or `'without-argument'` when only the form without optional argument does (`/CURRENT`).
   */
  readonly channel?: true | 'without-argument';
  /** Only an admin, the owner or an operator may use it. */
  readonly role?: Role;
  /** The first argument names another user (a member, or anyone connected): what tab completion offers. */
  readonly targetsUser?: true;
  /** The feature tag of the scenarios that exercise it (features/*.feature), and its course-grid level. */
  readonly tag: `@${string}`;
  readonly level: Level;
  /**
   * Its line of /HELP (PROTOCOL.md §5.2): the usage as typed and what it does. The reference server's /HELP
   * and the reference client's help both show it. None for `register` (its line is /NICK's) and `unknown`.
   */
  readonly help?: { readonly usage: string; readonly text: string };
  /** Not a command of PROTOCOL.md: the harness's way to send an unknown command word (the error path). */
  readonly probe?: true;
}

/** Every command, by its harness name. The order is /HELP's (PROTOCOL.md §5.2 example). */
export const COMMANDS = {
  register: { word: 'NICK', args: ['nick'], tag: '@register', level: 'v0' },
  say: { args: [], text: 'text', channel: true, tag: '@say', level: 'v0', help: { usage: '<text>', text: 'send <text> to your current channel (//text sends /text)' } },
  help: { word: 'HELP', args: [], tag: '@help', level: 'v0', help: { usage: '/HELP', text: 'this help' } },
  ping: { word: 'PING', args: [], optional: ['token'], tag: '@ping', level: 'v0', help: { usage: '/PING [token]', text: 'answered by PONG [token]' } },
  list: { word: 'LIST', args: [], tag: '@list', level: 'v0', help: { usage: '/LIST', text: 'list the channels' } },
  join: { word: 'JOIN', args: ['channel'], tag: '@join', level: 'v0', help: { usage: '/JOIN <channel>', text: 'join or create <channel> and make it current' } },
  leave: { word: 'LEAVE', args: [], channel: true, tag: '@leave', level: 'v0', help: { usage: '/LEAVE', text: 'leave your current channel (back to the lobby)' } },
  who: { word: 'WHO', args: [], channel: true, tag: '@who', level: 'v0', help: { usage: '/WHO', text: 'members of your current channel (~owner @admin)' } },
  msg: {
    word: 'MSG',
    args: ['nicks'],
    text: 'text',
    channel: true,
    targetsUser: true,
    tag: '@msg',
    level: 'v0',
    help: { usage: '/MSG <nick>[;<nick>...] <text>', text: 'private message to members of your current channel' },
  },
  bye: { word: 'BYE', args: [], tag: '@bye', level: 'v0', help: { usage: '/BYE', text: 'disconnect' } },
  kick: { word: 'KICK', args: ['nick'], channel: true, role: 'admin', targetsUser: true, tag: '@kick', level: 'v0', help: { usage: '/KICK <nick>', text: 'remove <nick> from your current channel' } },
  ren: { word: 'REN', args: ['channel'], channel: true, role: 'admin', tag: '@ren', level: 'v0', help: { usage: '/REN <channel>', text: 'rename your current channel' } },
  current: { word: 'CURRENT', args: [], optional: ['channel'], channel: 'without-argument', tag: '@current', level: 'v1', help: { usage: '/CURRENT [<channel>]', text: 'show or select your current channel' } },
  nick: { word: 'NICK', args: ['nick'], tag: '@nick', level: 'v1', help: { usage: '/NICK <nick>', text: 'change your nick' } },
  grant: { word: 'GRANT', args: ['nick'], channel: true, role: 'owner', targetsUser: true, tag: '@grant', level: 'v1', help: { usage: '/GRANT <nick>', text: 'make <nick> an admin' } },
  revoke: { word: 'REVOKE', args: ['nick'], channel: true, role: 'owner', targetsUser: true, tag: '@revoke', level: 'v1', help: { usage: '/REVOKE <nick>', text: 'take admin rights back from <nick>' } },
  send: {
    word: 'SEND',
    args: ['nick', 'name', 'size'],
    channel: true,
    targetsUser: true,
    tag: '@send',
    level: 'extension',
    help: { usage: '/SEND <nick> <name> <size>', text: 'offer a file to a member of your current channel' },
  },
  data: { word: 'DATA', args: ['base64'], tag: '@data', level: 'extension', help: { usage: '/DATA <base64>', text: 'next chunk of the file being sent' } },
  recv: { word: 'RECV', args: ['name'], tag: '@recv', level: 'extension', help: { usage: '/RECV <name>', text: 'receive a file waiting for you' } },
  history: {
    word: 'HISTORY',
    args: [],
    optional: ['count'],
    channel: true,
    tag: '@history',
    level: 'extension',
    help: { usage: '/HISTORY [n]', text: 'last n (default 20, at most 100) messages of your current channel' },
  },
  oper: { word: 'OPER', args: ['password'], tag: '@oper', level: 'bonus', help: { usage: '/OPER <password>', text: 'become an operator' } },
  global: { word: 'GLOBAL', args: [], text: 'text', role: 'operator', tag: '@global', level: 'bonus', help: { usage: '/GLOBAL <text>', text: 'message to every user' } },
  kill: { word: 'KILL', args: ['nick'], role: 'operator', targetsUser: true, tag: '@kill', level: 'bonus', help: { usage: '/KILL <nick>', text: 'disconnect <nick>' } },
  ban: { word: 'BAN', args: ['nick'], role: 'operator', targetsUser: true, tag: '@ban', level: 'bonus', help: { usage: '/BAN <nick>', text: 'disconnect <nick> and ban their address' } },
  unban: { word: 'UNBAN', args: ['address'], role: 'operator', tag: '@unban', level: 'bonus', help: { usage: '/UNBAN <address>', text: 'lift a ban' } },
  unknown: { args: ['word'], probe: true, tag: '@errors', level: 'v0' },
} as const satisfies Record<string, CommandFacts>;

export interface EventFacts {
  /** The canonical keyword that starts the event's line (PROTOCOL.md §2.2). */
  readonly keyword: string;
  /** Its fields, in wire order; the last one takes the rest of the line. */
  readonly fields: readonly string[];
}

/** Every asynchronous event a user can observe, by its harness name. */
export const EVENTS = {
  message: { keyword: 'MSG', fields: ['channel', 'from', 'text'] },
  private: { keyword: 'PRIV', fields: ['from', 'text'] },
  joined: { keyword: 'JOIN', fields: ['channel', 'nick'] },
  left: { keyword: 'LEAVE', fields: ['channel', 'nick'] },
  quit: { keyword: 'QUIT', fields: ['nick'] },
  kicked: { keyword: 'KICK', fields: ['channel', 'nick', 'by'] },
  renamed: { keyword: 'RENAME', fields: ['old', 'new'] },
  owner: { keyword: 'OWNER', fields: ['channel', 'nick'] },
  granted: { keyword: 'GRANT', fields: ['channel', 'nick', 'by'] },
  revoked: { keyword: 'REVOKE', fields: ['channel', 'nick', 'by'] },
  nick: { keyword: 'NICK', fields: ['old', 'new'] },
  file: { keyword: 'FILE', fields: ['from', 'name', 'size'] },
  global: { keyword: 'GLOBAL', fields: ['from', 'text'] },
  killed: { keyword: 'KILLED', fields: ['by', 'reason'] },
} as const satisfies Record<string, EventFacts>;

export type CommandName = keyof typeof COMMANDS;
export type EventName = keyof typeof EVENTS;
/** A word typed after `/` that the server dispatches on ("NICK", "KICK", ...). */
export type CommandWord = { [C in CommandName]: (typeof COMMANDS)[C] extends { word: infer W extends string } ? W : never }[CommandName];

/** Each command's facts, typed as CommandFacts (COMMANDS keeps the literal types; this reads every field). */
export const COMMAND_FACTS: Readonly<Record<CommandName, CommandFacts>> = COMMANDS;

/** The commands, as [name, facts] pairs in catalogue order, typed for iteration. */
export const COMMAND_ENTRIES = Object.entries(COMMANDS) as ReadonlyArray<[CommandName, CommandFacts]>;

/** Every argument name a command takes (its profile template's placeholders), in order. */
export function argumentsOf(facts: CommandFacts): readonly string[] {
  return [...facts.args, ...(facts.optional ?? []), ...(facts.text === undefined ? [] : [facts.text])];
}

/** The distinct command words, in catalogue order ("NICK" once). */
export const COMMAND_WORDS: readonly CommandWord[] = [...new Set(COMMAND_ENTRIES.flatMap(([, facts]) => (facts.word === undefined ? [] : [facts.word])))] as CommandWord[];

/** What a command does, for a help line: its role first (`[admin] remove <nick> ...`). */
export function helpSummary(facts: CommandFacts): string | undefined {
  if (facts.help === undefined) return undefined;
  return `${facts.role === undefined ? '' : `[${facts.role}] `}${facts.help.text}`;
}
