/** A channel's memory of its last plain messages (§5.17): a fixed-size ring, oldest overwritten. */

export interface HistoryEntry {
  readonly nick: string;
  readonly text: string;
}

export class History {
  private readonly entries: HistoryEntry[] = [];
  /** Index of the oldest entry once the ring is full. */
  private start = 0;

  constructor(private readonly capacity: number) {}

  add(nick: string, text: string): void {
    const entry = { nick, text };
    if (this.entries.length < this.capacity) {
      this.entries.push(entry);
    } else {
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The last `count` entries (fewer if fewer are remembered), oldest first. */
  last(count: number): HistoryEntry[] {
    const n = Math.min(count, this.entries.length);
    const result: HistoryEntry[] = [];
    for (let i = this.entries.length - n; i < this.entries.length; i++) {
      result.push(this.entries[(this.start + i) % this.entries.length]!);
    }
    return result;
  }
}
