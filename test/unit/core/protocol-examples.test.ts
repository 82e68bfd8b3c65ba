/**
 * Every wire example of docs/PROTOCOL.md is an exact transcript of the reference server (issue #18 part 6):
 * each is replayed against the reference core and must match line for line, per user, with no line
 * missing and none extra. An example is a fenced block right after an `<!-- example setup: ... -->`
 * comment; its lines are `<user> C: <line sent>` and `<user> S: <line received>`. The setup (lines
 * `<user> C: ...` or `<user> registers`, separated by `|`) runs first, its output unchecked. A user is
 * registered under their own name when first named, unless their first example line is the greeting
 * (`S: HELLO ...`). `…` in an expected line stands for free text: the line must start with what precedes it;
 * a line that is only `…` stands for one or more lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_WORDS } from '../../../common/commands.ts';
import * as core from '../../../reference-server/core/index.ts';
import type { ConnId, Effect, ServerState } from '../../../reference-server/core/index.ts';
import { readExamples, readProtocol, type Example } from '../../support/protocol-doc.ts';

/** The address every example connection comes from (documentation range, RFC 5737). */
const ADDRESS = '192.0.2.7';
const OPER_PASSWORD = 'secret';
const FREE_TEXT = '…';

/** One example's server: the reference core, and what each user received, in order. */
class Replay {
  readonly state: ServerState = core.createServerState({ operPassword: OPER_PASSWORD });
  private readonly conns = new Map<string, ConnId>();
  readonly received = new Map<string, string[]>();

  open(user: string): void {
    const conn = this.conns.size + 1;
    this.conns.set(user, conn);
    this.received.set(user, []);
    this.apply(core.connectionOpened(this.state, conn, ADDRESS));
  }

  /** Opens and registers `user` under their own name, forgetting what that said. */
  register(user: string): void {
    this.open(user);
    this.send(user, user);
    this.received.set(user, []);
  }

  known(user: string): boolean {
    return this.conns.has(user);
  }

  send(user: string, line: string): void {
    this.apply(core.lineReceived(this.state, this.conns.get(user)!, line));
  }

  private apply(effects: readonly Effect[]): void {
    for (const effect of effects) {
      if (effect.kind !== 'send') continue;
      for (const [user, conn] of this.conns) {
        if (effect.to.includes(conn) && effect.except !== conn) this.received.get(user)!.push(effect.line);
      }
    }
  }
}

function matches(expected: string, actual: string): boolean {
  const free = expected.indexOf(FREE_TEXT);
  return free === -1 ? actual === expected : actual.startsWith(expected.slice(0, free));
}

/** `actual` is `wanted` line for line, where a line that is only `…` stands for one or more lines. */
function sameLines(wanted: readonly string[], actual: readonly string[]): boolean {
  if (wanted.length === 0) return actual.length === 0;
  const [first, ...rest] = wanted;
  if (first === FREE_TEXT) {
    for (let skip = 1; skip <= actual.length; skip++) if (sameLines(rest, actual.slice(skip))) return true;
    return false;
  }
  return actual.length > 0 && matches(first!, actual[0]!) && sameLines(rest, actual.slice(1));
}

function replay(example: Example): void {
  const server = new Replay();
  const ensure = (user: string): void => {
    if (!server.known(user)) server.register(user);
  };
  for (const item of example.setup) {
    const registers = /^(\w+) registers$/.exec(item);
    const sends = /^(\w+) C: (.*)$/.exec(item);
    assert.ok(registers || sends, `PROTOCOL.md:${example.line - 1}: a setup item is "<user> registers" or "<user> C: <line>": ${item}`);
    if (registers) ensure(registers[1]!);
    else {
      ensure(sends![1]!);
      server.send(sends![1]!, sends![2]!);
    }
  }
  for (const user of server.received.keys()) server.received.set(user, []);
  // Users who first appear receiving the greeting connect without registering.
  const expected = new Map<string, string[]>();
  for (const step of example.steps) {
    if (!server.known(step.user)) {
      if (step.direction === 'S' && step.text.startsWith('HELLO ')) server.open(step.user);
      else ensure(step.user);
    }
    if (step.direction === 'C') server.send(step.user, step.text);
    else expected.set(step.user, [...(expected.get(step.user) ?? []), step.text]);
  }
  for (const [user, actual] of server.received) {
    const wanted = expected.get(user) ?? [];
    assert.ok(sameLines(wanted, actual), `PROTOCOL.md:${example.line}: ${user} receives, from the reference server:\n  ${actual.join('\n  ') || '(nothing)'}\nwhile the example says:\n  ${wanted.join('\n  ') || '(nothing)'}`);
  }
}

const examples = readExamples(readProtocol());

test('PROTOCOL.md has a wire example for every command of §5', () => {
  const sent = new Set(examples.flatMap((e) => e.steps.filter((s) => s.direction === 'C').map((s) => /^\/(\w+)/.exec(s.text)?.[1]?.toUpperCase() ?? 'SAY')));
  // Every command word of the catalogue, and SAY for a plain line.
  const commands = [...COMMAND_WORDS, 'SAY'];
  assert.deepEqual(commands.filter((c) => !sent.has(c)), [], 'commands without a wire example');
});

for (const example of examples) {
  test(`PROTOCOL.md:${example.line}: the example is what the reference server does`, () => replay(example));
}

test('a wrong example line fails the replay (the check can fail)', () => {
  const good = examples.find((e) => e.steps.some((s) => s.text === 'OK KICK #room carol'));
  assert.ok(good, 'the /KICK example');
  const altered = (from: string, to: string): Example => ({ ...good, steps: good.steps.map((s) => (s.text === from ? { ...s, text: to } : s)) });
  assert.throws(() => replay(altered('OK KICK #room carol', 'OK KICK #room bob')), /alice receives/);
  // A missing event is caught too: drop the kicked user's own KICK line.
  assert.throws(() => replay({ ...good, steps: good.steps.filter((s) => !(s.user === 'carol' && s.direction === 'S')) }), /carol receives/);
});
