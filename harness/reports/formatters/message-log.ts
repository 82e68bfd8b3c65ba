/**
 * messages.ndjson: every Cucumber envelope of the run, one JSON line each, written as the run goes.
 *
 * It stands in for Cucumber's `message` and `html` formatters. Those two serialised every envelope once
 * each and wrote it as a stream chunk of its own (two syscalls' worth of stream work per envelope, about
 * 8,000 envelopes in a run of the suite); cucumber.html is now made once, at the end, from these very lines
 * (harness/reports/html-page.ts). The lines are written in batches: at the end of each scenario, so a
 * run killed mid-way still has on disk every scenario that finished, and whenever a batch grows large.
 * bench/README.md ("Grading speed") has what this saves.
 */
import type { Envelope } from '@cucumber/messages';

/** A batch this large is written even in the middle of a scenario (a flood of attachments). */
export const BATCH_BYTES = 256 * 1024;

/** What Cucumber hands a formatter plugin (docs/custom_formatters.md in cucumber-js), the part used here. */
interface FormatterContext {
  on(event: 'message', handler: (envelope: Envelope) => void): void;
  write(data: string): void;
}

const messageLog = {
  type: 'formatter' as const,
  formatter({ on, write }: FormatterContext): () => void {
    let batch = '';
    on('message', (envelope) => {
      batch += `${JSON.stringify(envelope)}\n`;
      if (envelope.testCaseFinished !== undefined || envelope.testRunFinished !== undefined || batch.length >= BATCH_BYTES) {
        write(batch);
        batch = '';
      }
    });
    return () => {
      if (batch !== '') write(batch);
      batch = '';
    };
  },
};

export default messageLog;
