/**
 * Turning one observed reply into a pattern: the values the probe chose (nicks, channels, texts, tokens)
 * become placeholders or named groups, everything else stays literal (escaped). A draft pattern thus says
 * exactly what was seen, with only the probe's own values made variable.
 */
import { escapeRegExp } from '../dialect/template.ts';

/** The field name for a probe value that varies but is no field of the pattern (e.g. a private message's target). */
export const WILD = '*';

/** A value the probe put on the wire, and the field it stands for. */
export interface Known {
  value: string;
  field: string;
}

/** What a field matches in an ok/data pattern when its value is not the probe's (text: the rest). */
const GROUP_BODY: Record<string, string> = { text: '.+', members: '.*', channels: '.*' };

export type Style = 'placeholders' | 'groups';

/**
 * `text` with every known value replaced: `{field}` placeholders (event and register patterns) or named
 * groups (ok patterns; a field seen twice is named once). `anchor` adds ^ and $ (lines framing).
 */
export function generalize(text: string, known: readonly Known[], style: Style, anchor: boolean): string {
  const sorted = [...known].filter((k) => k.value !== '').sort((a, b) => b.value.length - a.value.length);
  let out = '';
  const named = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const hit = sorted.find((k) => text.startsWith(k.value, i) && boundary(text, i, k.value.length));
    if (!hit) {
      out += escapeRegExp(text[i]!);
      i++;
      continue;
    }
    if (hit.field === WILD) out += '\\S+';
    else if (style === 'placeholders') out += `{${hit.field}}`;
    else if (named.has(hit.field)) out += `(?:${GROUP_BODY[hit.field] ?? '\\S+'})`;
    else {
      named.add(hit.field);
      out += `(?<${hit.field}>${GROUP_BODY[hit.field] ?? '\\S+'})`;
    }
    i += hit.value.length;
  }
  out = out.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return anchor ? `^${out}$` : out;
}

/** A value counts only as a whole word: `ab` inside `abc` is not the nick `ab`. */
function boundary(text: string, at: number, length: number): boolean {
  const word = /[A-Za-z0-9_]/;
  const before = at === 0 ? '' : text[at - 1]!;
  const after = text[at + length] ?? '';
  const first = text[at]!;
  const last = text[at + length - 1]!;
  return !(word.test(first) && word.test(before)) && !(word.test(last) && word.test(after));
}

/** The lines of `text` (lines framing), without "\r", empty ones dropped. */
export function linesOf(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
}

/** The common prefix of several texts, cut back to a word boundary; '' when they share nothing useful. */
export function commonPrefix(texts: readonly string[]): string {
  if (texts.length === 0) return '';
  let prefix = texts[0]!;
  for (const t of texts.slice(1)) {
    let n = 0;
    while (n < prefix.length && n < t.length && prefix[n] === t[n]) n++;
    prefix = prefix.slice(0, n);
  }
  // Cut back to the end of a word or punctuation, so "ERR N" (of NOT_ADMIN and NO_CHANNEL) becomes "ERR ";
  // a number's leading digits stay (":srv 4" of ":srv 421" and ":srv 443": the class of numeric errors).
  if (/ \d+$/.test(prefix)) return prefix;
  const cut = /^(.*[^A-Za-z0-9_])/.exec(prefix);
  return cut ? cut[1]! : '';
}

/** The part of `a` and `b` that differs, after their common prefix and suffix (cut to word boundaries). */
export function difference(a: string, b: string): { prefix: string; a: string; b: string; suffix: string } {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  while (p > 0 && /[A-Za-z0-9]/.test(a[p - 1]!) && (/[A-Za-z0-9]/.test(a[p] ?? '') || /[A-Za-z0-9]/.test(b[p] ?? ''))) p--;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  while (s > 0 && /[A-Za-z0-9]/.test(a[a.length - s]!) && (/[A-Za-z0-9]/.test(a[a.length - s - 1] ?? '') || /[A-Za-z0-9]/.test(b[b.length - s - 1] ?? ''))) s--;
  return { prefix: a.slice(0, p), a: a.slice(p, a.length - s), b: b.slice(p, b.length - s), suffix: a.slice(a.length - s) };
}
