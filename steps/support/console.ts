/**
 * The server console for the step layer (PROTOCOL.md §5.18): a line rendered through the profile's
 * console section (harness/dialect/console.ts), typed on the target through the runner's control
 * endpoint (target-control.ts), and what the console answered, kept for the Then steps.
 *
 * When the target does not show the console's output (a spawned server: output null), nothing tells
 * when the server has read the line: the step then waits a quiet period (learned from the server's reply
 * latency, with a margin: Session.consoleWaitMs), as the harness does for a profile without barrier, so
 * that a later "receives nothing" is not checked before the line was read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import type { ConsoleDialect } from '../../harness/dialect/console.ts';
import type { ReplyUnit } from '../../harness/dialect/dialect.ts';
import type { ConsoleCommandName } from '../../harness/dialect/profile-types.ts';
import { NotGradableError, type CommandName, type Reply } from '../../harness/session/session-api.ts';
import { decodeEscapes, expandNames } from './steps-helpers.ts';
import { typeConsoleLine } from './target-control.ts';
import type { ChatWorld, TypedLine } from './world.ts';

/** The profile's console (the scenario's Session builds it); NotGradableError when the profile has none. */
export function consoleDialect(world: ChatWorld): ConsoleDialect {
  return world.session.consoleDialect();
}

async function type(world: ChatWorld, line: string, command?: CommandName): Promise<TypedLine> {
  world.session.noteOutsideAction(); // what the console line makes the server send is not late
  const { output } = await typeConsoleLine(world, line);
  if (output === null) await sleep(world.session.consoleWaitMs());
  const typed: TypedLine = { line, output, ...(command ? { command } : {}) };
  world.lastConsoleLine = typed;
  return typed;
}

/** Type an operator command on the console, written the profile's way. */
export async function typeCommand(world: ChatWorld, command: ConsoleCommandName, args: Record<string, string>): Promise<void> {
  await type(world, consoleDialect(world).render(command, args), command);
}

/**
 * Type a literal line from a feature file ({bob} is the scenario's real nick, \t and \xNN escapes).
 * Literal lines are canonical syntax: not gradable unless the profile has a console and raw wire access.
 */
export async function typeLiteral(world: ChatWorld, text: string): Promise<void> {
  consoleDialect(world);
  world.session.requireCapability('rawWire');
  await type(world, new TextDecoder().decode(decodeEscapes(expandNames(world, text))));
}

function lastTyped(world: ChatWorld): TypedLine {
  const last = world.lastConsoleLine;
  if (!last) throw new Error('nothing was typed on the server console yet: an earlier step must type a line');
  return last;
}

/** The console's answer to the last line as a Reply (for the reply assertions); NotGradableError when unreadable. */
export function lastAnswer(world: ChatWorld): Reply | undefined {
  const last = lastTyped(world);
  const unit = consoleDialect(world).readAnswer(last.output, last.command);
  return unit && asReply(unit);
}

function asReply(unit: ReplyUnit): Reply {
  const error = unit.kind === 'error' ? unit : undefined;
  return {
    ok: unit.kind === 'ok',
    ...(error?.code !== undefined ? { code: error.code } : {}),
    ...(error?.codeUnreadable !== undefined ? { codeUnreadable: error.codeUnreadable } : {}),
    fields: unit.fields,
    data: [],
    raw: unit.raw,
  };
}

/**
 * A plain "When the server console kills bob" must succeed: where the answer can be read, it must be a
 * success. Where it cannot, the Then steps observe the effect.
 */
export function expectAcceptedIfReadable(world: ChatWorld, what: string): Reply | undefined {
  const last = lastTyped(world);
  if (last.output === null) return undefined;
  let answer: Reply | undefined;
  try {
    answer = lastAnswer(world);
  } catch (error) {
    if (error instanceof NotGradableError) return undefined; // the profile does not say how the console answers
    throw error;
  }
  assert.ok(answer?.ok, `the console should have accepted ${what} (${JSON.stringify(last.line)}), but it answered ${answer ? JSON.stringify(answer.raw) : 'nothing'} (output: ${JSON.stringify(last.output)})`);
  return answer;
}

/**
 * The addresses the console's last ban refused, to lift it later. From the console's answer when it can
 * be read; otherwise the address the scenario's connections come from, as a server may write it (IPv4,
 * or IPv4-mapped IPv6 on a dual-stack socket).
 */
export function bannedAddresses(world: ChatWorld): string[] {
  let address: string | undefined;
  try {
    address = lastAnswer(world)?.fields.address;
  } catch {
    // Unreadable or malformed answer: the step's own check reports it; the fallback addresses apply.
  }
  const host = world.target.host;
  return address !== undefined ? [address] : [host, `::ffff:${host}`];
}
