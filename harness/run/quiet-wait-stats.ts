/**
 * How what the quiet waits learned (harness/wire/quiet-wait.ts) reaches the run's notes: the runner makes a
 * folder and names it in the environment its parallel workers inherit; at the end of the run each process
 * that ran scenarios writes its summary there (steps/support/hooks.ts); the runner reads them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeQuietWait, type QuietWaitSummary } from '../wire/quiet-wait.ts';

export const QUIET_WAIT_STATS_ENV = 'CHAT_CONFORMANCE_QUIET_WAIT_STATS';

export function makeStatsDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'chat-conformance-quiet-'));
}

/** One note per process that waited (in the order of their files), then the folder is removed. */
export function collectQuietWaitNotes(dir: string, quietMs: number): string[] {
  const notes: string[] = [];
  try {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    for (const file of files) {
      try {
        const summary = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as QuietWaitSummary;
        const note = describeQuietWait(summary, quietMs);
        if (note) notes.push(files.length > 1 ? `worker ${notes.length + 1}: ${note}` : note);
      } catch {
        // A worker killed while writing: its summary is lost, nothing else is.
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return notes;
}
