/**
 * A channel's memory of its last plain messages (§5.17): the last `capacity` entries, oldest forgotten;
 * and the server-wide budget of history bytes (§7) they all share, so that many channels full of long
 * lines cannot hold unbounded memory: past the budget the oldest entries of the whole server go first.
 */

export interface HistoryEntry {
  readonly nick: string;
  readonly text: string;
}

interface Kept extends HistoryEntry {
  readonly bytes: number;
  /** True once forgotten (ring overflow, budget eviction, channel gone): its bytes are no longer counted. */
  gone: boolean;
  readonly owner: History;
}

/** Bytes an entry is charged: its UTF-8 text and nick plus a fixed overhead for the record itself. */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * Every channel's history entries in the order they were added, and their total size.
 *
 * An entry a channel forgot by itself (its ring overflowed, or the channel is gone) stays in `order`
 * until the head passes it or a compaction drops it: without that, a busy channel that never reaches
 * the byte budget would keep one dead record per message it ever carried (memory and GC time that
 * grew with the server's uptime).
 */
export class HistoryBudget {
  private order: Kept[] = [];
  private head = 0;
  private total = 0;
  /** Forgotten entries at or after `head`: what a compaction would remove. */
  private goneAhead = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  /** Records kept for the budget (live and not yet dropped forgotten ones), for tests. */
  get recordsHeld(): number {
    return this.order.length - this.head;
  }

  /** Counts `entry`, then forgets the oldest entries of the server until the total fits. */
  charge(entry: Kept): void {
    this.order.push(entry);
    this.total += entry.bytes;
    while (this.total > this.maxBytes && this.head < this.order.length) {
      const oldest = this.order[this.head++]!;
      if (!oldest.gone) oldest.owner.forgetOldest(); // counted in goneAhead by release()
      this.goneAhead--; // ...and now behind the head
    }
    // Forgotten entries at the front (one channel's ring overflowing) are simply passed.
    while (this.head < this.order.length && this.order[this.head]!.gone) {
      this.head++;
      this.goneAhead--;
    }
    const held = this.order.length - this.head;
    if (this.goneAhead > 1024 && this.goneAhead * 2 > held) {
      // Mostly dead records behind a live one (several channels): keep only the live ones, in order.
      this.order = this.order.slice(this.head).filter((kept) => !kept.gone);
      this.head = 0;
      this.goneAhead = 0;
    } else if (this.head > 1024 && this.head * 2 > this.order.length) {
      // Drop the passed prefix now and then, so the order array does not grow forever.
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  release(entry: Kept): void {
    entry.gone = true;
    this.total -= entry.bytes;
    this.goneAhead++;
  }
}

export class History {
  private readonly entries: Kept[] = [];
  /** Index of the oldest entry still remembered. */
  private start = 0;

  constructor(
    private readonly capacity: number,
    private readonly budget: HistoryBudget,
  ) {}

  add(nick: string, text: string): void {
    const entry: Kept = { nick, text, bytes: Buffer.byteLength(nick) + Buffer.byteLength(text) + ENTRY_OVERHEAD_BYTES, gone: false, owner: this };
    this.entries.push(entry);
    if (this.entries.length - this.start > this.capacity) this.forgetOldest();
    this.budget.charge(entry);
  }

  /** Forgets the oldest remembered entry (the budget calls this for the server's oldest). */
  forgetOldest(): void {
    const oldest = this.entries[this.start];
    if (oldest === undefined) return;
    this.budget.release(oldest);
    this.start++;
    if (this.start > 64 && this.start * 2 > this.entries.length) {
      this.entries.splice(0, this.start);
      this.start = 0;
    }
  }

  /** The channel is gone: its entries no longer count (§5.17: the history dies with the channel). */
  clear(): void {
    while (this.start < this.entries.length) this.forgetOldest();
  }

  /** The last `count` entries (fewer if fewer are remembered), oldest first. */
  last(count: number): HistoryEntry[] {
    const from = Math.max(this.start, this.entries.length - count);
    return this.entries.slice(from).map(({ nick, text }) => ({ nick, text }));
  }
}
