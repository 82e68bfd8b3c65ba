/**
 * The dialect engine: a compiled profile turned into the two things the Session needs, rendering
 * (command + arguments -> wire text) and recognising (received text -> final reply, data line or
 * event, with named fields). It builds matchers for the test client; it never touches a socket.
 */
import type { CommandName, EventName } from '../../common/commands.ts';
import { NotGradableError } from './not-gradable.ts';
import type { Match, Matcher } from '../wire/test-client.ts';
import { COMMAND_ARGS, EVENT_FIELDS } from './catalogue.ts';
import { eventPlaceholders, specificEventSource } from './event-template.ts';
import type { CommandSpec, Profile, RegisterStep } from './profile-types.ts';
import { escapeRegExp, fill, fillFirst, placeholders } from './template.ts';

/** One member as reported by WHO (Session.who). */
export interface Member {
  nick: string;
  role: 'owner' | 'admin' | 'member';
}

export type Fields = Record<string, string>;

/** Something a check reads that a profile may not define (Dialect.unreadable). */
export type ReadNeed =
  | { kind: 'role'; role: 'owner' | 'admin' | 'member' } // a member's role in WHO
  | { kind: 'data'; command: CommandName } // the data lines of a reply (HELP, HISTORY, RECV)
  | { kind: 'dataField'; command: CommandName; fields: readonly string[] } // one of these fields in those data lines
  | { kind: 'replyField'; command: CommandName; field: string }; // a field of the command's final reply

/** What one received unit is, as far as waiting for a final reply goes. */
export type ReplyUnit =
  | { kind: 'ok'; fields: Fields; raw: string }
  | { kind: 'error'; code?: string; codeUnreadable?: string; fields: Fields; raw: string }
  | { kind: 'data'; fields: Fields; raw: string };

/** A reply that looks like a success but does not have the shape the profile requires. */
export class MalformedReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedReplyError';
  }
}

interface Found {
  fields: Fields;
  index: number;
  length: number;
  raw: string;
}

/** Run `pattern` on `text`; named groups that did not participate are left out. */
export function find(pattern: RegExp, text: string): Found | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const fields: Fields = {};
  for (const [name, value] of Object.entries(match.groups ?? {})) if (value !== undefined) fields[name] = value;
  return { fields, index: match.index, length: match[0].length, raw: match[0] };
}

function findAny(patterns: readonly RegExp[], text: string): Found | undefined {
  for (const pattern of patterns) {
    const found = find(pattern, text);
    if (found) return found;
  }
  return undefined;
}

function asMatch<T>(found: Found, value: T): Match<T> {
  return { value, index: found.index, length: found.length };
}

export class Dialect {
  constructor(readonly profile: Profile) {}

  /** Fields with the profile's value mapping applied (values.role {"1": "owner"}, values.code {"4": "NOT_ADMIN"}). */
  private mapped(found: Found | undefined): Found | undefined {
    const values = this.profile.values;
    if (!found || Object.keys(values).length === 0) return found;
    const fields: Fields = {};
    for (const [name, value] of Object.entries(found.fields)) fields[name] = values[name]?.[value] ?? value;
    return { ...found, fields };
  }

  private findAny(patterns: readonly RegExp[], text: string): Found | undefined {
    return this.mapped(findAny(patterns, text));
  }

  /**
   * The units matchers see, from one received unit (lines and idle framing): cut at every match of
   * wire.split, then each piece rewritten by the first wire.expand rule that matches it.
   */
  units(unit: string): string[] {
    const { split, expand } = this.profile;
    const pieces = split ? unit.split(split).filter((piece) => piece !== '') : [unit];
    if (expand.length === 0) return pieces;
    return pieces.flatMap((piece) => {
      for (const rule of expand) {
        const found = find(rule.match, piece);
        if (found) return rule.into.map((template) => fill(template, found.fields) ?? template);
      }
      return [piece];
    });
  }

  get name(): string {
    return this.profile.name;
  }

  /** The command's spec, or NotGradableError naming what the profile lacks. */
  command(command: CommandName): CommandSpec {
    const spec = this.profile.commands[command];
    if (!spec) throw new NotGradableError(`profile "${this.name}" cannot express the command "${command}" (no commands.${command})`);
    return spec;
  }

