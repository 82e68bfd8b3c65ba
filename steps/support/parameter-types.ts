/**
 * The words feature files use for people, channels and error codes.
 *
 * Every name here is LOGICAL: the Session maps it to a unique real name per scenario, so the same
 * "alice" and "#room" can appear in every scenario of a shared, long-running target.
 */
import { defineParameterType } from '@cucumber/cucumber';

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

export function splitUsers(text: string): string[] {
  return text.split(/, | and /).map((name) => name.trim());
}
