/**
 * What the user types, parsed into something the client can act on.
 *
 * The user always types the canonical syntax of docs/PROTOCOL.md (whatever dialect goes on the wire),
 * plus two client-side variants: `/SEND <nick> <path>` reads a local file, `/RECV <name> [path] [--force]`
 * writes one. A line that does not fit its command's syntax is kept raw, so that with the canonical
 * dialect the server (the authority) answers it with ERR SYNTAX.
 */
import { COMMAND_ENTRIES, helpSummary } from '../common/commands.ts';
import type { ClientCommand, CommandName } from './protocol.ts';

export type Typed =
  | { kind: 'empty' }
  | { kind: 'command'; command: ClientCommand }
  | { kind: 'send-file'; nick: string; path: string }
  | { kind: 'recv-file'; name: string; path?: string; force: boolean }
  /** Answered by the client itself: its help (one list, in titled sections), a new connection. */
  | { kind: 'help' }
  | { kind: 'reconnect' }
  /** A line the client could not type-check: an unknown command word or wrong arguments. */
  | { kind: 'raw'; line: string; usage?: string };

/** How arguments are read after the command word. */
type ArgShape =
  | { args: readonly string[]; optional?: readonly string[] } // single words
  | { args: readonly string[]; text: string }; // single words, then the rest of the line

/** A command sent to the server as it is typed (through the dialect). */
interface ServerCommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  shape: ArgShape;
}

/** A command the client carries out itself (/SEND and /RECV do so by sending protocol commands). */
interface ClientCommandSpec {
  usage: string;
  summary: string;
}

/** Commands the client answers or carries out itself, in /HELP order. */
export const CLIENT_COMMANDS: Readonly<Record<string, ClientCommandSpec>> = {
  HELP: { usage: '/HELP', summary: 'this help (the client\'s: the server is not asked)' },
  SEND: { usage: '/SEND <nick> <path>', summary: 'send a local file to a member' },
  RECV: { usage: '/RECV <name> [<path>] [--force]', summary: 'save a received file (never overwrites without --force)' },
  RECONNECT: { usage: '/RECONNECT', summary: 'connect again to the same server: same nick, current channel joined again' },
};

/**
 * Commands sent to the server, in /HELP order: every command of the catalogue (common/commands.ts) with a
 * command word and a help line, except those the client carries out itself (CLIENT_COMMANDS).
 */
export const TYPED_COMMANDS: Readonly<Record<string, ServerCommandSpec>> = Object.fromEntries(
  COMMAND_ENTRIES.flatMap(([name, facts]) => {
    if (facts.word === undefined || facts.help === undefined || Object.hasOwn(CLIENT_COMMANDS, facts.word)) return [];
    const shape: ArgShape = facts.text === undefined ? { args: facts.args, optional: facts.optional ?? [] } : { args: facts.args, text: facts.text };
    return [[facts.word, { name, usage: facts.help.usage, summary: helpSummary(facts)!, shape }]];
  }),
);

/** Command words, with their slash, for tab completion. */
export const COMMAND_WORDS: readonly string[] = [...Object.keys(CLIENT_COMMANDS), ...Object.keys(TYPED_COMMANDS)].map((word) => `/${word}`);

/** Splits on runs of spaces/tabs, ignoring leading ones. */
function splitWords(text: string): string[] {
  return text.split(/[ \t]+/).filter((w) => w !== '');
}

/** Everything after the first `count` words of `text` (spaces inside kept), trimmed at both ends. */
function afterWords(text: string, count: number): string {
  let rest = text.replace(/^[ \t]+/, '');
  for (let i = 0; i < count; i++) rest = rest.replace(/^[^ \t]+[ \t]*/, '');
  return rest.trim();
}

/** `/RECV <name> [<path>] [--force]`: `--force` may stand anywhere after the command word. */
function parseRecv(rest: string): Typed | undefined {
  const tokens = splitWords(rest);
  const kept = tokens.filter((t) => t !== '--force');
  const name = kept[0];
  if (name === undefined) return undefined;
  // A path may contain single spaces ("/RECV a.txt my notes.txt"); runs of spaces become one.
  const path = kept.slice(1).join(' ');
  return { kind: 'recv-file', name, force: kept.length !== tokens.length, ...(path === '' ? {} : { path }) };
}

function parseClientCommand(word: string, rest: string, line: string, usage: string): Typed {
  const wrong: Typed = { kind: 'raw', line, usage };
  switch (word) {
    case 'SEND': {
      const nick = splitWords(rest)[0];
      const path = afterWords(rest, 1);
      return nick === undefined || path === '' ? wrong : { kind: 'send-file', nick, path };
    }
    case 'RECV':
      return parseRecv(rest) ?? wrong;
    case 'HELP':
      return rest === '' ? { kind: 'help' } : wrong;
    default:
      return rest === '' ? { kind: 'reconnect' } : wrong;
  }
}

export function parseTyped(input: string): Typed {
  const line = input.trim();
  if (line === '') return { kind: 'empty' };
  if (line.startsWith('//')) return { kind: 'command', command: { name: 'say', args: { text: line.slice(1) } } };
  if (!line.startsWith('/')) return { kind: 'command', command: { name: 'say', args: { text: line } } };

  const word = splitWords(line.slice(1))[0]?.toUpperCase() ?? '';
  const rest = afterWords(line.slice(1), 1);
  const own = CLIENT_COMMANDS[word];
  if (own !== undefined) return parseClientCommand(word, rest, line, own.usage);
  const spec = TYPED_COMMANDS[word];
  if (spec === undefined) return { kind: 'raw', line };

  const shape = spec.shape;
  const given = splitWords(rest);
  const args: Record<string, string | undefined> = {};
  const required = shape.args;
  if (given.length < required.length) return { kind: 'raw', line, usage: spec.usage };
  required.forEach((name, i) => (args[name] = given[i]));
  if ('text' in shape) {
    const text = afterWords(rest, required.length);
    if (text === '') return { kind: 'raw', line, usage: spec.usage };
    args[shape.text] = text;
  } else {
    const optional = shape.optional ?? [];
    if (given.length > required.length + optional.length) return { kind: 'raw', line, usage: spec.usage };
    optional.forEach((name, i) => {
      const value = given[required.length + i];
      if (value !== undefined) args[name] = value;
    });
  }
  return { kind: 'command', command: { name: spec.name, args } };
}

/** Two columns: each usage padded to the longest one. */
function table(rows: readonly { usage: string; summary: string }[]): string[] {
  const width = Math.max(...rows.map((r) => r.usage.length));
  return rows.map((r) => `  ${r.usage.padEnd(width)}  ${r.summary}`);
}

/**
 * /HELP: the one help, in titled sections. The client answers it without asking the server: the user
 * types the canonical commands whatever the server's dialect, so the server's own help (in its own
 * words and layout) would only repeat them.
 */
export function helpLines(): string[] {
  return [
    'Commands sent to the server (typed as in docs/PROTOCOL.md, whatever the server speaks):',
    ...table(Object.values(TYPED_COMMANDS)),
    'Client commands:',
    ...table([
      ...Object.values(CLIENT_COMMANDS),
      { usage: '<text>', summary: 'send <text> to the current channel' },
      { usage: '//text', summary: 'send a message that starts with /' },
    ]),
    'Keys:',
    ...table([
      { usage: 'Tab', summary: 'complete a command word, or a nick seen so far' },
      { usage: 'Up / Down', summary: 'line history' },
      { usage: 'Ctrl-D, Ctrl-C', summary: 'say /BYE and quit' },
    ]),
  ];
}