  /** Wire text for a command, line ending included. */
  render(command: CommandName, args: Readonly<Record<string, string | undefined>> = {}): string {
    const spec = this.command(command);
    const given = Object.keys(args).filter((k) => args[k] !== undefined);
    // A template that drops an argument the scenario gives (HISTORY for /HISTORY 5) would test something
    // else: only templates that use every given argument may be sent.
    const usable = spec.templates.filter((template) => given.every((name) => placeholders(template).includes(name)));
    const text = fillFirst(usable, args);
    if (text === undefined) {
      throw new NotGradableError(
        `profile "${this.name}" cannot express "${command}" with ${given.length ? given.join(', ') : 'no arguments'} ` +
          `(its templates: ${spec.templates.map((t) => JSON.stringify(t)).join(', ')}${usable.length < spec.templates.length ? '; a template that leaves out an argument is not used' : ''}; ${command} takes: ${COMMAND_ARGS[command].join(', ') || 'nothing'})`,
      );
    }
    return text + this.profile.lineEnding;
  }

  /** The command's word as typed ("/LIST {x}" gives "/LIST"), for finding it in free text; see Session.commandWord. */
  commandWord(command: CommandName): string {
    const spec = this.command(command);
    const word = /^(\/?[^\s{}/]+)(?:\s|$)/.exec(spec.templates[0] ?? '')?.[1];
    if (word === undefined) throw new NotGradableError(`profile "${this.name}" has no command word for "${command}" (its template: ${JSON.stringify(spec.templates[0])})`);
    return word;
  }

  /** Wire text for one `send` step of the registration script. */
  renderRegisterStep(template: string, nick: string): string {
    return fill(template, { nick })! + this.profile.lineEnding;
  }

  /**
   * Classifies received units while waiting for the final reply to `command` (any command when
   * undefined): its success reply, an error reply, or one of its data lines. A unit that looks like
   * a generic success but not like THIS command's success is a malformed reply: the matcher throws,
   * so the expectation fails at once with a precise message instead of timing out.
   */
  finalReplyMatcher(command?: CommandName): Matcher<ReplyUnit> {
    const spec = command === undefined ? undefined : this.command(command);
    const specificOk = spec?.ok ?? [];
    const okPatterns = specificOk.length > 0 ? specificOk : this.anyOkPatterns();
    const dataPatterns = spec ? spec.data : this.allDataPatterns();
    return (text) => {
      const ok = this.findAny(okPatterns, text);
      if (ok) return asMatch(ok, { kind: 'ok', fields: ok.fields, raw: ok.raw });
      const error = this.findError(text);
      if (error) return error;
      if (specificOk.length > 0) {
        const generic = findAny(this.profile.okReply, text);
        if (generic) {
          throw new MalformedReplyError(
            `the reply "${generic.raw}" to ${command} does not have the expected shape (${specificOk.map((p) => p.source).join(' or ')})`,
          );
        }
      }
      const data = this.findAny(dataPatterns, text);
      if (data) return asMatch(data, { kind: 'data', fields: data.fields, raw: data.raw });
      return null;
    };
  }

  /** An error reply in `text`, if any; `code` only when the profile can tell codes apart. */
  private findError(text: string): Match<ReplyUnit> | null {
    for (const { pattern, code } of this.profile.errorReply) {
      const found = this.mapped(find(pattern, text));
      if (!found) continue;
      const errorCode = this.profile.errorCodes ? (code ?? found.fields.code) : undefined;
      const codeUnreadable = errorCode === undefined ? this.codeUnreadable(pattern, code) : undefined;
      return asMatch(found, { kind: 'error', code: errorCode, ...(codeUnreadable ? { codeUnreadable } : {}), fields: found.fields, raw: found.raw });
    }
    return null;
  }

  /**
   * Why the profile cannot read an error code from a refusal the error pattern `pattern` recognised, or
   * undefined when it can (the pattern reads codes, and the server's refusal simply carried none).
   */
  private codeUnreadable(pattern: RegExp, code: string | undefined): string | undefined {
    if (!this.profile.errorCodes) return `profile "${this.name}" reads no error codes (capabilities.errorCodes is false)`;
    if (code === undefined && !capturedGroups(pattern).has('code')) {
      return `profile "${this.name}" reads no error code from this refusal (its replies.error pattern /${pattern.source}/ has no code group and no "code")`;
    }
    return undefined;
  }

