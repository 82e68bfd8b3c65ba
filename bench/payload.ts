/**
 * The text of every benchmark message, and the byte-level scanner that finds it in received data.
 *
 * A message's text is one token `~<sender>.<seq>.<sentAtMicros>`. Whatever the dialect wraps around it
 * (`MSG #c nick ~...` or `:nick!u@h PRIVMSG #c :~...\r\n`), it is the last token of the delivered
 * line. The scanner therefore reads each line BACKWARDS from its newline, on raw bytes, with no string
 * allocation: the receive path is the load generator's hot loop (one call per delivery, millions per
 * second), and it must stay cheaper than the servers it measures. Lines that are not deliveries
 * (replies, joins, pings) are handed over as strings, which is rare during the measured phase.
 */

export function encodePayload(sender: number, seq: number, sentAtMicros: number): string {
  return `~${sender}.${seq}.${Math.floor(sentAtMicros)}`;
}

export interface ScanSink {
  /** One delivered benchmark message. */
  delivery(sender: number, seq: number, sentAtMicros: number, line: Buffer, lineStart: number, lineEnd: number): void;
  /** Any other complete line, without its terminator (decoded as UTF-8). */
  other(line: string): void;
}

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const TILDE = 0x7e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Splits a stream into lines and classifies each. Keeps the unfinished tail between chunks (copied,
 * so a chunk is never pinned). One instance per connection.
 */
export class PayloadScanner {
  private tail: Buffer | null = null;
  /** Values of the last parsed payload (fields, not a returned object: no allocation per line). */
  private pSender = 0;
  private pSeq = 0;
  private pTime = 0;

  constructor(private readonly sink: ScanSink) {}

  get bufferedBytes(): number {
    return this.tail === null ? 0 : this.tail.length;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.tail !== null) {
      buf = Buffer.concat([this.tail, chunk]);
      this.tail = null;
    }
    let pos = 0;
    const length = buf.length;
    while (pos < length) {
      const newline = buf.indexOf(LF, pos);
      if (newline === -1) {
        this.tail = Buffer.from(buf.subarray(pos));
        return;
      }
      let end = newline;
      if (end > pos && buf[end - 1] === CR) end--;
      if (this.parsePayload(buf, pos, end)) {
        this.sink.delivery(this.pSender, this.pSeq, this.pTime, buf, pos, end);
      } else if (end > pos) {
        this.sink.other(buf.toString('utf8', pos, end));
      }
      pos = newline + 1;
    }
  }

  /** Reads `~S.Q.T` backwards from `end`; true (and fields set) when the line ends with one. */
  private parsePayload(buf: Buffer, start: number, end: number): boolean {
    let i = end - 1;
    let value = 0;
    let scale = 1;
    let digits = 0;
    // T
    while (i >= start) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) break;
      value += (c - ZERO) * scale;
      scale *= 10;
      digits++;
      i--;
    }
    if (digits === 0 || i < start || buf[i] !== DOT) return false;
    this.pTime = value;
    i--;
    // Q
    value = 0;
    scale = 1;
    digits = 0;
    while (i >= start) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) break;
      value += (c - ZERO) * scale;
      scale *= 10;
      digits++;
      i--;
    }
    if (digits === 0 || digits > 9 || i < start || buf[i] !== DOT) return false;
    this.pSeq = value;
    i--;
    // S
    value = 0;
    scale = 1;
    digits = 0;
    while (i >= start) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) break;
      value += (c - ZERO) * scale;
      scale *= 10;
      digits++;
      i--;
    }
    if (digits === 0 || digits > 9 || i < start || buf[i] !== TILDE) return false;
    this.pSender = value;
    return true;
  }
}
