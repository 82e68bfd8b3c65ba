/**
 * The vocabulary a profile maps onto a wire dialect: every command with the arguments its template
 * may use, every event with the fields its pattern should capture. Derived from the command catalogue
 * (common/commands.ts), the one list of commands and events.
 */
import { argumentsOf, COMMAND_ENTRIES, EVENTS, type CommandName, type EventName } from '../../common/commands.ts';

export const COMMAND_ARGS: Readonly<Record<CommandName, readonly string[]>> = Object.fromEntries(COMMAND_ENTRIES.map(([name, facts]) => [name, argumentsOf(facts)])) as Record<CommandName, readonly string[]>;

export const EVENT_FIELDS: Readonly<Record<EventName, readonly string[]>> = Object.fromEntries(Object.entries(EVENTS).map(([name, facts]) => [name, facts.fields as readonly string[]])) as Record<EventName, readonly string[]>;

export const COMMAND_NAMES = Object.keys(COMMAND_ARGS) as CommandName[];
export const EVENT_NAMES = Object.keys(EVENT_FIELDS) as EventName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_ARGS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENT_FIELDS, name);
}
