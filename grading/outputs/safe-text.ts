/**
 * Text that came from a submission (its folder name, its server's stderr in a note) reaches an
 * instructor's terminal, a Markdown viewer and a spreadsheet. Each has its own way to be attacked: ANSI
 * escapes and bidi overrides rewrite what a terminal shows, raw HTML and link syntax run in a Markdown
 * preview, and a CSV cell starting with `=` is a live formula. One place for the three defences.
 */

/** C0 and C1 controls (tab, CR, LF and ESC included), DEL, and the bidi controls that reorder text. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line, every control character shown as an escape (`\x1b`, `\n`, `\u202e`): safe on a terminal. */
export function printable(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** ASCII punctuation that means something to Markdown or to the HTML it may contain (`-` and `.` are left alone). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]<>()#+!|~&$]/g;

/** Inline Markdown text: printable, then every special character backslash-escaped (CommonMark renders it literally). */
export function markdownText(text: string): string {
  return printable(text).replace(MARKDOWN_SPECIAL, (ch) => `\\${ch}`);
}

/** Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: a text cell that could start a formula gets a leading `'`, control characters become
 * escapes (the file is also read with `cat`), quoted when it must be.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string') text = FORMULA_START.test(text) ? `'${printable(text)}` : printable(text);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