  /**
   * Why the profile cannot read what a check needs (each reason names the missing profile field), or
   * undefined when it can: a check on something the profile cannot read is not gradable, never failed.
   */
  unreadable(need: ReadNeed): string | undefined {
    const profile = this.profile;
    if (need.kind === 'role') {
      const member = profile.who?.member;
      if (!member) return `profile "${this.name}" cannot read a WHO reply (no "who" section)`;
      const roles = whoRoles(member);
      const readable = need.role === 'member' ? roles.owner || roles.admin : roles[need.role];
      if (readable) return undefined;
      if (need.role === 'member') return `profile "${this.name}" reads no member roles in WHO (who.member has no role, owner or admin group)`;
      return `profile "${this.name}" cannot read the ${need.role} role in WHO (who.member has no role or ${need.role} group)`;
    }
    const spec = profile.commands[need.command];
    if (!spec) return `profile "${this.name}" cannot express the command "${need.command}" (no commands.${need.command})`;
    if (need.kind === 'data') {
      return spec.data.length > 0 ? undefined : `profile "${this.name}" reads no data lines of "${need.command}" (no commands.${need.command}.data)`;
    }
    if (need.kind === 'dataField') {
      if (spec.data.length === 0) return `profile "${this.name}" reads no data lines of "${need.command}" (no commands.${need.command}.data)`;
      return need.fields.some((field) => spec.data.some((pattern) => capturedGroups(pattern).has(field)))
        ? undefined
        : `profile "${this.name}" reads no ${need.fields.join(' or ')} in the data lines of "${need.command}" (commands.${need.command}.data has no ${need.fields.join(' or ')} group)`;
    }
    const patterns = [...spec.ok, ...profile.okReply];
    return patterns.some((pattern) => capturedGroups(pattern).has(need.field))
      ? undefined
      : `profile "${this.name}" reads no ${need.field} in the reply to "${need.command}" (commands.${need.command}.ok has no ${need.field} group)`;
  }

  /** Matcher for an error reply only (e.g. a refusal while a greeting or a registration step waits). */
  errorMatcher(): Matcher<ReplyUnit> {
    return (text) => this.findError(text);
  }

  /** The patterns of a registration expect step, with {nick} filled in. */
  registerPatterns(step: Extract<RegisterStep, { kind: 'expect' }>, nick: string): RegExp[] {
    return step.patterns.map((generic, i) => {
      const template = step.templates?.[i];
      return template === undefined ? generic : new RegExp(specificEventSource(template, ['nick'], { nick }));
    });
  }

  /** Matcher for any of `patterns` (greeting, registration expect step). */
  patternMatcher(patterns: readonly RegExp[]): Matcher<Fields> {
    return (text) => {
      const found = this.findAny(patterns, text);
      return found ? asMatch(found, found.fields) : null;
    };
  }

  /** Every pattern a success reply of some command may have; the commands' own first, for their fields. */
  private anyOkPatterns(): RegExp[] {
    return [...Object.values(this.profile.commands).flatMap((spec) => spec.ok), ...this.profile.okReply];
  }

  private allDataPatterns(): RegExp[] {
    return Object.values(this.profile.commands).flatMap((spec) => spec.data);
  }

  // ---- events -----------------------------------------------------------------------------

  eventPatterns(event: EventName): ReadonlyArray<RegExp> {
    const patterns = this.profile.events[event];
    if (!patterns) throw new NotGradableError(`profile "${this.name}" cannot recognise the event "${event}" (no events.${event})`);
    return patterns;
  }

  /**
   * Does `text` show `event` with `fields`? Fields the profile's pattern does not capture at all
   * cannot be checked and are ignored (profile:check lists them); captured fields must be equal.
   */
  matchEvent(event: EventName, text: string, fields: Readonly<Fields> = {}): Found | undefined {
    const templates = this.profile.eventTemplates?.[event];
    for (const [i, generic] of this.eventPatterns(event).entries()) {
      const template = templates?.[i];
      // A mapped field's wire value differs from the value expected: its placeholder stays generic, and
      // its mapped capture is compared below like an explicit group.
      const literal = Object.fromEntries(Object.entries(fields).filter(([name]) => this.profile.values[name] === undefined));
      const pattern = template === undefined ? generic : this.specific(event, template, literal);
      const found = this.mapped(find(pattern, text));
      if (!found) continue;
      // Placeholders given a value already matched it literally; the other captured fields must agree.
      const checked = template === undefined ? capturedGroups(pattern) : capturedOutside(template, EVENT_FIELDS[event]);
      if (template !== undefined) for (const name of Object.keys(fields)) if (!(name in literal) && eventPlaceholders(template, EVENT_FIELDS[event]).includes(name)) checked.add(name);
      const agrees = Object.entries(fields).every(([name, want]) => !checked.has(name) || (found.fields[name] ?? '') === want);
      if (agrees) return found;
    }
    return undefined;
  }

