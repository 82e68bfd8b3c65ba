/**
 * The words feature files use for people, channels and error codes.
 *
 * Every name here is LOGICAL: the Session maps it to a unique real name per scenario, so the same
 * "alice" and "#room" can appear in every scenario of a shared, long-running target.
 */
import { defineParameterType } from '@cucumber/cucumber';
import type { CommandName, EventName } from '../../harness/session/session-api.ts';
import { COMMAND_ARGS } from '../../harness/dialect/catalogue.ts';
import { splitUsers } from './steps-helpers.ts';

/**
 * The cast. A closed list (not "any word") keeps step phrases unambiguous: "alice receives nothing"
 * can never be read as a user called "the". The last three are the new names users take in
 * nick-change scenarios.
 */
export const USER_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory',
  'alicia', 'robert', 'caroline',
] as const;

const USER = `(?:${USER_NAMES.join('|')})`;

defineParameterType({
  name: 'user',
  regexp: new RegExp(USER),
  transformer: (name: string) => name,
});

/** "alice", "bob and carol", "alice, bob and carol" (a single name is a list of one). */
defineParameterType({
  name: 'users',
  regexp: new RegExp(`${USER}(?:(?:, | and )${USER})*`),
  transformer: (text: string) => splitUsers(text),
  useForSnippets: false,
});

/** A logical channel name as feature files write it: #room, #lounge, #Room ... */
defineParameterType({
  name: 'channel',
  regexp: /#[A-Za-z0-9_.-]+/,
  transformer: (name: string) => name,
});

/** A normative error code from PROTOCOL.md §2.3, e.g. NOT_ADMIN. */
defineParameterType({
  name: 'code',
  regexp: /[A-Z][A-Z_]*[A-Z]/,
  transformer: (code: string) => code,
});

/**
 * What a user may observe, in the words of the features, mapped to the Session's event names
 * (harness/session/session-api.ts EventName). Used by negative checks such as "bob receives no kick".
 */
export const EVENT_WORDS = {
  'channel message': 'message',
  'private message': 'private',
  join: 'joined',
  leave: 'left',
  quit: 'quit',
  kick: 'kicked',
  rename: 'renamed',
  'change of owner': 'owner',
  grant: 'granted',
  revoke: 'revoked',
  'nick change': 'nick',
  'file notice': 'file',
  broadcast: 'global',
} as const satisfies Record<string, EventName>;

defineParameterType({
  name: 'event',
  regexp: new RegExp(Object.keys(EVENT_WORDS).sort((a, b) => b.length - a.length).join('|')),
  transformer: (word: string) => EVENT_WORDS[word as keyof typeof EVENT_WORDS],
});

/** "help, list, join and bye": protocol commands by their logical names (session-api.ts CommandName). */
const COMMAND = `(?:${Object.keys(COMMAND_ARGS).sort((a, b) => b.length - a.length).join('|')})`;
defineParameterType({
  name: 'commandList',
  regexp: new RegExp(`${COMMAND}(?:(?:, | and )${COMMAND})*`),
  transformer: (text: string) => text.split(/, | and /) as CommandName[],
  useForSnippets: false,
});
