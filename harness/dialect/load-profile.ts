/**
 * Loading a dialect profile: find the file, parse it, validate it against
 * profiles/profile.schema.json (ajv), then compile it (build every regular expression, check every
 * template's placeholders and every pattern's named groups). Any problem becomes a ProfileError whose
 * message lists one line per problem, each naming the JSON path: a wrong profile is a user error,
 * never a stack trace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../../common/json-schema.ts';
import { COMMAND_ARGS, COMMAND_NAMES, EVENT_FIELDS, EVENT_NAMES, isCommandName, isEventName } from './catalogue.ts';
import { eventPlaceholders, genericEventSource } from './event-template.ts';
import { placeholders } from './template.ts';
import type { CommandSpec, ConsoleCommandName, ConsoleSpec, ErrorPattern, Profile, RawCommand, RawConsoleSpec, RawPatterns, RawProfile, RawSeparator, RegisterStep } from './profile-types.ts';

/** A compiled part while the Compiler fills it in; the Profile it becomes is read-only. */
type Building<T> = { -readonly [K in keyof T]: T[K] };

export const PROFILES_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));
const SCHEMA_PATH = path.join(PROFILES_DIR, 'profile.schema.json');

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** `canonical` -> profiles/canonical.json; anything with a slash or ending in .json is a path. */
export function resolveProfilePath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.includes(path.sep) || nameOrPath.endsWith('.json')) {
    return path.resolve(nameOrPath);
  }
  return path.join(PROFILES_DIR, `${nameOrPath}.json`);
}

const cache = new Map<string, Profile>();

/** Load and compile a profile (cached per resolved path: scenarios share one compiled profile). */
export function loadProfile(nameOrPath: string): Profile {
  const file = resolveProfilePath(nameOrPath);
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfileError(`profile "${nameOrPath}": cannot read ${file}${code === 'ENOENT' ? ' (no such file)' : `: ${(error as Error).message}`}`);
  }
  const profile = parseProfile(text, file);
  cache.set(file, profile);
  return profile;
}

/** Parse, validate and compile profile text; `source` names it in messages. */
export function parseProfile(text: string, source: string): Profile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`${source}: not valid JSON: ${(error as Error).message}`);
  }
  json = withBase(json, source, [source]);
  const problems = [...validateAgainstSchema(json), ...unknownNames(json)];
  // Compiling assumes the shape the schema guarantees: only compile a profile that passed it.
  const compiler = new Compiler(json as RawProfile);
  const profile = problems.length === 0 ? compiler.compile(source) : undefined;
  problems.push(...compiler.problems);
  if (!profile || problems.length > 0) {
    throw new ProfileError(`${source} is not a valid profile:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return profile;
}

// ---- extends: a profile written as the differences from another ------------------------------

/**
 * `"extends": "canonical"` (a profile name, or a path relative to the extending file): the base
 * profile's sections with this one's on top, one level deep (capabilities, commands, events, replies,
 * variants... merged by key; a key given here replaces the base's whole value). A fixture or a
 * student's profile then says only what differs, e.g. canonical plus a course variant.
 */
function withBase(json: unknown, source: string, chain: string[]): unknown {
  if (!isPlainObject(json) || typeof json.extends !== 'string') return json;
  const name = json.extends;
  const looksLikePath = name.includes('/') || name.endsWith('.json');
  const file = looksLikePath ? path.resolve(path.dirname(source), name) : resolveProfilePath(name);
  if (chain.includes(file)) throw new ProfileError(`${source}: extends: "${name}" extends itself (${[...chain, file].join(' -> ')})`);
  let base: unknown;
  try {
    base = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProfileError(`${source}: extends: cannot read the profile "${name}" (${file}): ${(error as Error).message}`);
  }
  const resolved = withBase(base, file, [...chain, file]);
  const merged: Record<string, unknown> = isPlainObject(resolved) ? { ...resolved } : {};
  delete merged.extends;
  for (const [key, value] of Object.entries(json)) {
    if (key === 'extends') continue;
    const under = merged[key];
    merged[key] = isPlainObject(under) && isPlainObject(value) ? { ...under, ...value } : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- schema validation ------------------------------------------------------------------------

function validateAgainstSchema(json: unknown): string[] {
  const validator = schemaValidator(SCHEMA_PATH);
  if (validator(json)) return [];
  return dedupe((validator.errors ?? []).map(describeAjvError));
}

/** "/commands/join/send" -> "commands.join.send"; the root is "(profile)". */
function jsonPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  if (parts.length === 0) return '(profile)';
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${jsonPath(error.instancePath, String(params.additionalProperty))}: unknown property (not in the profile format)`;
    case 'required':
      return `${jsonPath(error.instancePath, String(params.missingProperty))}: missing (required)`;
    case 'enum':
      return `${jsonPath(error.instancePath)}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${jsonPath(error.instancePath)}: must be ${String(params.type).split(',').join(' or ')}`;
    default:
      return `${jsonPath(error.instancePath)}: ${error.message ?? error.keyword}`;
  }
}

