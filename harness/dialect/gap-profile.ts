/**
 * A profile's gaps, as a profile: the canonical profile minus everything the given profile lacks (commands
 * it cannot express, events it cannot recognise, reply fields and data lines it does not read, WHO roles,
 * error codes, capabilities, the console). Run against the bundled reference server, it makes exactly the
 * scenarios the profile cannot grade end "not gradable", for the reason the steps give
 * (harness/run/known-ungradable.ts, and profile:check's list in harness/run/profile-gaps.ts).
 *
 * What is not carried over is returned as `notCarried`: names rules, course variants (unless `variants` is
 * asked for) and stream framing, found during a run only. The canonical barrier stays even when the profile has none: no step needs a
 * barrier to be gradable (the quiet-period fallback grades the same checks), and it keeps the forecast fast.
 */
import { COMMAND_NAMES, EVENT_NAMES } from './catalogue.ts';
import type { Profile } from './profile-types.ts';

/** Canonical's JSON as written (profiles/canonical.json), the base the gaps are cut out of. */
export type Raw = Record<string, any>;

const groupsOf = (pattern: RegExp): Set<string> => new Set([...pattern.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!));

/** `source` with the named groups `names` made non-capturing: the pattern still matches, those fields are not read. */
function withoutGroups(source: string, names: ReadonlySet<string>): string {
  return source.replace(/\(\?<([A-Za-z_]\w*)>/g, (whole, name: string) => (names.has(name) ? '(?:' : whole));
}

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

/** A pattern list with the groups the profile cannot read (not in `readable`) made non-capturing. */
function keepReadable(patterns: unknown, readable: ReadonlySet<string>): string[] {
  return asList(patterns).map((source) => {
    const unread = new Set([...source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!).filter((name) => !readable.has(name)));
    return withoutGroups(source, unread);
  });
}

/**
 * Canonical's profile JSON with `profile`'s gaps cut out, under `profile`'s name (so the reasons name it).
 * Returns the JSON and what could not be carried over (said beside the list).
 */
export function gapProfile(profile: Profile, canonical: Raw, options: { variants?: boolean } = {}): { raw: Raw; notCarried: string[] } {
  const raw = JSON.parse(JSON.stringify(canonical)) as Raw;
  delete raw.$schema;
  raw.name = profile.name;
  raw.description = `canonical minus what profile "${profile.name}" lacks (npm run profile:check)`;
  const notCarried: string[] = [];

  const okGroups = new Set(profile.okReply.flatMap((p) => [...groupsOf(p)]));
  for (const name of COMMAND_NAMES) {
    const spec = profile.commands[name];
    const mine = raw.commands[name] as Raw | undefined;
    if (!mine) continue;
    if (!spec) {
      delete raw.commands[name];
      continue;
    }
    // Only canonical's templates whose arguments one of the profile's templates takes: a scenario giving
    // an argument no template of the profile uses is not gradable (Dialect.render).
    const argSets = new Set(spec.templates.map((t) => [...t.matchAll(/\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]).sort().join(',')));
    const sends = asList(mine.send).filter((t) => argSets.has([...t.matchAll(/\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]).sort().join(',')));
    if (sends.length === 0) {
      delete raw.commands[name];
      continue;
    }
    mine.send = sends;
    const readable = new Set([...okGroups, ...spec.ok.flatMap((p) => [...groupsOf(p)])]);
    if (mine.ok !== undefined) mine.ok = keepReadable(mine.ok, readable);
    if (mine.data !== undefined) {
      if (spec.data.length === 0) delete mine.data;
      else mine.data = keepReadable(mine.data, new Set(spec.data.flatMap((p) => [...groupsOf(p)])));
    }
    if (!spec.nickSeparator) delete mine.nickSeparator;
  }
  for (const name of EVENT_NAMES) if (!profile.events[name]) delete raw.events[name];

  if (!profile.who) delete raw.who;
  else {
    const groups = groupsOf(profile.who.member);
    const roles = groups.has('role') ? ['owner', 'admin'] : ['owner', 'admin'].filter((role) => groups.has(role));
    raw.who.member = keepReadable(raw.who.member, new Set(['nick', ...roles]))[0];
  }
  if (!profile.list) delete raw.list;

  const readsCodes = profile.errorCodes && profile.errorReply.some((e) => e.code !== undefined || groupsOf(e.pattern).has('code'));
  if (!profile.errorCodes) raw.capabilities.errorCodes = false;
  else if (!readsCodes) raw.replies.error = keepReadable(raw.replies.error, new Set(['reason']));
  raw.capabilities.lobby = profile.lobby;
  if (profile.defaultChannel !== undefined) raw.capabilities.defaultChannel = profile.defaultChannel;
  raw.capabilities.rawWire = profile.rawWire;

  if (!profile.console) delete raw.console;
  else if (profile.console.answer.length === 0) delete raw.console.answer;

  if (profile.framing === 'stream') notCarried.push('stream framing (the @load scenarios number the lines a user received: not gradable in stream framing)');
  if (Object.keys(profile.names).length > 0) notCarried.push('names rules (scenarios needing a name they exclude are not gradable)');
  if (Object.keys(profile.variants).length > 0) {
    // Carried when asked (the forecast before a run): the steps then adapt as they will in the run.
    if (options.variants) raw.variants = { ...profile.variants };
    else notCarried.push('course variants (listed above)');
  }
  return { raw, notCarried };
}

