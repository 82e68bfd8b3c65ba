/**
 * How a submission's grade reaches the batch: not a file the submission might reach, but a pipe the batch
 * opens as its grader's file descriptor 3 (named in GRADE_CHANNEL_ENV). The grader writes every grade it
 * makes there, one JSON line each; the batch keeps the last complete line. Node marks inherited
 * descriptors close-on-exec, so the server and client programs the grader starts never hold it, and a
 * sandboxed one cannot reach the grader's /proc/<pid>/fd either (its own PID namespace).
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Grade } from './score.ts';

export const GRADE_CHANNEL_ENV = 'CHAT_CONFORMANCE_GRADE_FD';
/** A grade line longer than this is not a grade this harness wrote (grades clip every text they hold). */
export const MAX_GRADE_LINE_BYTES = 64 * 1024 * 1024;

/** In the grader: a writer to the batch's channel, when the batch gave one (the variable is then removed). */
export function openGradeChannel(): ((grade: Grade) => void) | undefined {
  const text = process.env[GRADE_CHANNEL_ENV];
  delete process.env[GRADE_CHANNEL_ENV];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const fd = Number(text);
  let broken = false;
  return (grade: Grade) => {
    if (broken) return;
    const data = Buffer.from(`${JSON.stringify(grade)}\n`, 'utf8');
    try {
      for (let offset = 0; offset < data.length; ) offset += fs.writeSync(fd, data, offset);
    } catch {
      broken = true; // the batch is gone: nobody reads the channel any more
    }
  };
}

/** In the batch: reads the channel, keeps the last complete line parsed as JSON (a grade or not: checked by the caller). */
export class GradeChannelReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;
  private last: unknown;

  constructor(stream: Readable) {
    stream.on('data', (chunk: Buffer) => this.push(chunk));
    stream.on('error', () => undefined);
  }

  private push(chunk: Buffer): void {
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a)) {
      this.take(chunk.subarray(0, newline));
      chunk = chunk.subarray(newline + 1);
      this.finishLine();
    }
    this.take(chunk);
  }

  private take(part: Buffer): void {
    if (this.overflowed || part.length === 0) return;
    this.pendingBytes += part.length;
    if (this.pendingBytes > MAX_GRADE_LINE_BYTES) {
      this.overflowed = true;
      this.pending = [];
      return;
    }
    this.pending.push(part);
  }

  private finishLine(): void {
    if (!this.overflowed) {
      try {
        this.last = JSON.parse(Buffer.concat(this.pending).toString('utf8'));
      } catch {
        // not JSON: ignored, the previous grade stands
      }
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.overflowed = false;
  }

  /** The last grade the grader sent (undefined when none came). */
  latest(): Grade | undefined {
    return this.last as Grade | undefined;
  }
}
