/**
 * A one-line progress bar redrawn in place (TTY only): scenarios done / planned and counts so far. Uses
 * readline's cursor helpers instead of hand-written escape sequences.
 */
import readline from 'node:readline';
import type { Outcome } from '../reports/run-model.ts';
import { OUTCOME_STYLE, type Painter } from './style.ts';

const WIDTH = 30;

export class ProgressBar {
  private done = 0;
  private readonly counts: Record<Outcome, number> = { passed: 0, failed: 0, skipped: 0, 'not-gradable': 0 };
  private planned = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly painter: Painter,
  ) {}

  setPlanned(planned: number): void {
    this.planned = planned;
    this.draw();
  }

  scenarioFinished(outcome: Outcome): void {
    this.done += 1;
    this.counts[outcome] += 1;
    this.draw();
  }

  /** Print a line above the bar (e.g. a failure as soon as it happens). */
  log(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    this.draw();
  }

  private draw(): void {
    const total = Math.max(this.planned, this.done);
    const filled = total === 0 ? 0 : Math.round((this.done / total) * WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    const p = this.painter;
    const parts = [
      p.paint(OUTCOME_STYLE.passed, `${this.counts.passed} passed`),
      p.paint(OUTCOME_STYLE.failed, `${this.counts.failed} failed`),
      p.paint(OUTCOME_STYLE['not-gradable'], `${this.counts['not-gradable']} not gradable`),
      p.paint(OUTCOME_STYLE.skipped, `${this.counts.skipped} skipped`),
    ];
    readline.cursorTo(this.stream, 0);
    readline.clearLine(this.stream, 0);
    this.stream.write(`[${bar}] ${this.done}/${total}  ${parts.join(', ')}`);
    this.drawn = true;
  }

  clear(): void {
    if (!this.drawn) return;
    readline.cursorTo(this.stream, 0);
    readline.clearLine(this.stream, 0);
    this.drawn = false;
  }
}
