/**
 * Progress of a class batch: submissions graded, scenarios done inside the ones still running (from the
 * grade each grader sends after every scenario), and an estimate of the time left. On a
 * terminal one line is redrawn in place every second; elsewhere (a CI log) each finished submission's
 * line carries the count and the estimate.
 */
import readline from 'node:readline';
import type { Grade } from './score.ts';
import { printable } from './outputs/safe-text.ts';

/** Scenarios a (possibly running) grade has settled: everything but what is still waiting to run. */
export function scenariosDone(grade: Grade | undefined): number {
  if (!grade) return 0;
  return grade.state === 'running' ? grade.scenarios.filter((s) => s.status !== 'not-run').length : grade.scenarios.length;
}

/** Time left at the rate so far (scenarios per wall-clock ms, all jobs together); undefined before any is done. */
export function etaMs(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || elapsedMs <= 0) return undefined;
  return Math.max(0, Math.round((elapsedMs * (total - done)) / done));
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export interface ProgressState {
  graded: number;
  submissions: number;
  scenariosPerSubmission: number;
  /** Each running submission and its scenarios done so far. */
  running: ReadonlyArray<{ name: string; done: number }>;
  elapsedMs: number;
}

/** "2/5 graded, 61% of the scenarios, about 3 min 10 s left; running: alice 12/40, bob 3/40". */
export function progressText(p: ProgressState): string {
  const total = p.submissions * p.scenariosPerSubmission;
  const done = p.graded * p.scenariosPerSubmission + p.running.reduce((n, r) => n + Math.min(r.done, p.scenariosPerSubmission), 0);
  const eta = etaMs(done, total, p.elapsedMs);
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  const left = eta === undefined ? 'time left not known yet' : `about ${formatDuration(eta)} left`;
  const who = p.running.length > 0 ? `; running: ${p.running.map((r) => `${printable(r.name)} ${r.done}/${p.scenariosPerSubmission}`).join(', ')}` : '';
  return `${p.graded}/${p.submissions} graded, ${percent}% of the scenarios, ${left}${who}`;
}

/** One line, redrawn in place on a terminal (every second while submissions run). */
export class BatchProgress {
  private drawn = false;
  private graded = 0;
  private running: string[] = [];
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly submissions: number,
    private readonly scenariosPerSubmission: number,
    private readonly startedMs: number,
    /** Scenarios done so far by a running submission (its grade.json). */
    private readonly doneOf: (name: string) => number,
  ) {
    if (stream.isTTY) {
      this.timer = setInterval(() => this.redraw(), 1000);
      this.timer.unref();
    }
  }

  state(): ProgressState {
    return {
      graded: this.graded,
      submissions: this.submissions,
      scenariosPerSubmission: this.scenariosPerSubmission,
      running: this.running.map((name) => ({ name, done: this.doneOf(name) })),
      elapsedMs: Date.now() - this.startedMs,
    };
  }

  draw(graded: number, running: readonly string[]): void {
    this.graded = graded;
    this.running = [...running];
    this.redraw();
  }

  private redraw(): void {
    if (!this.stream.isTTY) return;
    const width = 20;
    const p = this.state();
    const filled = Math.round((p.graded / Math.max(1, p.submissions)) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progressText(p)}`;
    readline.cursorTo(this.stream, 0);
    readline.clearLine(this.stream, 0);
    this.stream.write(line.slice(0, (this.stream.columns || 120) - 1));
    this.drawn = true;
  }

  /** A line above the bar; off a terminal, with the progress so far (CI logs have no bar). */
  log(text: string): void {
    this.clear();
    this.stream.write(this.stream.isTTY ? `${text}\n` : `${text}  [${progressText(this.state())}]\n`);
  }

  clear(): void {
    if (!this.drawn) return;
    readline.cursorTo(this.stream, 0);
    readline.clearLine(this.stream, 0);
    this.drawn = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }
}
