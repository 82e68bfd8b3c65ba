/**
 * A log file that keeps at most `cap` bytes of a child's output and counts the rest: a submission that
 * floods its output must not fill the disk or the grader's memory.
 */
import fs from 'node:fs';

export class CappedLog {
  private written = 0;
  private dropped = 0;
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly cap: number,
  ) {
    this.fd = fs.openSync(file, 'w');
  }

  write(chunk: Buffer): void {
    const room = Math.max(0, this.cap - this.written);
    if (room > 0) {
      const kept = chunk.subarray(0, room);
      fs.writeSync(this.fd, kept);
      this.written += kept.length;
    }
    this.dropped += Math.max(0, chunk.length - room);
  }

  get droppedBytes(): number {
    return this.dropped;
  }

  close(): void {
    if (this.dropped > 0) fs.writeSync(this.fd, `\n[output cap of ${this.cap} bytes reached: ${this.dropped} more bytes dropped]\n`);
    fs.closeSync(this.fd);
  }

  /** The last lines kept (for a note when the grader itself failed). */
  tail(lines: number): string {
    return fs.readFileSync(this.file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }
}
