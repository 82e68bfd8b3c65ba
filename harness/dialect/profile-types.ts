/**
 * A dialect profile: the JSON file as written (RawProfile, checked by profiles/profile.schema.json)
 * and the compiled form the dialect engine uses (Profile: regular expressions built, templates
 * checked, defaults filled in).
 */
import type { CommandName, EventName } from '../../common/commands.ts';
import type { Variants } from './variants.ts';

/** A JavaScript regular expression source; named groups carry fields. */
export type RawPattern = string;
export type RawPatterns = RawPattern | RawPattern[];
/** Text with {placeholder}s; {{ and }} are literal braces. */
export type RawTemplate = string;

export interface RawCommandSpec {
  send: RawTemplate | RawTemplate[];
  ok?: RawPatterns;
  data?: RawPatterns;
  silent?: boolean;
  nickSeparator?: string;
}

export type RawCommand = RawTemplate | RawTemplate[] | RawCommandSpec;

export interface RawProfile {
  $schema?: string;
  name: string;
  description?: string;
  /** A base profile (name or path relative to this file) this one is written on top of. */
  extends?: string;
  wire?: {
    framing?: 'lines' | 'stream' | 'idle';
    stripAnsi?: boolean;
    lineEnding?: string;
    sendPauseMs?: number;
    idleMs?: number;
    split?: RawPattern;
    expand?: Array<{ match: RawPattern; into: RawTemplate[] }>;
  };
  server?: ServerSpec;
  names?: { nick?: NameRule; channel?: NameRule };
  connect?: { greeting?: RawPatterns };
  register: Array<{ send: RawTemplate } | { expect: RawPatterns }>;
  replies: { ok?: RawPatterns; error?: RawPattern | Array<RawPattern | { match: RawPattern; code?: string }> };
  commands: Partial<Record<CommandName, RawCommand>>;
  events: Partial<Record<EventName, RawPatterns>>;
  who?: { separator?: RawSeparator; member: RawPattern };
  list?: { separator?: RawSeparator };
  values?: ValueMap;
  console?: RawConsoleSpec;
  /** Provenance written by profile:draft (ignored by the harness). */
  draft?: unknown;
  capabilities: {
    barrier?: { send: RawTemplate; expect: RawPattern };
    lobby: boolean;
    defaultChannel?: string;
    rawWire: boolean;
    errorCodes: boolean;
  };
  /** Behaviours the course allows and PROTOCOL.md forbids, that this server follows (harness/dialect/variants.ts). */
  variants?: Variants;
}

/** A literal separator, or a regular expression one ({"regex": " (?=[01] )"}). */
export type RawSeparator = string | { regex: RawPattern };

/** What names a server accepts (profile "names"): generated names are made to fit. */
export interface NameRule {
  /** Inside of a regex character class, e.g. "A-Za-z0-9". */
  readonly allowed?: string;
  readonly maxLength?: number;
  /** Text every name starts with (e.g. "#"). */
  readonly prefix?: string;
}

/** Per field name: wire value -> the value the harness means (role "1" -> "owner", code "4" -> "NOT_ADMIN"). */
export type ValueMap = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** One received unit that says several things, rewritten into several units. */
export interface ExpandRule {
  readonly match: RegExp;
  readonly into: ReadonlyArray<string>;
}

/** The operator commands a server console takes (PROTOCOL.md §5.18). */
export type ConsoleCommandName = 'global' | 'kill' | 'ban' | 'unban';

/** The profile's "console" section as written. */
export interface RawConsoleSpec {
  actor?: string;
  commands?: Partial<Record<ConsoleCommandName, RawTemplate | RawTemplate[]>>;
  answer?: RawPatterns;
}

