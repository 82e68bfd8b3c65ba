/**
 * JUnit XML from the run model. Built here rather than with Cucumber's junit formatter because that one
 * drops attachments, and a failure without its TCP transcript is not actionable in a CI UI.
 *
 * Mapping: one <testsuite> per feature, one <testcase> per scenario; failed -> <failure> whose body is the
 * failing step and its message; skipped -> <skipped/>; not gradable -> <skipped message="not gradable: ...">
 * (it must not fail a CI build); every text attachment (transcript, crash report) -> <system-out>.
 */
import type { RunContext } from './run-context.ts';
import { countBy, totals, type ScenarioResult, type RunModel } from './run-model.ts';

/** Escape for XML 1.0 text and attributes; characters XML cannot carry at all are shown as \xNN. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(s: ScenarioResult): string {
  const attrs = `classname="${xmlEscape(s.feature)}" name="${xmlEscape(s.name)}" time="${seconds(s.durationMs)}" file="${xmlEscape(s.uri)}"${s.line !== undefined ? ` line="${s.line}"` : ''}`;
  const body: string[] = [];
  if (s.outcome === 'failed' && s.failingStep) {
    const firstLine = s.failingStep.message.split('\n')[0] ?? '';
    body.push(
      `      <failure message="${xmlEscape(firstLine)}" type="failed step">${xmlEscape(`Step: ${s.failingStep.text}\n\n${s.failingStep.message}`)}</failure>`,
    );
  } else if (s.outcome === 'not-gradable') {
    body.push(`      <skipped message="${xmlEscape(s.notGradableReason ?? 'not gradable')}"/>`);
  } else if (s.outcome === 'skipped') {
    body.push('      <skipped/>');
  }
  // Transcripts of passing scenarios would only bloat the file: attachments go with what needs reading.
  const extra = [
    ...(s.flaky ? [{ fileName: 'flaky', text: `passed ${s.flaky.passed} of ${s.runs?.length ?? 0} runs (${(s.runs ?? []).join(', ')})\n${s.flaky.comparison}` }] : []),
    ...(s.reference ? [{ fileName: 'against the reference server', text: s.reference.comparison }] : []),
  ];
  if (s.outcome !== 'passed' && s.attachments.length + extra.length > 0) {
    const text = [...extra, ...s.attachments].map((a) => `--- ${a.fileName ?? ('mediaType' in a ? a.mediaType : '')} ---\n${a.text}`).join('\n');
    body.push(`      <system-out>${xmlEscape(text)}</system-out>`);
  }
  return body.length === 0 ? `    <testcase ${attrs}/>` : `    <testcase ${attrs}>\n${body.join('\n')}\n    </testcase>`;
}

export function buildJunitXml(model: RunModel, context: Pick<RunContext, 'wallMs'>): string {
  const all = totals(model.scenarios);
  const byFeature = countBy(model.scenarios, (s) => [s.uri]);
  const suites: string[] = [];
  for (const [uri, counts] of byFeature) {
    const scenarios = model.scenarios.filter((s) => s.uri === uri);
    const name = scenarios[0]?.feature ?? uri;
    suites.push(
      `  <testsuite name="${xmlEscape(name)}" tests="${counts.total}" failures="${counts.failed}" errors="0" skipped="${counts.skipped + counts['not-gradable']}" time="${seconds(counts.durationMs)}" file="${xmlEscape(uri)}">\n` +
        scenarios.map(testcase).join('\n') +
        '\n  </testsuite>',
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="chat-conformance" tests="${all.total}" failures="${all.failed}" errors="0" skipped="${all.skipped + all['not-gradable']}" time="${seconds(context.wallMs)}">\n` +
    (suites.length > 0 ? suites.join('\n') + '\n' : '') +
    '</testsuites>\n'
  );
}