/**
 * The schema takes any name under `commands` and `events` (so it need not repeat the catalogue): a name
 * the catalogue (common/commands.ts) does not know is refused here, like a property the format lacks.
 */
function unknownNames(json: unknown): string[] {
  if (!isPlainObject(json)) return [];
  const problems: string[] = [];
  const sections = [
    ['commands', isCommandName, COMMAND_NAMES],
    ['events', isEventName, EVENT_NAMES],
  ] as const;
  for (const [section, known, names] of sections) {
    const entries = json[section];
    if (!isPlainObject(entries)) continue; // the schema says what is wrong with it
    for (const name of Object.keys(entries)) {
      if (!known(name)) problems.push(`${section}.${name}: unknown ${section === 'commands' ? 'command' : 'event'} (not in the catalogue, common/commands.ts: ${names.join(', ')})`);
    }
  }
  return problems;
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}

// ---- compilation ------------------------------------------------------------------------------

const MEMBER_GROUPS = ['nick', 'owner', 'admin', 'role'];
const CONSOLE_COMMANDS: readonly ConsoleCommandName[] = ['global', 'kill', 'ban', 'unban'];
const ERROR_GROUPS = ['code', 'reason'];

/** Builds the compiled profile, collecting every problem (not just the first). */
class Compiler {
  readonly problems: string[] = [];

  constructor(private readonly raw: RawProfile) {}

