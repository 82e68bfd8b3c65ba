/**
 * The refusals profile:draft provoked, turned into `replies.error`. Each refusal was provoked in a situation
 * where PROTOCOL.md allows exactly one code (an unknown command, joining twice, a member kicking, a message
 * from the lobby, a nick in use, ...), so:
 * - refusals that name PROTOCOL.md's codes give one pattern with a `code` group;
 * - otherwise each refusal text seen (the probe's names made variable) gets the code of its situation, as
 *   long as that text was never seen in a situation of another code (then it is a refusal without a code);
 *   the text itself must then say which refusal it is, so the draft claims no code it did not see;
 * - the refusals' common start (`ERR `, `[ERROR] `, `:chat 4`), when no success starts with it, recognises the
 *   refusals the probe did not provoke, without a code: a scenario that names their code is not gradable
 *   with this profile, never failed on a guess.
 */
import type { RawProfile } from '../dialect/profile-types.ts';
import { escapeRegExp } from '../dialect/template.ts';
import { commonPrefix, generalize, WILD, type Known } from './generalize.ts';

export interface ErrorSample {
  /** The refusal as one unit. */
  text: string;
  /** The PROTOCOL.md code of the situation that provoked it. */
  code: string;
}

export interface ErrorInference {
  error: NonNullable<RawProfile['replies']['error']>;
  errorCodes: boolean;
  /** How it was read, for the draft's evidence. */
  seen: string;
  confidence: 'high' | 'medium' | 'low';
  /** What stays unknown (for the not-inferred list), if anything. */
  unknown?: string;
}

export function inferErrors(samples: readonly ErrorSample[], options: { anchor: boolean; known: readonly Known[]; successUnits: readonly string[] }): ErrorInference | undefined {
  if (samples.length === 0) return undefined;
  const { anchor } = options;
  const seen = `refusals seen: ${samples.map((s) => `${s.code}: ${JSON.stringify(s.text)}`).join('; ')}`;
  const withCodes = samples.filter((s) => s.text.includes(s.code));
  if (withCodes.length === samples.length && samples.length >= 3) {
    const head = samples[0]!.text.slice(0, samples[0]!.text.indexOf(samples[0]!.code));
    if (samples.every((s) => s.text.startsWith(head))) {
      return { error: `${anchor ? '^' : ''}${escapeRegExp(head)}(?<code>[A-Z_]+)(?: (?<reason>.*))?${anchor ? '$' : ''}`, errorCodes: true, seen: `every refusal named its PROTOCOL.md code: ${seen}`, confidence: 'high' };
    }
  }
  // Each distinct refusal and the codes of the situations it was seen in.
  const codesOf = new Map<string, Set<string>>();
  // The probe's names match any name (an error pattern names no groups but code and reason).
  const names = options.known.map((k) => ({ value: k.value, field: WILD }));
  for (const sample of samples) {
    const pattern = generalize(sample.text, names, 'groups', anchor);
    codesOf.set(pattern, (codesOf.get(pattern) ?? new Set()).add(sample.code));
  }
  const coded = [...codesOf].filter(([, codes]) => codes.size === 1).map(([match, codes]) => ({ match, code: [...codes][0]! }));
  const shared = [...codesOf].filter(([, codes]) => codes.size > 1).map(([match]) => match);
  const start = samples.length >= 3 ? commonPrefix(samples.map((s) => s.text)) : '';
  // A start that also begins a success (":chat " of every IRC line) would call everything a refusal.
  const catchAll = start.length >= 3 && !options.successUnits.some((unit) => unit.startsWith(start)) ? `${anchor ? '^' : ''}${escapeRegExp(start)}` : undefined;
  const error = [...coded, ...shared, ...(catchAll !== undefined ? [catchAll] : [])];
  const codes = [...new Set(coded.map((c) => c.code))];
  return {
    error,
    errorCodes: coded.length > 0,
    seen: `${seen}; each text read as the code of its situation${shared.length ? ` (except ${shared.length} seen in situations of different codes)` : ''}${catchAll ? `, other refusals by their start ${JSON.stringify(start)}` : ''}`,
    confidence: coded.length > 0 ? 'medium' : 'low',
    unknown: `only these codes are read: ${codes.join(', ') || 'none'}; a refusal of another kind${catchAll ? ' is recognised by its start but' : ' is not recognised and'} its code is unknown`,
  };
}
