/**
 * Variants the course allows where docs/PROTOCOL.md is stricter (issue #21). A profile declares the ones
 * its server follows (`"variants": { "bye": "leave-first", ... }`); the scenarios then adapt (leave first,
 * then say goodbye; "in the lobby" means "in the default channel") or, where a scenario checks the very
 * rule the variant replaces, are not gradable. The steps record each adaptation as a `variant: ...`
 * attachment, so a grade can excuse it (rubrics/course.json, "variants": "excuse") or count it as failed
 * (rubrics/strict.json, "deduct"), and the reports list the variants a server was graded under.
 */
export interface Variants {
  /** /BYE is refused inside a channel with a hint to /LEAVE first (the student report's server). */
  bye?: 'leave-first';
  /** A nick only has to be unused and without spaces; channel names have no grammar. */
  names?: 'unused-no-spaces';
  /** The lobby is a default channel (capabilities.defaultChannel) every user starts in, where chat works. */
  lobby?: 'default-channel';
}

export type VariantName = keyof Variants;

/** Each variant in words, with where the course allows it (docs/GRADING.md). */
export const VARIANT_WORDS: Record<VariantName, string> = {
  bye: '/BYE is refused inside a channel with a hint to /LEAVE first (student report III.A /LEAVE: goodbye from the lobby); scenarios leave their channels, then say goodbye',
  names: 'a nick only has to be unused and contain no spaces, and channel names are free (student report III.B /NICK); PROTOCOL.md\'s name grammar is not graded',
  lobby: 'the lobby is a default channel every user starts in and returns to, where chat works; "is in the lobby" means "is in the default channel", and refusals in the lobby are not graded',
};

/** The attachment a step writes when it adapted to (or was excused by) a declared variant. */
export const VARIANT_PREFIX = 'variant:';

/** Scenarios that check PROTOCOL.md's name grammar: not gradable under the `names` variant. */
export const NAME_GRAMMAR_TAG = '@names';

/** `bye=leave-first: ...` for every declared variant, in a stable order. */
export function describeVariants(variants: Variants): string[] {
  return (Object.keys(VARIANT_WORDS) as VariantName[]).filter((name) => variants[name] !== undefined).map((name) => `${name}=${variants[name]}: ${VARIANT_WORDS[name]}`);
}

/** The text of a variant attachment: which variant, and what it changed in this scenario. */
export function variantNote(name: VariantName, variants: Variants, what: string): string {
  return `${VARIANT_PREFIX} ${name}=${variants[name] ?? '?'}: ${what}`;
}
