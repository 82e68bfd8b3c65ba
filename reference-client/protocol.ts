/**
 * The client's ONLY wire adapter: everything the client knows about the bytes on the wire is here.
 *
 * The rest of the client works with typed commands (what to do) and classified lines (what happened),
 * so speaking another server's dialect means swapping the Dialect object, nothing else.
 * `canonicalDialect` implements docs/PROTOCOL.md; `loadDialect` picks one for `--profile`.
 */
import type { CommandName, EventName } from '../harness/session-api.ts';

export type { CommandName, EventName };

/** One action, with canonical argument names (see harness/session-api.ts). Real names only. */
export interface ClientCommand {
  name: CommandName;
  /** For `msg`, `nicks` holds the targets joined by ';' (the dialect re-joins them its own way). */
  args: Record<string, string | undefined>;
}

/** What one received line means. Field names follow harness/session-api.ts. */
export type Classified =
  | { kind: 'greeting'; fields: Record<string, string> }
  | { kind: 'event'; event: EventName; fields: Record<string, string> }
  /** Part of a multi-line answer (help text, history, file chunk); always before its final reply. */
  | { kind: 'data'; data: 'help' | 'history' | 'filedata' | 'other'; fields: Record<string, string> }
  /**
   * Ends the processing of exactly one sent line. `command` is the command the reply names, when it
   * does. `barrier` marks the answer to a barrier request (see Dialect.renderBarrier).
   */
  | { kind: 'reply'; ok: boolean; command?: CommandName; code?: string; fields: Record<string, string>; barrier?: boolean }
  /** A line this dialect does not recognise (shown as is, never dropped). */
  | { kind: 'unknown' };

/** What the client is waiting for when a line arrives: lets a loose dialect tell replies from events. */
export interface Expecting {
  /** The command whose final reply is awaited. */
  command?: CommandName;
  /** The token of a barrier request whose answer is awaited. */
  barrierToken?: string;
}

export interface Dialect {
  readonly name: string;
  /** Appended to every line sent. */
  readonly lineEnding: string;
  /** The wire line (no terminator) for a command, or undefined when this dialect cannot express it. */
  render(command: ClientCommand): string | undefined;
  /** A line typed by the user that the client could not type-check, sent as is when the dialect allows raw lines. */
  renderRaw(line: string): string | undefined;
  /** True when the server answers nothing on success (success = no error before the barrier). */
  isSilent(command: ClientCommand): boolean;
  /** A barrier request (§2.1: its answer comes after everything caused before it), if the dialect has one. */
  renderBarrier(token: string): string | undefined;
  classify(line: string, expecting: Expecting | undefined): Classified;
  /** Largest number of decoded bytes one `data` command may carry, so the line stays under the limit. */
  readonly dataChunkBytes: number;
  /** True when the server greets a new connection first (canonical HELLO), so a script can wait for it. */
  readonly greets: boolean;
}

/**
 * Splits `line` into `count` fields: the first count-1 are single words, the last is the rest of
 * the line (user text keeps its inner spaces). Returns undefined when there are too few fields.
 */
