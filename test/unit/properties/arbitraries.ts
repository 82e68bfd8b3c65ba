/**
 * fast-check generators of client activity: a few connection slots sending protocol lines (mostly
 * well-formed, drawn from a small pool of nicks and channel names so that users collide, share
 * channels and target each other), garbage lines (any code point, control characters included),
 * drops and reconnections.
 */
import fc from 'fast-check';
import type { Action } from './world.ts';

export const SLOTS = 5;
export const OPER_PASSWORD = 'pw';
/** Two slots share an address, so a /BAN of one refuses the other's reconnection. */
export const addressOf = (slot: number): string => `10.0.0.${Math.min(slot, 3)}`;

const NICKS = ['ann', 'bob', 'cy', 'dee', 'Ann'] as const;
const CHANNELS = ['#a', '#b', 'c', '#A'] as const;

const nick = fc.constantFrom(...NICKS);
const channel = fc.constantFrom(...CHANNELS);
const word = fc.string({ maxLength: 6 });

/** Any string at all: every code point, control characters, newlines, lone surrogates. */
const garbage = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }).map((s) => `/${s}`));

const protocolLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nick },
  { weight: 1, arbitrary: nick.map((n) => `/NICK ${n}`) },
  { weight: 6, arbitrary: channel.map((c) => `/JOIN ${c}`) },
  { weight: 3, arbitrary: fc.constantFrom('/LEAVE', '/WHO', '/LIST', '/CURRENT', '/HISTORY 3', '/PING t', '/HELP', '/BYE') },
  { weight: 2, arbitrary: channel.map((c) => `/CURRENT ${c}`) },
  { weight: 5, arbitrary: word.map((w) => `hi ${w}`) },
  { weight: 1, arbitrary: fc.constantFrom('//slash', '  padded  ', '', ' \t ', '/join #a', '/JOIN #a extra') },
  { weight: 3, arbitrary: fc.array(nick, { minLength: 1, maxLength: 3 }).map((ns) => `/MSG ${ns.join(';')} psst`) },
  { weight: 3, arbitrary: nick.map((n) => `/KICK ${n}`) },
  { weight: 2, arbitrary: channel.map((c) => `/REN ${c}`) },
  { weight: 2, arbitrary: nick.map((n) => `/GRANT ${n}`) },
  { weight: 2, arbitrary: nick.map((n) => `/REVOKE ${n}`) },
  { weight: 2, arbitrary: fc.tuple(nick, fc.integer({ min: 0, max: 5 })).map(([n, size]) => `/SEND ${n} f.txt ${size}`) },
  { weight: 5, arbitrary: fc.constantFrom('/DATA QQ==', '/DATA QUJD', '/DATA !!', '/RECV f.txt') },
  { weight: 1, arbitrary: fc.constantFrom(`/OPER ${OPER_PASSWORD}`, '/OPER nope', '/GLOBAL hey all', '/UNBAN 10.0.0.3') },
  { weight: 1, arbitrary: nick.map((n) => `/KILL ${n}`) },
  { weight: 1, arbitrary: nick.map((n) => `/BAN ${n}`) },
  { weight: 2, arbitrary: garbage },
);

const slot = fc.nat({ max: SLOTS - 1 });

export const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 14, arbitrary: fc.record({ kind: fc.constant('line' as const), slot, line: protocolLine }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), slot }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('connect' as const), slot }) },
);

/**
 * Every slot connects and registers under its own nick, and most share channels, so that sessions start
 * where the interesting rules are (kicks, grants, succession) instead of spending their length on
 * getting there. Random sessions still leave, drop, re-register and create channels from here.
 */
export const PRELUDE: readonly Action[] = [
  ...NICKS.slice(0, SLOTS).map((_, s): Action => ({ kind: 'connect', slot: s })),
  ...NICKS.slice(0, SLOTS).map((n, s): Action => ({ kind: 'line', slot: s, line: n })),
  ...[0, 1, 2, 3].map((s): Action => ({ kind: 'line', slot: s, line: '/JOIN #a' })),
  ...[2, 4].map((s): Action => ({ kind: 'line', slot: s, line: '/JOIN #b' })),
  { kind: 'line', slot: 4, line: `/OPER ${OPER_PASSWORD}` }, // one operator, so /KILL and /BAN happen
];

/** Lengths spread evenly up to 60 ('max'), not fast-check's default bias towards short arrays. */
export const session = fc.array(action, { minLength: 1, maxLength: 60, size: 'max' });
