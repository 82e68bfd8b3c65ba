/**
 * The reference server's argument checks agree with the command catalogue (common/commands.ts): each
 * handler's usage (shown in ERR SYNTAX) starts with the catalogue's /HELP usage, and its argument counts are
 * the catalogue's arguments (`args` always, `optional` may be left out, `text` takes one word or more). The
 * handlers keep their own usage and counts (a usage may say more, as /HISTORY's range), so this test is what
 * stops them from drifting from the catalogue. The console's operator actions take the same arguments
 * without the slash.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_ENTRIES, type CommandFacts } from '../../../common/commands.ts';
import { COMMANDS as HANDLERS } from '../../../reference-server/core/commands/table.ts';
import { OPERATOR_ACTIONS } from '../../../reference-server/core/commands/operator.ts';

interface ArgumentCheck {
  readonly usage: string;
  readonly minArgs: number;
  readonly maxArgs: number;
}

/** How `check` disagrees with `facts` (nothing when they agree); `slash` is how the usage starts. */
function disagreements(name: string, facts: CommandFacts, check: ArgumentCheck, slash = '/'): string[] {
  const problems: string[] = [];
  const usage = facts.help!.usage.replace(/^\//, slash);
  if (!check.usage.startsWith(usage)) problems.push(`${name}: usage "${check.usage}" does not start with the catalogue's "${usage}"`);
  const min = facts.args.length + (facts.text === undefined ? 0 : 1);
  const max = facts.text === undefined ? facts.args.length + (facts.optional?.length ?? 0) : Infinity;
  if (check.minArgs !== min) problems.push(`${name}: minArgs ${check.minArgs}, the catalogue's arguments make ${min}`);
  if (check.maxArgs !== max) problems.push(`${name}: maxArgs ${check.maxArgs}, the catalogue's arguments make ${max}`);
  return problems;
}

/** The commands the server dispatches on a word, with their catalogue facts (register is /NICK's line). */
const dispatched = COMMAND_ENTRIES.filter(([, facts]) => facts.word !== undefined && facts.help !== undefined);

test("every handler's usage and argument counts are the catalogue's", () => {
  assert.ok(dispatched.length > 20);
  const problems = dispatched.flatMap(([name, facts]) => disagreements(name, facts, HANDLERS.get(facts.word!)!));
  assert.deepEqual(problems, []);
});

test("every console action's usage and argument counts are the catalogue's (without the slash)", () => {
  const problems = [...OPERATOR_ACTIONS].flatMap(([word, action]) => {
    const entry = dispatched.find(([, facts]) => facts.word === word);
    return entry === undefined ? [`${word}: a console action with no catalogue command`] : disagreements(word, entry[1], action, '');
  });
  assert.deepEqual(problems, []);
  assert.equal(OPERATOR_ACTIONS.size, 4);
});

test('a handler that disagrees with the catalogue is named (the check can fail)', () => {
  const kick = dispatched.find(([name]) => name === 'kick')![1];
  assert.deepEqual(disagreements('kick', kick, { usage: '/KICK <nick> [reason]', minArgs: 1, maxArgs: 2 }), ['kick: maxArgs 2, the catalogue\'s arguments make 1']);
  assert.deepEqual(disagreements('kick', kick, { usage: '/KIK <nick>', minArgs: 0, maxArgs: 1 }), [
    'kick: usage "/KIK <nick>" does not start with the catalogue\'s "/KICK <nick>"',
    "kick: minArgs 0, the catalogue's arguments make 1",
  ]);
});