  compile(source: string): Profile {
    const raw = this.raw;
    const framing = raw.wire?.framing ?? 'lines';
    const commands: Building<Profile['commands']> = {};
    for (const [name, command] of Object.entries(raw.commands)) {
      if (isCommandName(name) && command !== undefined) commands[name] = this.command(name, command);
    }
    const events: Building<Profile['events']> = {};
    const eventTemplates: Building<Profile['eventTemplates']> = {};
    for (const [name, patterns] of Object.entries(raw.events)) {
      if (isEventName(name) && patterns !== undefined) {
        const fields: string[] = [...EVENT_FIELDS[name]];
        const list = Array.isArray(patterns) ? patterns : [patterns];
        const where = (i: number) => (Array.isArray(patterns) ? `events.${name}[${i}]` : `events.${name}`);
        list.forEach((source, i) => {
          const used = eventPlaceholders(source, fields);
          const explicit = groupNames(source).filter((group) => used.includes(group));
          for (const group of explicit) this.problems.push(`${where(i)}: {${group}} and (?<${group}>...) both capture ${group}: use one of them`);
        });
        events[name] = list.map((source, i) => this.pattern(where(i), genericEventSource(source, fields), fields, 'a field of this event'));
        eventTemplates[name] = list.map((source) => (eventPlaceholders(source, fields).length > 0 ? source : undefined));
      }
    }
    const capabilities = raw.capabilities;
    const barrier = capabilities.barrier;
    if (barrier) {
      this.template('capabilities.barrier.send', barrier.send, ['token']);
      // {token} is substituted (escaped) before the pattern is compiled: check it with a sample.
      this.pattern('capabilities.barrier.expect', barrier.expect.replaceAll('{token}', 'tok'));
    }
    if (capabilities.lobby && capabilities.defaultChannel !== undefined) {
      this.problems.push('capabilities.defaultChannel: only meaningful when capabilities.lobby is false');
    }
    const variants = raw.variants ?? {};
    if (variants.lobby === 'default-channel' && (capabilities.lobby || capabilities.defaultChannel === undefined)) {
      this.problems.push('variants.lobby: "default-channel" needs capabilities.lobby false and capabilities.defaultChannel (the lobby channel\'s name)');
    }
    const wire = raw.wire ?? {};
    if (framing === 'stream' && (wire.split !== undefined || wire.expand !== undefined)) {
      this.problems.push('wire.split and wire.expand work on units (lines or idle framing), not on stream framing');
    }
    if (framing !== 'idle' && wire.idleMs !== undefined) this.problems.push('wire.idleMs: only meaningful with framing "idle"');
    return {
      name: raw.name,
      description: raw.description ?? '',
      source,
      framing,
      server: raw.server ?? {},
      stripAnsi: wire.stripAnsi ?? false,
      lineEnding: wire.lineEnding ?? '\n',
      sendPauseMs: wire.sendPauseMs ?? 0,
      idleMs: wire.idleMs ?? 150,
      ...(wire.split !== undefined ? { split: this.pattern('wire.split', wire.split) } : {}),
      expand: (wire.expand ?? []).map((rule, i) => {
        const match = this.pattern(`wire.expand[${i}].match`, rule.match);
        const groups = groupNames(rule.match);
        return { match, into: rule.into.map((template, j) => this.template(`wire.expand[${i}].into[${j}]`, template, groups)) };
      }),
      names: this.names(raw.names ?? {}),
      values: raw.values ?? {},
      greeting: raw.connect?.greeting === undefined ? [] : this.patterns('connect.greeting', raw.connect.greeting),
      register: raw.register.map((step, i): RegisterStep => {
        if ('send' in step) return { kind: 'send', template: this.template(`register[${i}].send`, step.send, ['nick']) };
        const sources = Array.isArray(step.expect) ? step.expect : [step.expect];
        return {
          kind: 'expect',
          patterns: this.patterns(`register[${i}].expect`, sources.map((source) => genericEventSource(source, ['nick']))),
          templates: sources.map((source) => (eventPlaceholders(source, ['nick']).length > 0 ? source : undefined)),
        };
      }),
      okReply: raw.replies.ok === undefined ? [] : this.patterns('replies.ok', raw.replies.ok),
      errorReply: this.errors(raw.replies.error),
      commands,
      events,
      eventTemplates,
      who: raw.who && {
        separator: this.separator('who.separator', raw.who.separator),
        member: this.pattern('who.member', raw.who.member, MEMBER_GROUPS, 'nick, owner, admin or role', ['nick']),
      },
      list: raw.list && { separator: this.separator('list.separator', raw.list.separator) },
      console: raw.console && this.console(raw.console, commands),
      barrier: barrier && { send: barrier.send, expect: barrier.expect },
      lobby: capabilities.lobby,
      defaultChannel: capabilities.defaultChannel,
      rawWire: capabilities.rawWire,
      errorCodes: capabilities.errorCodes,
      variants,
    };
  }

  private command(name: keyof typeof COMMAND_ARGS, command: RawCommand): CommandSpec {
    const where = `commands.${name}`;
    const spec = typeof command === 'string' || Array.isArray(command) ? { send: command } : command;
    const sendWhere = typeof command === 'object' && !Array.isArray(command) ? `${where}.send` : where;
    const sends = Array.isArray(spec.send) ? spec.send : [spec.send];
    const allowed: string[] = [...COMMAND_ARGS[name]];
    // Without a nickSeparator, msg can still express one target (the v0 dialects).
    if (name !== 'msg' && spec.nickSeparator !== undefined) this.problems.push(`${where}.nickSeparator: only meaningful for msg`);
    return {
      templates: sends.map((template, i) => this.template(Array.isArray(spec.send) ? `${sendWhere}[${i}]` : sendWhere, template, allowed)),
      ok: spec.ok === undefined ? [] : this.patterns(`${where}.ok`, spec.ok),
      data: spec.data === undefined ? [] : this.patterns(`${where}.data`, spec.data),
      silent: spec.silent ?? false,
      nickSeparator: spec.nickSeparator,
    };
  }

