/**
 * Every command of §5 by its upper-case word: the dispatcher's only source of truth. The words are the
 * command catalogue's (common/commands.ts); each word's handler is the CommandSpec its family module
 * exports under the word in lower case (`export const kick: CommandSpec` for KICK). A new command is its
 * catalogue entry and its handler, nothing here; the `satisfies` below makes a word without a handler a
 * compile error.
 */
import { COMMAND_WORDS, type CommandWord } from '../../../common/commands.ts';
import type { CommandSpec } from './context.ts';
import * as session from './session.ts';
import * as channels from './channels.ts';
import * as messages from './messages.ts';
import * as admin from './admin.ts';
import * as files from './files.ts';
import * as operator from './operator.ts';

const HANDLERS = { ...session, ...channels, ...messages, ...admin, ...files, ...operator } satisfies Record<Lowercase<CommandWord>, CommandSpec>;

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>(COMMAND_WORDS.map((word) => [word, HANDLERS[word.toLowerCase() as Lowercase<CommandWord>]]));
