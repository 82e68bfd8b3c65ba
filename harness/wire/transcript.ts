/**
 * The scenario's transcript: every byte sent and received by every client of one scenario, in the
 * order it happened, with a timestamp relative to the scenario start and the user's logical name.
 *
 * It is what a student reads when a scenario fails, so it renders one wire line per transcript line
 * (`+0.012s alice -> /JOIN #room_k3`) and makes invisible bytes visible (`\r`, `\x1b`, a missing
 * newline). Its size is capped: a flooding server must not make the harness run out of memory.
 */

export type Direction = 'send' | 'recv' | 'note';

interface Entry {
  atMs: number;
  user: string;
  direction: Direction;
  text: string;
}

export const DEFAULT_TRANSCRIPT_CAP_BYTES = 4 * 1024 * 1024;
/** A rendered wire line longer than this is shortened (its length said): a megabyte line is not a report. */
export const RENDER_LINE_MAX_CHARS = 2000;
/** Default size of a rendered transcript: its start and (mostly) its end are kept, the middle is counted. */
export const RENDER_MAX_CHARS = 64 * 1024;

export const ARROWS: Record<Direction, string> = { send: '->', recv: '<-', note: '--' };

export class Transcript {
  private readonly entries: Entry[] = [];
  private readonly startMs: number;
  private storedChars = 0;
  private droppedChars = 0;

  constructor(
    private readonly capChars: number = DEFAULT_TRANSCRIPT_CAP_BYTES,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startMs = now();
  }

  /** Record bytes that crossed the wire (already decoded to text) or a note (connected, closed...). */
  record(user: string, direction: Direction, text: string): void {
    if (this.storedChars + text.length > this.capChars) {
      // Keep what fits so the start of a flood is still visible, then only count.
      const room = Math.max(0, this.capChars - this.storedChars);
      if (room > 0) this.push(user, direction, text.slice(0, room));
      this.droppedChars += text.length - room;
      return;
    }
    this.push(user, direction, text);
  }

  note(user: string, text: string): void {
    this.record(user, 'note', text);
  }

  /** Characters that did not fit under the cap (0 when the transcript is complete). */
  get truncatedChars(): number {
    return this.droppedChars;
  }

  /**
   * The transcript as text, at most about `maxChars` characters: every line at most RENDER_LINE_MAX_CHARS,
   * and a longer whole keeps its first quarter and its last three quarters (the end is what explains a
   * failure), saying how much was left out in between.
   */
  render(maxChars: number = RENDER_MAX_CHARS): string {
    const out: string[] = [];
    for (const entry of this.entries) {
      const prefix = `+${(entry.atMs / 1000).toFixed(3)}s ${entry.user} ${ARROWS[entry.direction]} `;
      if (entry.direction === 'note') {
        out.push(prefix + `(${entry.text})`);
        continue;
      }
      for (const line of splitForDisplay(entry.text)) out.push(prefix + line);
    }
    if (this.droppedChars > 0) {
      out.push(`(transcript truncated: ${this.droppedChars} more characters were exchanged and not kept)`);
    }
    return keepEnds(out.map(shortenLine).join('\n'), maxChars);
  }

  /**
   * The transcript as whole lines: one per wire line (a chunk holding several lines gives several, a line
   * split over chunks gives one, at the place it was completed), each user's send and receive directions
   * kept apart; notes as they are. A line never completed comes last with " [no newline]".
   */
  lines(): Array<{ user: string; direction: Direction; text: string }> {
    const out: Array<{ user: string; direction: Direction; text: string }> = [];
    const partial = new Map<string, { user: string; direction: Direction; text: string }>();
    for (const entry of this.entries) {
      if (entry.direction === 'note') {
        out.push({ user: entry.user, direction: 'note', text: entry.text });
        continue;
      }
      const key = `${entry.direction} ${entry.user}`;
      const pieces = ((partial.get(key)?.text ?? '') + entry.text).split('\n');
      const rest = pieces.pop()!;
      for (const piece of pieces) out.push({ user: entry.user, direction: entry.direction, text: piece.endsWith('\r') ? piece.slice(0, -1) : piece });
      if (rest === '') partial.delete(key);
      else partial.set(key, { user: entry.user, direction: entry.direction, text: rest });
    }
    for (const line of partial.values()) out.push({ ...line, text: `${line.text} [no newline]` });
    return out;
  }

  private push(user: string, direction: Direction, text: string): void {
    this.entries.push({ atMs: this.now() - this.startMs, user, direction, text });
    this.storedChars += text.length;
  }
}

function shortenLine(line: string): string {
  if (line.length <= RENDER_LINE_MAX_CHARS) return line;
  return `${line.slice(0, RENDER_LINE_MAX_CHARS)}… (line shortened: ${line.length - RENDER_LINE_MAX_CHARS} more characters)`;
}

/** `text` if it fits in `maxChars`, else its first quarter and last three quarters with the gap said. */
export function keepEnds(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor(maxChars / 4);
  const tail = maxChars - head;
  return `${text.slice(0, head)}\n(… ${text.length - head - tail} characters of the transcript left out …)\n${text.slice(-tail)}`;
}

/** One display line per wire line; a trailing fragment without "\n" is marked as such. */
function splitForDisplay(text: string): string[] {
  const pieces = text.split('\n');
  const lines: string[] = [];
  pieces.forEach((piece, index) => {
    const last = index === pieces.length - 1;
    if (last && piece === '') return; // the text ended with "\n"
    lines.push(escapeInvisible(piece) + (last ? ' [no newline]' : ''));
  });
  if (lines.length === 0) lines.push('[empty]');
  return lines;
}

/** Make control characters visible so "\r" or an ANSI escape can be seen in a failure report. */
export function escapeInvisible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (ch) => {
    if (ch === '\r') return '\\r';
    if (ch === '\n') return '\\n';
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
