/**
 * cucumber.html again, with what only exists once every run is over (--repeat's flaky verdicts, --diff's
 * side by side with the reference server) attached to the scenarios they concern: the first run's messages
 * are made into Cucumber's own HTML page (html-page.ts) with one more attachment per such scenario, on its
 * last step, so the report shows it where a student looks (under the failing scenario).
 */
import { AttachmentContentEncoding, type Envelope } from '@cucumber/messages';
import { flakyWords } from './repeats.ts';
import type { ScenarioResult } from './run-model.ts';
import { writeHtmlPage } from './html-page.ts';

function notes(s: ScenarioResult): Array<{ fileName: string; text: string }> {
  const out: Array<{ fileName: string; text: string }> = [];
  if (s.flaky) out.push({ fileName: 'flaky', text: `${flakyWords(s)}\n${s.flaky.comparison}` });
  if (s.reference) out.push({ fileName: 'against the reference server', text: s.reference.comparison });
  return out;
}

/** Rewrites `file` when some scenario has something to add; leaves it alone otherwise. */
export async function writeAnnotatedHtml(file: string, envelopes: readonly Envelope[], scenarios: readonly ScenarioResult[]): Promise<void> {
  const extra = new Map(scenarios.filter((s) => notes(s).length > 0).map((s) => [s.id, notes(s)]));
  if (extra.size === 0 || envelopes.length === 0) return;
  const lastStep = new Map<string, string>();
  const lines: string[] = [];
  for (const envelope of envelopes) {
    const step = envelope.testStepFinished;
    if (step) lastStep.set(step.testCaseStartedId, step.testStepId);
    const done = envelope.testCaseFinished;
    const added = done ? extra.get(done.testCaseStartedId) : undefined;
    for (const note of added ?? []) {
      const attachment: Envelope = {
        attachment: {
          testCaseStartedId: done!.testCaseStartedId,
          ...(lastStep.has(done!.testCaseStartedId) ? { testStepId: lastStep.get(done!.testCaseStartedId)! } : {}),
          body: note.text,
          mediaType: 'text/plain',
          contentEncoding: AttachmentContentEncoding.IDENTITY,
          fileName: note.fileName,
        },
      };
      lines.push(JSON.stringify(attachment));
    }
    lines.push(JSON.stringify(envelope));
  }
  writeHtmlPage(file, lines);
}
