/**
 * Tab completion: command words at the start of a line, known nicks where a command takes a nick.
 * Shaped as a node:readline completer.
 */
import { COMMAND_ENTRIES } from '../common/commands.ts';
import { COMMAND_WORDS } from './typed-commands.ts';

/** Commands whose first argument names another user (for /MSG, the nick after the last ';'): the catalogue's targetsUser. */
const NICK_FIRST = new Set(COMMAND_ENTRIES.flatMap(([, facts]) => (facts.targetsUser && facts.word !== undefined ? [`/${facts.word}`] : [])));

export function complete(line: string, knownNicks: Iterable<string>): [string[], string] {
  if (/^\/[^ \t]*$/.test(line)) {
    const typed = line.toUpperCase();
    const hits = COMMAND_WORDS.filter((word) => word.startsWith(typed)).map((word) => `${word} `);
    return [hits, line];
  }
  const match = /^(\/[^ \t]+)[ \t]+([^ \t]*)$/.exec(line);
  if (match !== null && NICK_FIRST.has(match[1]!.toUpperCase())) {
    const arg = match[2]!;
    // /MSG a;b;c: complete only the part after the last ';'.
    const partial = match[1]!.toUpperCase() === '/MSG' ? arg.slice(arg.lastIndexOf(';') + 1) : arg;
    const hits = [...knownNicks].filter((nick) => nick.startsWith(partial)).sort().map((nick) => `${nick} `);
    return [hits, partial];
  }
  return [[], line];
}
