/**
 * Byte-level framing of one TCP connection's input stream into protocol lines (PROTOCOL.md §1.2-§1.5).
 *
 * TCP delivers arbitrary chunks: half a line, several lines, a "\r" in one chunk and its "\n" in the
 * next, a multi-byte UTF-8 character cut in two. This splitter works on BYTES (so a character cut
 * between chunks is reassembled before decoding) and emits, in stream order, either a decoded line or
 * a rejection. It is pure: no sockets, no timers, only the bytes it is given.
 *
 * Memory stays bounded whatever the peer sends: at most `maxLineBytes + 1` bytes of a partial line are
 * kept (the "+1" is a possible "\r" before a "\n" still to come). A line that grows past the limit is
 * reported once, as soon as it is known to be too long, and every byte up to its "\n" is then skipped
 * without being stored, so a 100 MB line costs no more memory than a 4 KB one.
 */

export type LineRejection = 'LINE_TOO_LONG' | 'BAD_ENCODING';

export type FramedInput =
  | { kind: 'line'; text: string }
  | { kind: 'rejected'; reason: LineRejection };

export const DEFAULT_MAX_LINE_BYTES = 4096;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Control characters that §1.5 forbids inside a line: U+0000-U+001F except TAB, and U+007F.
 * Checked on the decoded text; in valid UTF-8 these code points can only come from single ASCII bytes.
 */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** `fatal` turns invalid UTF-8 into an exception; `ignoreBOM` keeps a leading U+FEFF as sent. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class LineSplitter {
  readonly maxLineBytes: number;
  /** Copies of the bytes of the current, unfinished line (never views into a caller's chunk). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of an over-long line (already reported) up to its "\n". */
  private discarding = false;

  constructor(maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes of an unfinished line currently held (for tests and diagnostics). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Feeds one chunk; returns every line completed (or rejected) by it, in stream order. */
  push(chunk: Uint8Array): FramedInput[] {
    const out: FramedInput[] = [];
    // Buffer.from on a Buffer's backing store makes a view, not a copy.
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    // A line may be one byte longer than the limit while its last byte is a "\r" that the "\n" strips.
    const maxHeld = this.maxLineBytes + 1;
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(LF, start);
      if (this.discarding) {
        if (newline === -1) return out; // still inside the over-long line: drop the whole chunk
        this.discarding = false;
        start = newline + 1;
        continue;
      }
      if (newline === -1) {
        const tailBytes = bytes.length - start;
        if (this.pendingBytes + tailBytes > maxHeld) {
          // Known to be too long before its end: report now, skip the rest without storing it.
          out.push({ kind: 'rejected', reason: 'LINE_TOO_LONG' });
          this.clearPending();
          this.discarding = true;
        } else {
          // Copy, so a small remainder does not pin the peer's whole (possibly 64 KB) chunk in memory.
          this.pending.push(Buffer.from(bytes.subarray(start)));
          this.pendingBytes += tailBytes;
        }
        return out;
      }
      const pieceBytes = newline - start;
      if (this.pendingBytes + pieceBytes > maxHeld) {
        this.clearPending();
        out.push({ kind: 'rejected', reason: 'LINE_TOO_LONG' });
      } else {
        out.push(this.finishLine(bytes.subarray(start, newline)));
      }
      start = newline + 1;
    }
    return out;
  }

  /** Joins the pending bytes with the last piece of a line, strips one "\r", checks length and encoding. */
  private finishLine(lastPiece: Buffer): FramedInput {
    let line: Buffer;
    if (this.pendingBytes === 0) {
      line = lastPiece;
    } else {
      this.pending.push(lastPiece);
      line = Buffer.concat(this.pending, this.pendingBytes + lastPiece.length);
      this.clearPending();
    }
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (line.length > this.maxLineBytes) return { kind: 'rejected', reason: 'LINE_TOO_LONG' };
    let text: string;
    try {
      text = utf8.decode(line);
    } catch {
      return { kind: 'rejected', reason: 'BAD_ENCODING' };
    }
    if (FORBIDDEN_CONTROL.test(text)) return { kind: 'rejected', reason: 'BAD_ENCODING' };
    return { kind: 'line', text };
  }

  private clearPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}