  /** The console section; a command it does not spell out is typed as the users' command (canonical console). */
  private console(raw: RawConsoleSpec, commands: Profile['commands']): ConsoleSpec {
    const typed: Building<ConsoleSpec['commands']> = {};
    for (const name of CONSOLE_COMMANDS) {
      const own = raw.commands?.[name];
      if (own === undefined) {
        const users = commands[name]?.templates;
        if (users !== undefined) typed[name] = users;
        continue;
      }
      const list = Array.isArray(own) ? own : [own];
      typed[name] = list.map((template, i) => this.template(Array.isArray(own) ? `console.commands.${name}[${i}]` : `console.commands.${name}`, template, [...COMMAND_ARGS[name]]));
    }
    return {
      actor: raw.actor ?? '*',
      commands: typed,
      answer: (raw.answer === undefined ? [] : Array.isArray(raw.answer) ? raw.answer : [raw.answer]).map((source, i) =>
        this.pattern(Array.isArray(raw.answer) ? `console.answer[${i}]` : 'console.answer', source, ['reply'], 'the answer (reply)', ['reply']),
      ),
    };
  }

  private errors(raw: RawProfile['replies']['error']): ErrorPattern[] {
    if (raw === undefined) return [];
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((item, i) => {
      const where = Array.isArray(raw) ? `replies.error[${i}]` : 'replies.error';
      if (typeof item === 'string') return { pattern: this.pattern(where, item, ERROR_GROUPS, 'code or reason') };
      return { pattern: this.pattern(`${where}.match`, item.match, ERROR_GROUPS, 'code or reason'), code: item.code };
    });
  }

  private separator(where: string, raw: RawSeparator | undefined): string | RegExp {
    if (raw === undefined) return /\s+/;
    if (typeof raw === 'string') return raw;
    const pattern = this.pattern(`${where}.regex`, raw.regex);
    if (pattern.test('')) this.problems.push(`${where}.regex: matches the empty text, so it would split between every character`);
    return pattern;
  }

  /** Name rules: the allowed class must compile, and leave room for the scenario suffix. */
  private names(raw: NonNullable<RawProfile['names']>): Profile['names'] {
    for (const kind of ['nick', 'channel'] as const) {
      const rule = raw[kind];
      if (rule?.allowed === undefined) continue;
      let cls: RegExp | undefined;
      try {
        cls = new RegExp(`^[${rule.allowed}]+$`);
      } catch (error) {
        this.problems.push(`names.${kind}.allowed: not a character class: ${(error as Error).message}`);
        continue;
      }
      if (!cls.test('k3f2x')) this.problems.push(`names.${kind}.allowed: must allow lower-case letters and digits (the scenario suffix is made of them)`);
    }
    return raw;
  }

  private template(where: string, template: string, allowed: string[]): string {
    try {
      for (const name of placeholders(template)) {
        if (!allowed.includes(name)) {
          this.problems.push(`${where}: unknown placeholder {${name}} (${allowed.length ? `allowed: ${allowed.map((a) => `{${a}}`).join(', ')}` : 'this command takes no argument'})`);
        }
      }
    } catch (error) {
      this.problems.push(`${where}: ${(error as Error).message}`);
    }
    return template;
  }

  private patterns(where: string, raw: RawPatterns, groups?: string[], groupsWord?: string): RegExp[] {
    const list = Array.isArray(raw) ? raw : [raw];
    return list.map((source, i) => this.pattern(Array.isArray(raw) ? `${where}[${i}]` : where, source, groups, groupsWord));
  }

  /** Compile one pattern; `groups` restricts its named groups, `required` lists groups it must have. */
  private pattern(where: string, source: string, groups?: string[], groupsWord?: string, required: string[] = []): RegExp {
    let regex: RegExp;
    try {
      regex = new RegExp(source);
    } catch (error) {
      this.problems.push(`${where}: invalid regular expression: ${(error as Error).message}`);
      return /(?!)/; // never matches; the profile is rejected anyway
    }
    const names = groupNames(source);
    if (groups) {
      for (const name of names) {
        if (!groups.includes(name)) this.problems.push(`${where}: named group (?<${name}>...) is not ${groupsWord} (allowed: ${groups.join(', ')})`);
      }
    }
    for (const name of required) {
      if (!names.includes(name)) this.problems.push(`${where}: needs a named group (?<${name}>...)`);
    }
    return regex;
  }
}

function groupNames(source: string): string[] {
  return [...source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
}
