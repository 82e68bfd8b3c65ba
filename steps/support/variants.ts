/**
 * How the steps adapt to the course variants a profile declares (harness/dialect/variants.ts), and the
 * `variant: ...` attachment each adaptation leaves, so a grade can excuse it (course rubric) or count it
 * as failed (strict rubric) and the reports can say which scenarios a variant changed.
 */
import type { ExpectedEvent } from '../../harness/session/session-api.ts';
import { NAME_GRAMMAR_TAG, variantNote, type VariantName } from '../../harness/dialect/variants.ts';
import type { ChatWorld } from './world.ts';

export async function noteVariant(world: ChatWorld, name: VariantName, what: string): Promise<void> {
  await world.attach(variantNote(name, world.session.variants(), what), 'text/plain');
}

/**
 * Why a scenario cannot be graded under the declared variants before it starts, or undefined: under
 * names=unused-no-spaces, the scenarios of PROTOCOL.md's name grammar (@names) check a rule the course
 * does not have.
 */
export function excusedBeforeStart(world: ChatWorld, tags: ReadonlySet<string>): { variant: VariantName; why: string } | undefined {
  if (world.session.variants().names === 'unused-no-spaces' && tags.has(NAME_GRAMMAR_TAG)) {
    return { variant: 'names', why: `the profile declares the course's nick rule (unused, no spaces: variant names=unused-no-spaces), so PROTOCOL.md's name grammar (${NAME_GRAMMAR_TAG}) is not graded` };
  }
  return undefined;
}

/**
 * What another member sees when `who` says goodbye: a quit, or, when `who` left their channels first
 * (variant bye=leave-first), the leave from `channel` (any of them when not given).
 */
export function goodbyeSeen(world: ChatWorld, who: string, channel?: string): ExpectedEvent {
  const nick = world.nick(who);
  if (world.session.leftBeforeGoodbye(who).length === 0) return { event: 'quit', fields: { nick } };
  return { event: 'left', fields: { nick, ...(channel !== undefined ? { channel: world.channel(channel) } : {}) } };
}
