/**
 * What every step file shares: reply assertions and the small translations steps need. Free of
 * Cucumber registrations, so it can be unit-tested on its own. Nothing here knows a wire string:
 * text goes through the Session and its profile.
 */
import assert from 'node:assert/strict';
import { NotGradableError } from '../../harness/session/session-api.ts';
import type { Reply } from '../../harness/session/session-api.ts';
import type { ReadNeed } from '../../harness/dialect/dialect.ts';
import type { ChatWorld } from './world.ts';

// ---------------------------------------------------------------------------------------------
// Users

/**
 * Register `user` unless a previous step connected or registered it (or it has left). A name that
 * another user took as new nick is refused here, with the fix, instead of failing as NICK_IN_USE.
 */
export async function ensureRegistered(world: ChatWorld, user: string): Promise<void> {
  if (world.users.has(user)) return;
  const owner = world.nickTakenBy.get(user);
  if (owner !== undefined) {
    throw new Error(
      `"${user}" is the nick ${owner} changed to, not a connection of its own: write "${owner} ..." for what ` +
        `that user does and receives, and "${user}" where others see the nick (features/README.md)`,
    );
  }
  const reply = world.remember(user, await world.session.register(user));
  expectSuccess(world, user, reply, 'register');
  world.users.set(user, 'registered');
}

// ---------------------------------------------------------------------------------------------
// Replies

export function describe(reply: Reply): string {
  if (reply.raw === '' && reply.silence !== undefined) return reply.silence;
  return `the server answered ${JSON.stringify(reply.raw)}`;
}

export function expectSuccess(world: ChatWorld, user: string, reply: Reply, what: string): void {
  assert.ok(reply.ok, `${user} expected ${what} to succeed, but ${describe(reply)}`);
}

/**
 * Refusal, then its error code (see expectErrorCode). A scenario that names a code is about that code:
 * with a profile that cannot tell codes apart it is not gradable, never passed on any refusal (issue #4).
 */
export async function expectRefusal(world: ChatWorld, user: string, given: Reply, code?: string): Promise<void> {
  // A silent "success" seen after a short learned wait gets a second look before it fails the scenario.
  const reply = given.ok ? await world.session.recheck(user, given) : given;
  if (reply !== given) world.remember(user, reply);
  assert.ok(!reply.ok, `${user} expected a refusal${code ? ` with ${code}` : ''}, but ${describe(reply)}`);
  if (code !== undefined) expectErrorCode(world, user, reply, code);
}

/**
 * The refusal's code. reply.code undefined means the profile extracted none: not gradable when the
 * profile cannot read codes (capabilities.errorCodes false, or the error pattern that recognised this
 * refusal has no code group and no "code"), a failure when it reads them (the server's refusal carried
 * none: its code group did not match).
 */
export function expectErrorCode(world: ChatWorld, user: string, reply: Reply, code: string): void {
  if (reply.code === undefined) {
    if (reply.codeUnreadable !== undefined) throw new NotGradableError(`${reply.codeUnreadable}: the code ${code} cannot be checked`);
    world.session.requireCapability('errorCodes');
  }
  assert.equal(reply.code, code, `${user} expected the error code ${code}, but ${describe(reply)}`);
}

/**
 * A field the profile extracts from a reply. Missing means the profile does not extract it:
 * that scenario cannot be graded with this profile (it is not the server's fault).
 */
export function field(reply: Reply, name: string): string {
  const value = reply.fields[name];
  if (value === undefined) {
    throw new NotGradableError(`the profile does not extract the field "${name}" from the reply ${JSON.stringify(reply.raw)}`);
  }
  return value;
}

/**
 * Not gradable unless the profile can read what a check needs (ReadNeed: a WHO role, data lines, a reply
 * field): a check on something the profile cannot read must never fail, nor pass without being made.
 */
export function requireReadable(world: ChatWorld, need: ReadNeed): void {
  const reason = world.session.unreadable(need);
  if (reason !== undefined) throw new NotGradableError(reason);
}

/** Check a field only when the profile extracts it (sanity checks inside action steps). */
export function expectFieldIfPresent(world: ChatWorld, reply: Reply, name: string, expected: string): void {
  const value = reply.fields[name];
  if (value === undefined) return;
  assert.equal(value, expected, `the reply's ${name} should be ${JSON.stringify(expected)}: ${describe(reply)}`);
}


// ---------------------------------------------------------------------------------------------
// Raw wire text written in feature files (@wire scenarios only)

/**
 * Feature files write raw lines with logical names in braces ("/KICK {bob}", "/JOIN {#room}");
 * this maps each to the scenario's real name. Braces around anything else are left alone.
 */
export function expandNames(world: ChatWorld, text: string): string {
  return text.replace(/\{(#?[A-Za-z][A-Za-z0-9_.-]*)\}/g, (whole, name: string) => {
    if (name.startsWith('#')) return world.channel(name);
    return /^[a-z]+$/.test(name) ? world.nick(name) : whole;
  });
}

/**
 * Feature strings cannot hold raw bytes, so they use escapes: \n \r \t \\ and \xNN (one raw byte,
 * e.g. \xFF, an invalid UTF-8 byte). Everything else is encoded as UTF-8.
 */
export function decodeEscapes(text: string): Uint8Array {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, '\\': 0x5c };
      if (next in simple) {
        bytes.push(simple[next]!);
        i += 1;
        continue;
      }
      const hex = /^x([0-9A-Fa-f]{2})/.exec(text.slice(i + 1));
      if (hex) {
        bytes.push(parseInt(hex[1]!, 16));
        i += 3;
        continue;
      }
    }
    const codePoint = text.codePointAt(i)!;
    const encoded = encoder.encode(String.fromCodePoint(codePoint));
    bytes.push(...encoded);
    if (codePoint > 0xffff) i += 1;
  }
  return Uint8Array.from(bytes);
}

/**
 * How many final replies the server owes for these bytes (PROTOCOL.md §2.1, §1.6): one per complete
 * line that is not blank. Bytes after the last newline wait for the rest of their line.
 */
export function repliesOwed(bytes: Uint8Array): number {
  let owed = 0;
  let start = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] !== 0x0a) continue;
    let line = bytes.subarray(start, i);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    if (line.some((byte) => byte !== 0x20 && byte !== 0x09)) owed += 1;
    start = i + 1;
  }
  return owed;
}

/** Wait for the final reply of every complete non-blank line just sent raw, in order, and remember them. */
export async function collectReplies(world: ChatWorld, user: string, sent: Uint8Array): Promise<void> {
  const replies = [];
  for (let owed = repliesOwed(sent); owed > 0; owed -= 1) replies.push(await world.session.nextReply(user));
  world.rawReplies.set(user, replies);
  const last = replies.at(-1);
  if (last) world.remember(user, last);
}

// ---------------------------------------------------------------------------------------------
// Members as feature files write them

/** "~alice @bob carol": ~ marks the owner, @ a granted admin (the notation of PROTOCOL.md §5.8). */
export function parseMembers(world: ChatWorld, text: string): Array<{ nick: string; role: 'owner' | 'admin' | 'member' }> {
  return text
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => {
      if (word.startsWith('~')) return { nick: world.nick(word.slice(1)), role: 'owner' as const };
      if (word.startsWith('@')) return { nick: world.nick(word.slice(1)), role: 'admin' as const };
      return { nick: world.nick(word), role: 'member' as const };
    });
}

/** "alice", "bob and carol", "alice, bob and carol" -> the names (the {users} parameter type). */
export function splitUsers(text: string): string[] {
  return text.split(/, | and /).map((name) => name.trim());
}
