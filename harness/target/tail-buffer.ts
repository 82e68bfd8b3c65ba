/** Keeps the last N lines of a stream of text chunks (a server's stderr), for crash reports. */
export class TailBuffer {
  private lines: string[] = [];
  private partial = '';

  constructor(private readonly max: number) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.lines.push(line.replace(/\r$/, ''));
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  /** The last lines, the unterminated one included. */
  last(): string[] {
    const all = this.partial ? [...this.lines, this.partial] : [...this.lines];
    return all.slice(-this.max);
  }
}
