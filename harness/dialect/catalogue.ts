/**
 * The vocabulary a profile maps onto a wire dialect: every command with the arguments its template
 * may use, every event with the fields its pattern should capture. Typed against session-api.ts so
 * adding a command or event there without describing it here is a compile error.
 */
import type { CommandName, EventName } from '../session-api.ts';

export const COMMAND_ARGS = {
  register: ['nick'],
  help: [],
  ping: ['token'],
  list: [],
  join: ['channel'],
  leave: [],
  who: [],
  say: ['text'],
  msg: ['nicks', 'text'],
  bye: [],
  kick: ['nick'],
  ren: ['channel'],
  current: ['channel'],
  nick: ['nick'],
  grant: ['nick'],
  revoke: ['nick'],
  send: ['nick', 'name', 'size'],
  data: ['base64'],
  recv: ['name'],
  history: ['count'],
  oper: ['password'],
  global: ['text'],
  kill: ['nick'],
  ban: ['nick'],
  unban: ['address'],
  unknown: ['word'],
} as const satisfies Record<CommandName, readonly string[]>;

export const EVENT_FIELDS = {
  message: ['channel', 'from', 'text'],
  private: ['from', 'text'],
  joined: ['channel', 'nick'],
  left: ['channel', 'nick'],
  quit: ['nick'],
  kicked: ['channel', 'nick', 'by'],
  renamed: ['old', 'new'],
  owner: ['channel', 'nick'],
  granted: ['channel', 'nick', 'by'],
  revoked: ['channel', 'nick', 'by'],
  nick: ['old', 'new'],
  file: ['from', 'name', 'size'],
  global: ['from', 'text'],
  killed: ['by', 'reason'],
} as const satisfies Record<EventName, readonly string[]>;

export const COMMAND_NAMES = Object.keys(COMMAND_ARGS) as CommandName[];
export const EVENT_NAMES = Object.keys(EVENT_FIELDS) as EventName[];

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_ARGS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENT_FIELDS, name);
}
