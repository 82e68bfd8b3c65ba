/** What the runner prints: each failure (as it happens) and the end-of-run summary. Plain text, optional colour. */
import path from 'node:path';
import type { RunContext } from '../reports/run-context.ts';
import { countBy, totals, type RunModel, type ScenarioResult } from '../reports/run-model.ts';
import { verdict } from '../reports/summary-md.ts';
import { OUTCOME_LABEL, OUTCOME_STYLE, type Painter } from './style.ts';
import { head, ruleInWords, studentMessage, tail, transcriptOf } from '../reports/failure-evidence.ts';
import { CRASH_BLOCK_PREFIX } from '../target/crash-notes.ts';

/** Failure messages carry the last lines received; keep the console readable, the reports have everything. */
const MESSAGE_LINES = 12;
const VERBOSE_MESSAGE_LINES = 30;
const TRANSCRIPT_LINES = 10;

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const indent = (text: string, by = '    '): string => text.split('\n').map((l) => `${by}${l}`).join('\n');

function where(s: ScenarioResult): string {
  return `${s.uri}${s.line !== undefined ? `:${s.line}` : ''}`;
}

/**
 * One failure as grade.md shows it: where (feature:line, to re-run it alone), the rule in plain words,
 * the step, the message and the end of the transcript. The stack and node:assert's diff only with
 * `verbose` (they help whoever debugs the harness, not whoever fixes a server).
 */
export function formatFailure(s: ScenarioResult, reportsDir: string, painter: Painter, verbose = false): string {
  const lines = [`${painter.paint(['red', 'bold'], 'FAILED')} ${painter.paint('bold', where(s))}  ${s.feature} › ${s.name}`];
  lines.push(`  rule:      ${ruleInWords(s)}`);
  if (s.failingStep) {
    lines.push(`  failed at: ${s.failingStep.text}`);
    const message = verbose ? head(s.failingStep.message, VERBOSE_MESSAGE_LINES, 8000) : head(studentMessage(s.failingStep.message), MESSAGE_LINES, 2000);
    lines.push(indent(message));
  }
  for (const crash of s.attachments.filter((a) => a.text.startsWith(CRASH_BLOCK_PREFIX))) lines.push(painter.paint('red', indent(crash.text, '  ')));
  const transcript = transcriptOf(s.attachments);
  if (transcript !== undefined && transcript.trim() !== '') {
    lines.push('  end of the TCP transcript (-> sent by the test client, <- received from the server):');
    lines.push(indent(tail(transcript.trimEnd(), TRANSCRIPT_LINES, 3000)));
  }
  const rel = path.relative(process.cwd(), reportsDir) || '.';
  lines.push(`  more: ${path.join(rel, 'cucumber.html')} (whole transcript on the failed step)${verbose ? '' : '; stack and diff with --verbose'}`);
  return lines.join('\n');
}

export function formatSummary(model: RunModel, context: RunContext, reportsDir: string, painter: Painter): string {
  const p = painter;
  const out: string[] = ['', p.paint('bold', `Conformance run against ${context.target}, profile ${context.profile}`)];
  const byFeature = countBy(model.scenarios, (s) => [s.uri]);
  const names = new Map(model.scenarios.map((s) => [s.uri, s.feature]));
  const rows = [...byFeature].map(([uri, c]) => ({ label: `${names.get(uri) ?? uri} (${uri})`, c }));
  const width = Math.min(70, Math.max(7, ...rows.map((r) => r.label.length)));
  const num = (n: number, w: number): string => String(n).padStart(w);
  out.push(`${'feature'.padEnd(width)}  passed  failed  skipped  not gradable    time`);
  for (const { label, c } of rows) {
    const name = label.length > width ? `${label.slice(0, width - 1)}…` : label.padEnd(width);
    out.push(
      `${name}  ${p.paint(OUTCOME_STYLE.passed, num(c.passed, 6))}  ${p.paint(c.failed ? OUTCOME_STYLE.failed : 'reset', num(c.failed, 6))}  ${num(c.skipped, 7)}  ${p.paint(c['not-gradable'] ? OUTCOME_STYLE['not-gradable'] : 'reset', num(c['not-gradable'], 12))}  ${secs(c.durationMs).padStart(6)}`,
    );
  }
  const notGradable = model.scenarios.filter((s) => s.outcome === 'not-gradable');
  if (notGradable.length > 0) {
    out.push('', p.paint(OUTCOME_STYLE['not-gradable'], `Not gradable with this profile (${notGradable.length}, not counted as failures):`));
    for (const s of notGradable) out.push(`  - ${s.feature} › ${s.name}: ${s.notGradableReason ?? ''}`);
  }
  if (context.filtered.length > 0) {
    out.push('', 'Filtered out (not run):');
    for (const f of context.filtered) out.push(`  - ${f.count} ${f.tag} scenario(s): ${f.why}`);
  }
  for (const note of context.notes) out.push(`Note: ${note}`);
  for (const error of [...model.parseErrors, ...model.runErrors]) out.push(p.paint('red', `Run error: ${error}`));
  const all = totals(model.scenarios);
  const result = verdict(model);
  const counts = (['passed', 'failed', 'skipped', 'not-gradable'] as const).map((o) => `${all[o]} ${OUTCOME_LABEL[o]}`).join(', ');
  out.push('', `${p.paint(['bold', result === 'PASS' ? 'green' : 'red'], result)}: ${counts} (${all.total} scenarios) in ${secs(context.wallMs)}`);
  const rel = path.relative(process.cwd(), reportsDir) || '.';
  out.push(`Reports: ${['summary.md', 'cucumber.html', 'junit.xml', 'messages.ndjson'].map((f) => path.join(rel, f)).join(', ')}`);
  return out.join('\n');
}