/** The server console, compiled: who users see acting, how each command is typed, how its answer reads. */
export interface ConsoleSpec {
  /** The by/from field users see for the console's actions ("*" in PROTOCOL.md §5.18). */
  readonly actor: string;
  /** Alternatives per command, as in CommandSpec.templates; a command missing here cannot be typed. */
  readonly commands: Readonly<Partial<Record<ConsoleCommandName, ReadonlyArray<string>>>>;
  /** Output lines that are the console's answer; group `reply` is read as a final reply. Empty: unreadable. */
  readonly answer: ReadonlyArray<RegExp>;
}

/** How a spawned submission behaves as a process (profile "server" section). */
export interface ServerSpec {
  /** The port it hard-codes; the runner then uses it and runs scenarios one at a time. */
  readonly port?: number;
  /** How the runner knows it is up: a probe connection (default) or its listening sockets in /proc. */
  readonly readiness?: 'connect' | 'listening';
  /** Default isolation (restart per run, feature or scenario). */
  readonly restart?: 'run' | 'feature' | 'scenario';
}

export interface ErrorPattern {
  readonly pattern: RegExp;
  /** Fixed code for free-text errors; otherwise the pattern's `code` group, if any. */
  readonly code?: string;
}

export interface CommandSpec {
  /** Alternatives, most specific first: the first whose placeholders all have values is used. */
  readonly templates: ReadonlyArray<string>;
  /** This command's success reply patterns, when stricter than the generic ok. */
  readonly ok: ReadonlyArray<RegExp>;
  readonly data: ReadonlyArray<RegExp>;
  readonly silent: boolean;
  readonly nickSeparator?: string;
}

/** An expect step's patterns may contain {nick} (the nick being registered), like event placeholders. */
export type RegisterStep =
  | { readonly kind: 'send'; readonly template: string }
  | { readonly kind: 'expect'; readonly patterns: ReadonlyArray<RegExp>; readonly templates?: ReadonlyArray<string | undefined> };

export interface Profile {
  readonly name: string;
  readonly description: string;
  /** Where it was loaded from, for messages. */
  readonly source: string;
  readonly framing: 'lines' | 'stream' | 'idle';
  readonly server: ServerSpec;
  readonly stripAnsi: boolean;
  readonly lineEnding: string;
  /** Least ms between two writes on one connection (0: none). */
  readonly sendPauseMs: number;
  /** idle framing: the silence that ends a unit. */
  readonly idleMs: number;
  /** lines/idle framing: units are cut at each match. */
  readonly split?: RegExp;
  /** lines/idle framing: units rewritten into several. */
  readonly expand: ReadonlyArray<ExpandRule>;
  readonly names: { readonly nick?: NameRule; readonly channel?: NameRule };
  readonly values: ValueMap;
  readonly greeting: ReadonlyArray<RegExp>;
  readonly register: ReadonlyArray<RegisterStep>;
  readonly okReply: ReadonlyArray<RegExp>;
  readonly errorReply: ReadonlyArray<ErrorPattern>;
  readonly commands: Readonly<Partial<Record<CommandName, CommandSpec>>>;
  /** Each event's patterns with every {field} placeholder turned into a generic named group. */
  readonly events: Readonly<Partial<Record<EventName, ReadonlyArray<RegExp>>>>;
  /**
   * The same patterns as written, for those with {field} placeholders (else undefined at that index):
   * when a step expects a field's value, the placeholder becomes that exact (escaped) value, so the
   * event is found by content wherever it sits in glued, newline-less text.
   */
  readonly eventTemplates: Readonly<Partial<Record<EventName, ReadonlyArray<string | undefined>>>>;
  readonly who?: { readonly separator: string | RegExp; readonly member: RegExp };
  readonly list?: { readonly separator: string | RegExp };
  /** Absent: the profile does not say how to drive the server's console (console scenarios not gradable). */
  readonly console?: ConsoleSpec;
  readonly barrier?: { readonly send: string; readonly expect: string };
  readonly lobby: boolean;
  readonly defaultChannel?: string;
  readonly rawWire: boolean;
  readonly errorCodes: boolean;
  /** The course variants the server follows; {} for none. */
  readonly variants: Readonly<Variants>;
}