export function splitFields(line: string, count: number): string[] | undefined {
  const fields: string[] = [];
  let rest = line;
  for (let i = 0; i < count - 1; i++) {
    const space = rest.indexOf(' ');
    if (space <= 0) return undefined;
    fields.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  if (rest === '') return undefined;
  fields.push(rest);
  return fields;
}

/** Event keyword -> (event name, field names; the last field is the rest of the line). */
const CANONICAL_EVENTS: Record<string, { event: EventName; fields: readonly string[] }> = {
  MSG: { event: 'message', fields: ['channel', 'from', 'text'] },
  PRIV: { event: 'private', fields: ['from', 'text'] },
  JOIN: { event: 'joined', fields: ['channel', 'nick'] },
  LEAVE: { event: 'left', fields: ['channel', 'nick'] },
  QUIT: { event: 'quit', fields: ['nick'] },
  KICK: { event: 'kicked', fields: ['channel', 'nick', 'by'] },
  RENAME: { event: 'renamed', fields: ['old', 'new'] },
  OWNER: { event: 'owner', fields: ['channel', 'nick'] },
  GRANT: { event: 'granted', fields: ['channel', 'nick', 'by'] },
  REVOKE: { event: 'revoked', fields: ['channel', 'nick', 'by'] },
  NICK: { event: 'nick', fields: ['old', 'new'] },
  FILE: { event: 'file', fields: ['from', 'name', 'size'] },
  GLOBAL: { event: 'global', fields: ['from', 'text'] },
  KILLED: { event: 'killed', fields: ['by', 'reason'] },
};

const CANONICAL_DATA: Record<string, { data: 'help' | 'history' | 'filedata'; fields: readonly string[] }> = {
  HELP: { data: 'help', fields: ['text'] },
  HISTORY: { data: 'history', fields: ['channel', 'from', 'text'] },
  FILEDATA: { data: 'filedata', fields: ['name', 'base64'] },
};

/**
 * `OK <WORD> details`: the command the reply names and the field names of its details (§6).
 * The last field takes the rest of the line (for lists: members, channels).
 */
const CANONICAL_OK: Record<string, { command: CommandName; fields: readonly string[] }> = {
  WELCOME: { command: 'register', fields: ['nick'] },
  HELP: { command: 'help', fields: [] },
  LIST: { command: 'list', fields: ['channels'] },
  JOIN: { command: 'join', fields: ['channel', 'role'] },
  LEAVE: { command: 'leave', fields: ['channel'] },
  WHO: { command: 'who', fields: ['channel', 'members'] },
  SAY: { command: 'say', fields: ['channel'] },
  MSG: { command: 'msg', fields: ['nicks'] },
  BYE: { command: 'bye', fields: [] },
  KICK: { command: 'kick', fields: ['channel', 'nick'] },
  REN: { command: 'ren', fields: ['old', 'new'] },
  CURRENT: { command: 'current', fields: ['channel'] },
  NICK: { command: 'nick', fields: ['old', 'new'] },
  GRANT: { command: 'grant', fields: ['channel', 'nick'] },
  REVOKE: { command: 'revoke', fields: ['channel', 'nick'] },
  SEND: { command: 'send', fields: ['nick', 'name', 'size'] },
  DATA: { command: 'data', fields: ['received', 'size'] },
  RECV: { command: 'recv', fields: ['name', 'size', 'from'] },
  HISTORY: { command: 'history', fields: ['channel', 'count'] },
  OPER: { command: 'oper', fields: [] },
  GLOBAL: { command: 'global', fields: [] },
  KILL: { command: 'kill', fields: ['nick'] },
  BAN: { command: 'ban', fields: ['nick', 'address'] },
  UNBAN: { command: 'unban', fields: ['address'] },
};

/** Named fields from `rest`, or undefined when `rest` has too few of them. Optional trailing list fields may be empty. */
function namedFields(rest: string, names: readonly string[], lastMayBeEmpty: boolean): Record<string, string> | undefined {
  if (names.length === 0) return {};
  let parts = splitFields(rest, names.length);
  if (parts === undefined && lastMayBeEmpty) {
    // `OK LIST` with no channel: the list field is empty.
    parts = names.length === 1 ? [''] : splitFields(rest, names.length - 1)?.concat('');
  }
  if (parts === undefined) return undefined;
  const fields: Record<string, string> = {};
  names.forEach((name, i) => (fields[name] = parts[i]!));
  return fields;
}

function classifyCanonical(line: string): Classified {
  const space = line.indexOf(' ');
  const keyword = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? '' : line.slice(space + 1);

  if (keyword === 'OK') {
    const wordEnd = rest.indexOf(' ');
    const word = wordEnd < 0 ? rest : rest.slice(0, wordEnd);
    const details = wordEnd < 0 ? '' : rest.slice(wordEnd + 1);
    const shape = CANONICAL_OK[word];
    if (shape === undefined) return { kind: 'reply', ok: true, fields: { details } };
    const listLike = shape.command === 'list';
    const fields = namedFields(details, shape.fields, listLike) ?? { details };
    return { kind: 'reply', ok: true, command: shape.command, fields };
  }
  if (keyword === 'ERR') {
    const parts = splitFields(rest, 2);
    const code = parts?.[0] ?? rest;
    return { kind: 'reply', ok: false, code, fields: { code, reason: parts?.[1] ?? '' } };
  }
  if (keyword === 'PONG') return { kind: 'reply', ok: true, command: 'ping', fields: { token: rest } };
  if (keyword === 'HELLO') {
    const parts = splitFields(rest, 2);
    return { kind: 'greeting', fields: { server: parts?.[0] ?? rest, version: parts?.[1] ?? '' } };
  }
  const data = CANONICAL_DATA[keyword];
  if (data !== undefined) {
    const fields = namedFields(rest, data.fields, false);
    return fields === undefined ? { kind: 'unknown' } : { kind: 'data', data: data.data, fields };
  }
  const event = CANONICAL_EVENTS[keyword];
  if (event !== undefined) {
    const fields = namedFields(rest, event.fields, false);
    return fields === undefined ? { kind: 'unknown' } : { kind: 'event', event: event.event, fields };
  }
  return { kind: 'unknown' };
}

/** Joins the words that are present: `/CURRENT` and `/CURRENT #room` from one template. */
function words(...parts: Array<string | undefined>): string {
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}

function renderCanonical(command: ClientCommand): string | undefined {
  const a = command.args;
  switch (command.name) {
    case 'register':
      // `/NICK <nick>` rather than the bare nick: a nick typed with a leading '/' stays a nick attempt.
      return words('/NICK', a.nick);
    case 'say': {
      const text = a.text ?? '';
      // §5: a plain message starting with '/' is sent as '//...'.
      return text.startsWith('/') ? `/${text}` : text;
    }
    case 'msg':
      return words('/MSG', a.nicks, a.text);
    case 'ping':
      return words('/PING', a.token);
    case 'current':
      return words('/CURRENT', a.channel);
    case 'history':
      return words('/HISTORY', a.count);
    case 'send':
      return words('/SEND', a.nick, a.name, a.size);
    case 'data':
      return words('/DATA', a.base64);
    case 'unknown':
      return `/${a.word ?? ''}`;
    case 'join':
    case 'ren':
      return words(`/${command.name.toUpperCase()}`, a.channel);
    case 'kick':
    case 'grant':
    case 'revoke':
    case 'kill':
    case 'ban':
    case 'nick':
      return words(`/${command.name.toUpperCase()}`, a.nick);
    case 'recv':
      return words('/RECV', a.name);
    case 'oper':
      return words('/OPER', a.password);
    case 'global':
      return words('/GLOBAL', a.text);
    case 'unban':
      return words('/UNBAN', a.address);
    case 'help':
    case 'list':
    case 'leave':
    case 'who':
    case 'bye':
      return `/${command.name.toUpperCase()}`;
  }
}

export const canonicalDialect: Dialect = {
  name: 'canonical (built in)',
  lineEnding: '\n',
  render: renderCanonical,
  renderRaw: (line) => line,
  isSilent: () => false,
  renderBarrier: (token) => `/PING ${token}`,
  classify: (line, expecting) => {
    const classified = classifyCanonical(line);
    if (classified.kind === 'reply' && expecting?.barrierToken !== undefined && classified.command === 'ping') {
      return { ...classified, barrier: classified.fields.token === expecting.barrierToken };
    }
    return classified;
  },
  // 3000 bytes -> 4000 base64 characters; with "/DATA " the line stays under §1.4's 4096 bytes.
  dataChunkBytes: 3000,
  greets: true,
};

export class DialectUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DialectUnavailableError';
  }
}

/**
 * The dialect to speak. Without --profile: the built-in canonical dialect above. With --profile NAME
 * (or a path): that profile, through the harness's dialect engine (protocol-profile.ts), exactly as
 * the conformance suite reads it; `--profile canonical` is docs/PROTOCOL.md spoken through the engine.
 */
export async function loadDialect(profile: string | undefined): Promise<Dialect> {
  if (profile === undefined) return canonicalDialect;
  const { profileDialect } = await import('./protocol-profile.ts');
  return profileDialect(profile);
}
