/**
 * `--profile`: which bench dialect the generator speaks.
 *
 * A harness profile (profiles/<name>.json, or a path to one) is loaded through the harness's dialect
 * engine and reduced to what the bench needs: its registration script, its `join` and `say` commands,
 * its error replies and its `message` event, unless the name is a built-in bench dialect (`irc`, real IRC
 * for bench:compare; the harness's profiles/irc.json is then given by its path). So `--profile canonical`
 * (the default, and the compare's canonical targets) speaks exactly what profiles/canonical.json says,
 * like the conformance suite does. Only registration and joins are recognised through the profile's
 * patterns; deliveries are found by their payload (payload.ts), so the profile costs the hot path nothing.
 */
import { existsSync } from 'node:fs';
import { Dialect } from '../harness/dialect/dialect.ts';
import { loadProfile, resolveProfilePath } from '../harness/dialect/load-profile.ts';
import { anyOf, BUILTIN_DIALECTS, type BenchDialect, type DialectOrigin, type LineTest } from './dialect.ts';

export async function resolveDialect(profile: string): Promise<BenchDialect> {
  const builtin = BUILTIN_DIALECTS[profile];
  // `irc` is real IRC (ngircd, InspIRCd in bench:compare): it keeps its name over profiles/irc.json, the
  // IRC-like student dialect of the conformance fixtures, which is reached by its path.
  if (builtin !== undefined) return builtin;
  if (existsSync(resolveProfilePath(profile))) return dialectFromHarnessProfile(profile);
  throw new Error(`unknown profile "${profile}": not a harness profile (${resolveProfilePath(profile)} does not exist) nor a built-in bench dialect (${Object.keys(BUILTIN_DIALECTS).join(', ')})`);
}

/** PROTOCOL.md's dialect, read from profiles/canonical.json exactly as `--profile canonical` reads it. */
export function canonicalDialect(): BenchDialect {
  return dialectFromHarnessProfile('canonical');
}

/** Rebuilds a dialect from its origin (in a worker thread). */
export function dialectFromOrigin(origin: DialectOrigin): BenchDialect {
  if ('profile' in origin) return dialectFromHarnessProfile(origin.profile);
  const builtin = BUILTIN_DIALECTS[origin.builtin];
  if (builtin === undefined) throw new Error(`unknown built-in bench dialect "${origin.builtin}"`);
  return builtin;
}

/** Reduces a harness profile to a bench dialect; refuses what the bench cannot drive, saying why. */
export function dialectFromHarnessProfile(nameOrPath: string): BenchDialect {
  const profile = loadProfile(nameOrPath);
  const dialect = new Dialect(profile);
  const refuse = (why: string): never => {
    throw new Error(`profile "${profile.name}" cannot drive the bench: ${why}`);
  };
  if (profile.framing !== 'lines') refuse('its framing is not "lines" (the bench counts deliveries per line)');
  const sends = profile.register.filter((step) => step.kind === 'send');
  const expects = profile.register.filter((step) => step.kind === 'expect');
  const lastExpect = expects.at(-1);
  // The bench sends the registration lines at once and waits for the LAST expectation only.
  if (sends.length === 0 || lastExpect === undefined) refuse('its registration script needs at least one send and one expect step');
  const joinSpec = dialect.command('join');
  if (joinSpec.silent) refuse('its join is silent (no acknowledgement to wait for)');
  const joinOk: LineTest = anyOf(joinSpec.ok.length > 0 ? joinSpec.ok : profile.okReply);
  const message = profile.events.message;
  if (message === undefined || message.length === 0) refuse('it cannot recognise the "message" event');
  // Most dialects say to the current channel ("{text}"): the channel is given only to a template that names it.
  const sayNamesChannel = dialect.command('say').templates.some((template) => template.includes('{channel}'));
  const stripEnding = (text: string): string => (text.endsWith(profile.lineEnding) ? text.slice(0, -profile.lineEnding.length) : text);
  return {
    name: profile.name,
    origin: { profile: nameOrPath },
    greeting: profile.greeting.length > 0 ? anyOf(profile.greeting) : undefined,
    register: (nick) => sends.map((step) => stripEnding(dialect.renderRegisterStep(step.kind === 'send' ? step.template : '', nick))),
    registered: anyOf(lastExpect!.kind === 'expect' ? lastExpect!.patterns : []),
    registerFailed: anyOf(profile.errorReply.map((error) => error.pattern)),
    join: (channel) => [stripEnding(dialect.render('join', { channel }))],
    joined: () => joinOk,
    say: sayRenderer((channel, text) => stripEnding(dialect.render('say', sayNamesChannel ? { channel, text } : { text }))),
    deliveryLine: anyOf(message!),
    eol: profile.lineEnding,
  };
}

/** Stands for the text while a channel's `say` line is rendered once (control characters: never in a template). */
const TEXT_MARK = '\u0001text\u0001';

/**
 * `render` made cheap for the send path: the line for a channel is rendered once, with a mark for the text,
 * and each message is then the part before the mark, the text and the part after. The harness's template
 * engine matches every placeholder of every template with regular expressions on each call: on the
 * generator's thread, once per message sent, it cost more than reading the deliveries of a canonical-dialect
 * server (bench/README.md, "Server efficiency"). A template that does not copy the text verbatim exactly
 * once is rendered in full for every message, as before.
 */
export function sayRenderer(render: (channel: string, text: string) => string): (channel: string, text: string) => string {
  const split = new Map<string, readonly [string, string] | null>();
  return (channel, text) => {
    let parts = split.get(channel);
    if (parts === undefined) {
      const marked = render(channel, TEXT_MARK).split(TEXT_MARK);
      parts = marked.length === 2 ? [marked[0]!, marked[1]!] : null;
      split.set(channel, parts);
    }
    return parts === null ? render(channel, text) : parts[0] + text + parts[1];
  };
}
