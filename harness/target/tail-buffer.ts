/**
 * Keeps the last N lines of a stream of text chunks (a server's stderr), for crash reports.
 *
 * Memory is bounded whatever the server writes: at most N lines are kept, and each line (the unfinished
 * last one included) keeps only its last `maxLineChars` characters. A server flooding stderr without
 * a newline therefore costs a few KB, not gigabytes.
 */
export const DEFAULT_MAX_LINE_CHARS = 2000;

export class TailBuffer {
  private lines: string[] = [];
  /** The unfinished last line, already cut to its last `maxLineChars` characters... */
  private partial = '';
  /** ...and how many characters were cut from its start so far. */
  private partialCut = 0;

  constructor(
    private readonly max: number,
    private readonly maxLineChars = DEFAULT_MAX_LINE_CHARS,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    const rest = parts.pop() ?? '';
    // Only the last N complete lines of this chunk can survive: skip clipping the others.
    const keepFrom = Math.max(0, parts.length - this.max);
    for (let i = keepFrom; i < parts.length; i++) {
      const cutBefore = i === 0 ? this.partialCut : 0; // the first part continues the previous partial
      this.lines.push(this.clip(parts[i]!.replace(/\r$/, ''), cutBefore));
    }
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);

    const carried = parts.length === 0 ? this.partialCut : 0;
    const overflow = Math.max(0, rest.length - this.maxLineChars);
    this.partial = overflow > 0 ? rest.slice(overflow) : rest;
    this.partialCut = carried + overflow;
  }

  /** The last lines, the unterminated one included. */
  last(): string[] {
    const all = [...this.lines];
    if (this.partial !== '' || this.partialCut > 0) all.push(this.clip(this.partial, this.partialCut));
    return all.slice(-this.max);
  }

  /** The line's last `maxLineChars` characters, marked when anything (now or earlier) was cut. */
  private clip(line: string, alreadyCut: number): string {
    const overflow = Math.max(0, line.length - this.maxLineChars);
    const cut = alreadyCut + overflow;
    if (cut === 0) return line;
    return `[${cut} characters cut] ${line.slice(overflow)}`;
  }
}
