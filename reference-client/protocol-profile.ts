/**
 * The client's Dialect (protocol.ts), read from a dialect profile (profiles/*.json) by the harness's
 * dialect engine, so the client speaks and reads a server exactly the way the conformance suite does:
 * commands rendered by the profile's templates, replies, data lines and events recognised by its
 * patterns. Without --profile it reads profiles/canonical.json, the one description of docs/PROTOCOL.md's
 * wire format that the harness and the bench read too.
 *
 * Limits: line framing only (a `stream` profile is read line by line); a registration script is
 * supported when it is `commands.register`, or one send optionally followed by one expect.
 */
import { Dialect as ProfileEngine, MalformedReplyError, type ReplyUnit } from '../harness/dialect/dialect.ts';
import { loadProfile, ProfileError } from '../harness/dialect/load-profile.ts';
import type { Profile } from '../harness/dialect/profile-types.ts';
import type { Matcher } from '../harness/wire/test-client.ts';
import { NotGradableError } from '../harness/session/session-api.ts';
import { stripAnsi } from '../harness/wire/ansi.ts';
import type { Classified, ClientCommand, CommandName, Dialect, Expecting } from './protocol.ts';

/** The profile spoken without --profile: PROTOCOL.md's own dialect. */
export const DEFAULT_PROFILE = 'canonical';

/** Which data lines a command's answer carries, for display. */
const DATA_KIND: Partial<Record<CommandName, 'help' | 'history' | 'filedata'>> = { help: 'help', history: 'history', recv: 'filedata' };

/** The registration as the client can run it: one line out, and optionally the pattern of its success. */
function registration(profile: Profile, engine: ProfileEngine): { render(nick: string): string; ok?: Matcher<Record<string, string>> } | undefined {
  if (profile.commands.register) return { render: (nick) => engine.render('register', { nick }) };
  const [first, second, ...more] = profile.register;
  if (first?.kind !== 'send' || more.length > 0 || second?.kind === 'send') return undefined;
  return {
    render: (nick) => engine.renderRegisterStep(first.template, nick),
    ...(second?.kind === 'expect' ? { ok: engine.patternMatcher(second.patterns) } : {}),
  };
}

function fromUnit(unit: ReplyUnit, command: CommandName): Classified {
  if (unit.kind === 'ok') return { kind: 'reply', ok: true, command, fields: unit.fields };
  if (unit.kind === 'error') return { kind: 'reply', ok: false, ...(unit.code ? { code: unit.code } : {}), fields: unit.fields };
  return { kind: 'data', data: DATA_KIND[command] ?? 'other', fields: unit.fields };
}

export function dialectFromProfile(profile: Profile): Dialect {
  const engine = new ProfileEngine(profile);
  const register = registration(profile, engine);
  const withoutEnding = (wire: string) => (wire.endsWith(profile.lineEnding) ? wire.slice(0, wire.length - profile.lineEnding.length) : wire);
  const greeting = engine.patternMatcher(profile.greeting);
  const errorOnly = engine.errorMatcher();
  const anyReply = engine.finalReplyMatcher();

  const render = (command: ClientCommand): string | undefined => {
    try {
      if (command.name === 'register') return register === undefined ? undefined : withoutEnding(register.render(command.args.nick ?? ''));
      let args = command.args;
      if (command.name === 'msg') {
        // The user types targets joined by ';' (canonical); the profile joins them its own way.
        const nicks = (args.nicks ?? '').split(';');
        const separator = engine.command('msg').nickSeparator;
        if (nicks.length > 1 && separator === undefined) return undefined;
        args = { ...args, nicks: nicks.join(separator ?? '') };
      }
      const line = withoutEnding(engine.render(command.name, args));
      // A message whose text starts with '/' rendered as a line starting with it would be read as a
      // command. A rawWire server reads canonical lines, where '//' starts such a message (PROTOCOL.md §5),
      // as the user typed it (typed-commands.ts).
      if (command.name === 'say' && profile.rawWire && args.text?.startsWith('/') && line.startsWith(args.text)) return `/${line}`;
      return line;
    } catch (error) {
      if (error instanceof NotGradableError) return undefined;
      throw error;
    }
  };

  const classifyExpected = (text: string, expecting: Expecting): Classified | undefined => {
    if (expecting.barrierToken !== undefined) {
      if (engine.barrierMatcher(expecting.barrierToken)(text)) return { kind: 'reply', ok: true, command: 'ping', fields: {}, barrier: true };
      const error = errorOnly(text);
      return error ? fromUnit(error.value, expecting.command ?? 'ping') : undefined;
    }
    const command = expecting.command;
    if (command === undefined) return undefined;
    if (command === 'register' && register?.ok) {
      const ok = register.ok(text);
      if (ok) return { kind: 'reply', ok: true, command, fields: ok.value };
      const error = errorOnly(text);
      return error ? fromUnit(error.value, command) : undefined;
    }
    if (!profile.commands[command]) return undefined;
    try {
      const unit = engine.finalReplyMatcher(command)(text);
      return unit ? fromUnit(unit.value, command) : undefined;
    } catch (error) {
      // A success of the wrong shape still ends the command: show it rather than wait forever.
      if (error instanceof MalformedReplyError) return { kind: 'reply', ok: true, command, fields: { details: text } };
      throw error;
    }
  };

  return {
    name: profile.name,
    lineEnding: profile.lineEnding,
    render,
    renderRaw: (line) => (profile.rawWire ? line : undefined),
    isSilent: (command) => {
      if (command.name === 'register') return register !== undefined && register.ok === undefined && !profile.commands.register;
      return profile.commands[command.name]?.silent ?? false;
    },
    renderBarrier: (token) => (engine.hasBarrier ? withoutEnding(engine.barrierRequest(token)) : undefined),
    classify: (line, expecting) => {
      const text = profile.stripAnsi ? stripAnsi(line) : line;
      const expected = expecting === undefined ? undefined : classifyExpected(text, expecting);
      if (expected) return expected;
      const event = engine.anyEvent(text);
      if (event) return { kind: 'event', event: event.event, fields: event.found.fields };
      const hello = greeting(text);
      if (profile.greeting.length > 0 && hello) return { kind: 'greeting', fields: hello.value };
      // Nobody (or a different command) is waiting: still recognise a reply, e.g. a refusal before a close.
      const unit = anyReply(text);
      if (unit && unit.value.kind !== 'data') return fromUnit(unit.value, expecting?.command ?? 'unknown');
      return { kind: 'unknown' };
    },
    // Profiles do not state a line limit: keep the canonical chunk size (lines under 4096 bytes).
    dataChunkBytes: 3000,
    greets: profile.greeting.length > 0,
  };
}

export class DialectUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DialectUnavailableError';
  }
}

/**
 * The dialect to speak: `--profile NAME|PATH`, or profiles/canonical.json without it. A missing or
 * invalid profile is a DialectUnavailableError (a usage error).
 */
export function loadDialect(nameOrPath: string = DEFAULT_PROFILE): Dialect {
  try {
    return dialectFromProfile(loadProfile(nameOrPath));
  } catch (error) {
    if (error instanceof ProfileError) throw new DialectUnavailableError(error.message);
    throw error;
  }
}
