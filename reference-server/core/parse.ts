/** Line-level parsing (§1.5, §1.6, §5): control characters, trimming, command word and arguments. */

/** U+0000-U+001F except TAB, and U+007F (§1.5). */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export function hasControlCharacter(line: string): boolean {
  return CONTROL.test(line);
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** The line without its leading and trailing spaces and tabs (only those: §5). */
export function trimLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isSpaceOrTab(line.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(line.charCodeAt(end - 1))) end--;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

export interface CommandLine {
  /**
   * The command word in upper case, without '/'; '' for a lone '/'. Only ASCII letters are folded
   * (a word with anything else stays as typed and so matches no command: `'ı'.toUpperCase()` is 'I').
   */
  readonly word: string;
  /** What follows the word, leading spaces removed; '' when nothing follows. */
  readonly rest: string;
}

/** Splits a trimmed command line (`/WORD args...`, or `WORD args...` when `prefix` is 0) into word and rest. */
export function splitCommand(trimmed: string, prefix: 0 | 1 = 1): CommandLine {
  let wordEnd = trimmed.indexOf(' ', prefix);
  if (wordEnd < 0) wordEnd = trimmed.length;
  const typed = trimmed.slice(prefix, wordEnd);
  const word = /^[A-Za-z]+$/.test(typed) ? typed.toUpperCase() : typed;
  let restStart = wordEnd;
  while (trimmed.charCodeAt(restStart) === 0x20) restStart++;
  return { word, rest: trimmed.slice(restStart) };
}

/** Arguments separated by one or more spaces (§5). */
export function splitArgs(rest: string): string[] {
  if (rest === '') return [];
  const args = rest.split(' ');
  return args.includes('') ? args.filter((arg) => arg !== '') : args;
}
