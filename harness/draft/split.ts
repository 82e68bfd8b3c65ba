/**
 * Where a burst of replies without line endings splits (profile `wire.split`), from one burst the probe saw
 * glued: a reply it already knows on its own (`first`, e.g. the departure `[INFO] alice left room`) followed
 * by the rest (`[INFO] bob is now admin of room`). The marker that starts the rest (`[INFO] `) is generalised
 * by character class only (`\[[A-Z]+\] `) and kept when it also starts `first` (the server marks its replies
 * this way) and appears nowhere inside a reply the probe saw on its own (it would cut that reply in two).
 * A rest that starts with a plain word has no marker to split before: undefined (the caller falls back on an
 * expand rule for that one combination).
 */
import { escapeRegExp } from '../dialect/template.ts';

/** A leading reply marker: punctuation, an optional word, punctuation, an optional space (`[INFO] `, `*** `, `<ERR> `). */
const MARKER = /^([^A-Za-z0-9\s]+)([A-Za-z]*)([^A-Za-z0-9\s]*)( ?)/;
/** A marker without leading punctuation needs an upper-case word and closing punctuation (`INFO: `). */
const WORD_MARKER = /^()([A-Z]{2,})([^A-Za-z0-9\s]+)( ?)/;

/** The marker `text` starts with: as written (`[INFO] `) and as a pattern of its shape (`\\[[A-Z]+\\] `). */
export function leadingMarker(text: string): { literal: string; shape: string } | undefined {
  const found = MARKER.exec(text) ?? WORD_MARKER.exec(text);
  if (!found) return undefined;
  const [literal, open = '', word = '', close = '', space = ''] = found;
  const wordClass = word === '' ? '' : /^[A-Z]+$/.test(word) ? '[A-Z]+' : /^[a-z]+$/.test(word) ? '[a-z]+' : '[A-Za-z]+';
  return { literal, shape: `${escapeRegExp(open)}${wordClass}${escapeRegExp(close)}${space}` };
}

export function inferSplit(first: string, rest: string, singles: readonly string[]): string | undefined {
  const marker = leadingMarker(rest)?.shape;
  if (marker === undefined) return undefined;
  const at = new RegExp(`^(?:${marker})`);
  const inside = new RegExp(`[^]${marker}`);
  if (!at.test(first) || !at.test(rest)) return undefined;
  if (singles.some((text) => inside.test(text))) return undefined;
  return `(?=${marker})`;
}