  private readonly specificCache = new Map<string, RegExp>();

  /** A placeholder pattern with the expected values filled in (compiled once per distinct values). */
  private specific(event: EventName, template: string, fields: Readonly<Fields>): RegExp {
    const source = specificEventSource(template, EVENT_FIELDS[event], fields);
    let pattern = this.specificCache.get(source);
    if (!pattern) {
      pattern = new RegExp(source);
      if (this.specificCache.size > 1000) this.specificCache.clear(); // bounded: values are per scenario
      this.specificCache.set(source, pattern);
    }
    return pattern;
  }

  eventMatcher(event: EventName, fields: Readonly<Fields> = {}): Matcher<Fields> {
    this.eventPatterns(event); // not gradable before waiting, not after a timeout
    return (text) => {
      const found = this.matchEvent(event, text, fields);
      return found ? asMatch(found, found.fields) : null;
    };
  }

  /** Which recognisable event `text` shows (first in profile order), with its fields. */
  anyEvent(text: string, fields: Readonly<Fields> = {}): { event: EventName; found: Found } | undefined {
    for (const event of Object.keys(this.profile.events) as EventName[]) {
      const found = this.matchEvent(event, text, fields);
      if (found) return { event, found };
    }
    return undefined;
  }

  // ---- barrier ----------------------------------------------------------------------------

  get hasBarrier(): boolean {
    return this.profile.barrier !== undefined;
  }

  barrierRequest(token: string): string {
    return fill(this.profile.barrier!.send, { token })! + this.profile.lineEnding;
  }

  barrierMatcher(token: string): Matcher<Fields> {
    // The token is inserted literally (escaped), so the pattern matches this barrier's answer only.
    const pattern = new RegExp(this.profile.barrier!.expect.replaceAll('{token}', escapeRegExp(token)));
    return this.patternMatcher([pattern]);
  }

  // ---- WHO and LIST -----------------------------------------------------------------------

  /** Members from a WHO reply: the `members` field of the final reply and of its data lines. */
  parseMembers(fields: Fields, data: readonly Fields[]): Member[] {
    const who = this.profile.who;
    if (!who) throw new NotGradableError(`profile "${this.name}" cannot read a WHO reply (no "who" section)`);
    const tokens = [fields.members, ...data.map((d) => d.members)].flatMap((text) => splitTokens(text, who.separator));
    return tokens.map((token) => {
      const found = this.mapped(find(who.member, token));
      if (!found?.fields.nick) throw new MalformedReplyError(`WHO member "${token}" does not have the expected shape (${who.member.source})`);
      const named = found.fields.role;
      if (named !== undefined && named !== 'owner' && named !== 'admin' && named !== 'member') {
        throw new MalformedReplyError(`WHO member "${token}": role "${named}" is not owner, admin or member (map it with values.role)`);
      }
      const role = named ?? (found.fields.owner ? 'owner' : found.fields.admin ? 'admin' : 'member');
      return { nick: found.fields.nick, role };
    });
  }

  /** Channel names from a LIST reply: the `channels` field of the final reply and of its data lines. */
  parseChannels(fields: Fields, data: readonly Fields[]): string[] {
    const list = this.profile.list;
    if (!list) throw new NotGradableError(`profile "${this.name}" cannot read a LIST reply (no "list" section)`);
    return [fields.channels, ...data.map((d) => d.channels)].flatMap((text) => splitTokens(text, list.separator));
  }
}

/** Which roles a who.member pattern can tell: a role group says all of them, else its owner and admin markers. */
function whoRoles(member: RegExp): { owner: boolean; admin: boolean } {
  const groups = capturedGroups(member);
  if (groups.has('role')) return { owner: true, admin: true };
  return { owner: groups.has('owner'), admin: groups.has('admin') };
}

function splitTokens(text: string | undefined, separator: string | RegExp): string[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(separator).filter((token) => token !== '');
}

const groupCache = new WeakMap<RegExp, Set<string>>();

function capturedGroups(pattern: RegExp): Set<string> {
  let names = groupCache.get(pattern);
  if (!names) {
    names = new Set([...pattern.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!));
    groupCache.set(pattern, names);
  }
  return names;
}

/** Named groups written explicitly in a placeholder pattern (its placeholders excluded). */
function capturedOutside(template: string, fields: readonly string[]): Set<string> {
  const placeholders = new Set(eventPlaceholders(template, fields));
  return new Set([...template.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!).filter((name) => !placeholders.has(name)));
}
