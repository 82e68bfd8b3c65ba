/**
 * The client's wire seam: everything the rest of the client knows about a dialect is this interface.
 *
 * The rest of the client works with typed commands (what to do) and classified lines (what happened),
 * so speaking another server's dialect means swapping the Dialect object, nothing else. The one
 * implementation is protocol-profile.ts: a dialect profile (profiles/*.json) read by the harness's
 * dialect engine, profiles/canonical.json (docs/PROTOCOL.md) unless `--profile` names another. This
 * module holds types only, so that module depends on it and never the other way round (no import cycle).
 */
import type { CommandName, EventName } from '../common/commands.ts';

export type { CommandName, EventName };

/** One action, with canonical argument names (see harness/session/session-api.ts). Real names only. */
export interface ClientCommand {
  name: CommandName;
  /** For `msg`, `nicks` holds the targets joined by ';' (the dialect re-joins them its own way). */
  args: Record<string, string | undefined>;
}

/** What one received line means. Field names follow harness/session/session-api.ts. */
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
