/** summary.md: the short, human report of a run (per feature and per tag, failures, not gradable, filtered out). */
import type { RunContext } from './run-context.ts';
import { countBy, totals, type Counts, type RunModel } from './run-model.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** A fenced block that backticks inside the text cannot close early. */
export const fence = (text: string): string => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text}\n${f}`;
};

function table(title: string, groups: Map<string, Counts>, label: (key: string) => string): string[] {
  const lines = [`| ${title} | passed | failed | skipped | not gradable | total | time |`, '|---|---:|---:|---:|---:|---:|---:|'];
  for (const [key, c] of groups) {
    lines.push(`| ${cell(label(key))} | ${c.passed} | ${c.failed} | ${c.skipped} | ${c['not-gradable']} | ${c.total} | ${secs(c.durationMs)} |`);
  }
  return lines;
}

/** The verdict line shared with the console: the run fails only on failed scenarios. */
export function verdict(model: RunModel): 'PASS' | 'FAIL' {
  return totals(model.scenarios).failed > 0 || model.runErrors.length > 0 || model.parseErrors.length > 0 ? 'FAIL' : 'PASS';
}

export function buildSummaryMarkdown(model: RunModel, context: RunContext): string {
  const all = totals(model.scenarios);
  const out: string[] = ['# Conformance summary', ''];
  out.push(`- **Result: ${verdict(model)}**: ${all.passed} passed, ${all.failed} failed, ${all.skipped} skipped, ${all['not-gradable']} not gradable (${all.total} scenarios run)`);
  out.push(`- Target: ${context.target}`);
  out.push(`- Profile: \`${context.profile}\``);
  out.push(`- Tags: ${context.tags ? `\`${context.tags}\`` : '(all)'}`);
  out.push(`- Scenarios at once: ${context.parallel > 1 ? `${context.parallel} (--parallel)` : '1 (serial)'}; isolation: ${context.isolation}`);
  out.push(`- Wall time: ${secs(context.wallMs)}`);
  for (const note of context.notes) out.push(`- Note: ${note}`);
  out.push('');

  const features = new Map<string, string>(model.scenarios.map((s) => [s.uri, s.feature]));
  out.push('## Per feature', '', ...table('feature', countBy(model.scenarios, (s) => [s.uri]), (uri) => `${features.get(uri) ?? uri} (${uri})`), '');

  const byTag = countBy(model.scenarios, (s) => s.tags);
  const sortedTags = new Map([...byTag].sort(([a], [b]) => a.localeCompare(b)));
  if (sortedTags.size > 0) out.push('## Per tag', '', ...table('tag', sortedTags, (tag) => `\`${tag}\``), '');

  const failed = model.scenarios.filter((s) => s.outcome === 'failed');
  if (failed.length > 0) {
    out.push('## Failures', '');
    for (const s of failed) {
      const first = s.failingStep?.message.split('\n')[0] ?? '';
      out.push(`- **${cell(s.feature)} › ${cell(s.name)}** (\`${s.uri}${s.line !== undefined ? `:${s.line}` : ''}\`): ${cell(s.failingStep?.text ?? '?')}: ${cell(first)}`);
    }
    out.push('', 'Full messages and TCP transcripts: `junit.xml` and `cucumber.html`.', '');
  }

  const flaky = model.scenarios.filter((s) => s.flaky);
  if (flaky.length > 0) {
    out.push('## Flaky (counted as failed)', '', 'Their verdict changed from run to run (`--repeat`): a failing run and a passing run side by side.', '');
    for (const s of flaky) {
      out.push(`### ${cell(s.feature)} › ${cell(s.name)} (\`${s.uri}:${s.line ?? '?'}\`)`, '', `Passed ${s.flaky!.passed} of ${s.runs?.length ?? 0} runs: ${(s.runs ?? []).join(', ')}.`, '', fence(s.flaky!.comparison), '');
    }
  }

  const compared = model.scenarios.filter((s) => s.reference);
  if (compared.length > 0) {
    out.push('## Against the reference server (`--diff`)', '');
    for (const s of compared) out.push(`### ${cell(s.feature)} › ${cell(s.name)} (\`${s.uri}:${s.line ?? '?'}\`)`, '', fence(s.reference!.comparison), '');
  }

  const notGradable = model.scenarios.filter((s) => s.outcome === 'not-gradable');
  if (notGradable.length > 0) {
    out.push('## Not gradable with this profile', '', 'These do not fail the run: the profile cannot express what they check.', '');
    for (const s of notGradable) out.push(`- ${cell(s.feature)} › ${cell(s.name)}: ${cell(s.notGradableReason ?? 'not gradable')}`);
    out.push('');
  }

  if (context.filtered.length > 0) {
    out.push('## Filtered out (not run)', '', '| tag | scenarios | why |', '|---|---:|---|');
    for (const f of context.filtered) out.push(`| \`${f.tag}\` | ${f.count} | ${cell(f.why)} |`);
    out.push('');
  }

  if (model.runErrors.length > 0 || model.parseErrors.length > 0) {
    out.push('## Run errors', '');
    for (const e of [...model.parseErrors, ...model.runErrors]) out.push(`- ${cell(e)}`);
    out.push('');
  }
  return out.join('\n');
}
