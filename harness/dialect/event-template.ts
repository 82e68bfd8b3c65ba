/**
 * {field} placeholders in event patterns: "recognised by content". A dialect whose events are free
 * text, glued together without newlines ("alice est partibob: hi"), cannot be cut into units before
 * matching, so a pattern like `{from}: {text}` is compiled twice:
 * - generically, each placeholder a named group (for "did ANY event arrive?" and for profile:check);
 * - per expectation, each placeholder whose value the step knows replaced by that exact value
 *   (escaped), so the event is found wherever it sits in the accumulated text.
 * Only the event's own field names are placeholders; any other brace is ordinary regex syntax.
 */
import { escapeRegExp } from './template.ts';

/** What a placeholder matches when its value is not known: one word, or a rest-of-line text. */
const GENERIC: Record<string, string> = { text: '[^\\n]*', reason: '[^\\n]*' };
const WORD = '[^\\s]+';

function placeholderPattern(fields: readonly string[]): RegExp {
  return new RegExp(`\\{(${fields.map(escapeRegExp).join('|')})\\}`, 'g');
}

/** The event fields written as {field} in `source`, each once, in order. */
export function eventPlaceholders(source: string, fields: readonly string[]): string[] {
  if (fields.length === 0) return [];
  return [...new Set([...source.matchAll(placeholderPattern(fields))].map((m) => m[1]!))];
}

/**
 * `source` with each {field} turned into a generic named group. A field written twice (e.g. in two
 * alternatives) is named at its first place only (JavaScript forbids a group name twice).
 */
export function genericEventSource(source: string, fields: readonly string[]): string {
  return fill(source, fields, () => undefined);
}

/** `source` with each {field} whose value is given replaced, at every place, by that literal value. */
export function specificEventSource(source: string, fields: readonly string[], values: Readonly<Record<string, string>>): string {
  return fill(source, fields, (name) => values[name]);
}

function fill(source: string, fields: readonly string[], value: (name: string) => string | undefined): string {
  if (fields.length === 0) return source;
  const seen = new Set<string>();
  return source.replace(placeholderPattern(fields), (_whole, name: string) => {
    const known = value(name);
    const body = known !== undefined ? escapeRegExp(known) : (GENERIC[name] ?? WORD);
    if (seen.has(name)) return `(?:${body})`;
    seen.add(name);
    return `(?<${name}>${body})`;
  });
}
