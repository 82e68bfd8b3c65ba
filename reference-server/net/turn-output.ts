/**
 * The output of one event-loop turn, shared between the connections it goes to.
 *
 * A line with several recipients (a channel message, a JOIN, a QUIT) is encoded once and appended to
 * the turn's log; each recipient's queue then records only WHICH lines of the log it gets, as runs of
 * consecutive indexes ([start, end)). Members of one channel receive the very same run, so a broadcast
 * costs one comparison and one increment per recipient, not an array push, and at the end of the turn
 * the run is concatenated once and the same Buffer is written to every member (see server.ts, flush).
 * A line for one connection only (a reply) is queued as its own Buffer, in order with the runs.
 *
 * Measured with `npm run bench` (50 clients x 1 sender): the per-recipient push and the per-flush
 * comparison of queues this replaces were a large part of the server's JavaScript time per delivery.
 *
 * Consecutive lines to the same recipients (one sender's burst of channel messages) are not even handed
 * to each recipient line by line: they accumulate in a `Broadcast`, a run of the log with its recipient
 * list, which the server fans out to the queues once, when something else is about to be queued or the
 * input of the turn is done (server.ts, fanOut). A burst of 60 messages to 49 members costs 49 queue
 * updates instead of 2,940.
 */

/** Lines [start, end) of the turn log. */
class Run {
  constructor(
    public start: number,
    public end: number,
  ) {}
}

export class TurnLog {
  private lines: Buffer[] = [];
  /** Concatenations of runs made during the current flush, keyed by start * (length + 1) + end. */
  private concatenated = new Map<number, Buffer>();
  private keyBase = 1;

  /** Appends a line meant for several connections; returns its index. */
  append(line: Buffer): number {
    return this.lines.push(line) - 1;
  }

  /** Call before flushing the queues of a turn: runs concatenated from now on are shared. */
  beginFlush(): void {
    this.concatenated.clear();
    this.keyBase = this.lines.length + 1;
  }

  /**
   * Call after a flush. The log is emptied only when no queue refers to it any more (`anyQueued` false);
   * a line queued while flushing (not done today, but cheap to allow) keeps it for the next turn.
   */
  endFlush(anyQueued: boolean): void {
    this.concatenated.clear();
    if (!anyQueued) this.lines = [];
  }

  /** The bytes of lines [start, end): one Buffer, the same object for every queue with this run in this flush. */
  bytesOf(run: Run): Buffer {
    const { start, end } = run;
    if (end - start === 1) return this.lines[start]!;
    const cacheable = end < this.keyBase; // a run that grew during the flush has no stable key
    const key = start * this.keyBase + end;
    if (cacheable) {
      const done = this.concatenated.get(key);
      if (done !== undefined) return done;
    }
    const data = Buffer.concat(this.lines.slice(start, end));
    if (cacheable) this.concatenated.set(key, data);
    return data;
  }

  /** The Buffers of lines [start, end), appended to `into` (for a queue mixing runs and own lines). */
  collect(run: Run, into: Buffer[]): void {
    for (let i = run.start; i < run.end; i++) into.push(this.lines[i]!);
  }
}

/** What one connection is owed this turn: runs of the turn log and lines of its own, in order. */
export class OutputQueue {
  private parts: (Run | Buffer)[] = [];
  /** Bytes queued (not yet handed to the socket). */
  bytes = 0;

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /** Lines [start, end) of the turn log, `size` bytes in all. */
  pushRun(start: number, end: number, size: number): void {
    const last = this.parts[this.parts.length - 1];
    if (last instanceof Run && last.end === start) last.end = end;
    else this.parts.push(new Run(start, end));
    this.bytes += size;
  }

  /** A line for this connection only. */
  pushOwn(line: Buffer): void {
    this.parts.push(line);
    this.bytes += line.length;
  }

  /** Everything queued as one Buffer (shared with other queues holding the same single run), and empties the queue. */
  take(log: TurnLog): Buffer | undefined {
    const parts = this.parts;
    if (parts.length === 0) return undefined;
    const total = this.bytes;
    this.clear();
    if (parts.length === 1) {
      const only = parts[0]!;
      return only instanceof Run ? log.bytesOf(only) : only;
    }
    const buffers: Buffer[] = [];
    for (const part of parts) {
      if (part instanceof Run) log.collect(part, buffers);
      else buffers.push(part);
    }
    return Buffer.concat(buffers, total);
  }

  clear(): void {
    this.parts = [];
    this.bytes = 0;
  }
}

/**
 * Lines [start, end) of the turn log, all for the same recipients (`to` without `except`), not yet in
 * their queues. `to` is an array the core never mutates (core/effects.ts), so it still names the same
 * connections when the run is fanned out later in the turn.
 */
export class Broadcast {
  readonly start: number;
  end: number;
  bytes: number;

  /** Starts with line `index` of the turn log, `size` bytes long. */
  constructor(
    readonly to: readonly number[],
    readonly except: number | undefined,
    index: number,
    size: number,
  ) {
    this.start = index;
    this.end = index + 1;
    this.bytes = size;
  }

  /** Takes line `index` (`size` bytes) when it goes to the same recipients and directly follows the run. */
  tryExtend(to: readonly number[], except: number | undefined, index: number, size: number): boolean {
    if (to !== this.to || except !== this.except || index !== this.end) return false;
    this.end++;
    this.bytes += size;
    return true;
  }
}
