/**
 * grade.md: the report a student reads. The table first (category, passed/total, points), then each
 * failure as the rule in plain words, the step that failed, its message and the end of the TCP transcript,
 * then what was not counted and why. Details of @hidden scenarios are withheld.
 */
import type { Grade, ScenarioGrade } from '../score.ts';
import { byHandWords, cutWords, notGradedWhy, pts, ruleInWords, STATUS_WORDS } from './format.ts';
import { fence } from '../../harness/reports/summary-md.ts';
import { markdownText } from './safe-text.ts';
import { SPEC_TAG } from '../classes.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const STATE_WORDS: Record<Grade['state'], string> = {
  running: 'the run is still going (this grade is provisional)',
  complete: 'complete',
  cut: 'cut by the budget: it ran out before every scenario ran (see below); what it cut is not graded, not failed',
  'cut-off': 'cut off: the grader was stopped before every scenario ran; scenarios not run earn nothing',
  'server-did-not-start': 'the server did not start: no scenario could run',
  'grader-error': 'the grader itself failed (see the notes)',
  'dialect-mismatch': 'DIALECT MISMATCH: the server answered, but nothing it said matched the profile; this grade is not meaningful (see the notes)',
};

function failure(s: ScenarioGrade): string[] {
  if (s.hidden) return [`### Hidden check failed`, '', 'Details of hidden checks are withheld.', ''];
  const out = [`### ${cell(s.feature)} › ${cell(s.name)}${s.optional?.declared === 'implemented' ? ' (claimed in chat-conformance.json: broken)' : ''}`, '', `- **Rule:** ${ruleInWords(s)}`, `- **Scenario:** \`${s.uri}:${s.line}\` (${pts(s.maxPoints)} pt)`];
  if (s.failingStep) out.push(`- **Failed at:** \`${s.failingStep}\``);
  out.push('');
  if (s.message) out.push(fence(s.message), '');
  if (s.transcript) out.push('End of the TCP transcript (`->` sent by the test client, `<-` received from your server):', '', fence(s.transcript), '');
  out.push(...extras(s));
  return out;
}

/** The flaky verdicts and the side by side with the reference server, when the run had them. */
function extras(s: ScenarioGrade): string[] {
  const out: string[] = [];
  if (s.flaky) {
    out.push(`**Flaky:** its verdict changed from run to run (${s.flaky.runs.join(', ')}); counted as ${s.flaky.counted}. A failing run and a passing run:`, '', fence(s.flaky.comparison), '');
  }
  if (s.reference) out.push('**What the reference server does** (`--diff`):', '', fence(s.reference.comparison), '');
  return out;
}

export function buildGradeMarkdown(grade: Grade): string {
  const out: string[] = [`# Grade${grade.submission ? `: ${markdownText(grade.submission)}` : ''}`, ''];
  out.push(`**${pts(grade.total)} / ${pts(grade.max)} points**${grade.max !== grade.rubricPoints ? ` (the rubric has ${pts(grade.rubricPoints)}; categories no selected scenario belongs to are left out)` : ''}`, '');
  const hand = byHandWords(grade, Number.POSITIVE_INFINITY);
  if (hand) out.push(`**${cell(hand[0]!.toUpperCase() + hand.slice(1))}**: the harness could not check them with this profile or target; a grader adds what the server earns.`, '');
  const cut = cutWords(grade);
  if (cut) out.push(`**${cell(cut[0]!.toUpperCase() + cut.slice(1))}**: the time budget ran out before them (spread across the categories); they are neither passed nor failed.`, '');
  if ((grade.disconnectCrashes ?? []).length > 0) {
    out.push(`**The server died ${grade.disconnectCrashes.length} time(s) when a test's connections closed after its steps had passed** (a client leaving without \`/BYE\`): charged once, to the rules about dropped connections; the scenarios themselves are not failed for it.`, '');
  }
  out.push(`- Rubric: ${grade.rubric.title} (\`${grade.rubric.source}\`)`);
  out.push(`- Server: ${markdownText(grade.target)}; profile \`${grade.profile}\`${grade.tags ? `; tags \`${grade.tags}\`` : ''}`);
  out.push(`- Run: ${STATE_WORDS[grade.state]}; ${(grade.wallMs / 1000).toFixed(1)} s`);
  const variantWord = grade.rubric.variants === 'deduct' ? 'counted as failed by this rubric' : 'not deducted by this rubric';
  for (const variant of grade.variants ?? []) out.push(`- Course variant (${variantWord}): ${cell(variant)}`);
  // Notes may quote the server's own output (why it did not start): never raw Markdown.
  for (const note of grade.notes) out.push(`- Note: ${markdownText(note)}`);
  if (grade.manifest) {
    const declared = grade.manifest.implements.length > 0 ? grade.manifest.implements.map((f) => `\`${f}\``).join(', ') : 'none of the optional features';
    out.push(`- Manifest (\`chat-conformance.json\`): implements ${declared}; failures of the features it does not claim are listed apart, as not implemented`);
  }
  out.push('', '| category | passed / counted | points | not graded |', '|---|---:|---:|---|');
  for (const c of grade.categories) {
    const counted = c.passed + c.failed + c.notRun;
    const handPoints = c.handPoints ?? 0;
    const notGraded = [
      c.notGradable ? `${c.notGradable} not gradable` : '',
      c.filtered ? `${c.filtered} filtered out` : '',
      handPoints ? `${pts(handPoints)} pt to grade by hand` : '',
      c.cut ? `${c.cut} cut by the budget (${pts(c.cutPoints)} pt)` : '',
    ].filter(Boolean).join(', ');
    const points = c.max === 0 ? `not selected (${pts(c.points)} left out)` : `${pts(c.score)} / ${pts(c.max)}${c.allOrNothing ? ' (all or nothing)' : ''}${c.graded ? '' : `, ${notGradedWhy(c)}`}`;
    out.push(`| ${c.group ? `${cell(c.group)}: ` : ''}${cell(c.title)} | ${c.passed} / ${counted} | ${points} | ${notGraded || '-'} |`);
  }
  out.push(`| **total** | ${grade.counts.passed} / ${grade.counts.passed + grade.counts.failed + grade.counts['not-run']} | **${pts(grade.total)} / ${pts(grade.max)}** | ${[byHandWords(grade, 0).replace(/ \(rules: .*\)$/, ''), cutWords(grade)].filter(Boolean).join('; ') || '-'} |`, '');
  const beyond = grade.categories.filter((c) => c.beyondCourseGrid);
  if (beyond.length > 0) {
    out.push(`PROTOCOL.md's own choices, beyond the course grid (name grammar, lengths, error codes, ordering, exact wording, framing: \`@spec\` scenarios), are graded in ${beyond.map((c) => `"${cell(c.title)}" (${pts(c.points)} of ${pts(grade.rubricPoints)} points)`).join(', ')}; every other category grades the course's own rules.`, '');
  } else if (grade.scenarios.some((s) => s.tags.includes(SPEC_TAG))) {
    out.push(`PROTOCOL.md's own choices (\`@spec\` scenarios) are graded with the course's rules, in their command's category (the whole-spec grading).`, '');
  }

  // A failure of an optional feature the manifest says is not implemented is no bug to fix: listed apart.
  const notImplemented = grade.scenarios.filter((s) => s.status === 'failed' && s.optional?.declared === 'not-implemented');
  const failed = grade.scenarios.filter((s) => s.status === 'failed' && s.optional?.declared !== 'not-implemented');
  const claimedBroken = failed.filter((s) => s.optional?.declared === 'implemented').length;
  if (failed.length > 0) {
    out.push(`## What to fix (${failed.length} failed${claimedBroken > 0 ? `, ${claimedBroken} of them in optional features chat-conformance.json claims: claimed but broken` : ''})`, '');
    for (const c of grade.categories) {
      const mine = failed.filter((s) => s.category === c.id);
      if (mine.length === 0) continue;
      out.push(`## ${cell(c.title)}`, '');
      for (const s of mine) out.push(...failure(s));
    }
  }

  if (notImplemented.length > 0) {
    out.push(`## Not implemented, as declared in chat-conformance.json (${notImplemented.length} failed, earning nothing)`, '');
    const byFeature = new Map<string, number>();
    for (const s of notImplemented) byFeature.set(s.optional!.title, (byFeature.get(s.optional!.title) ?? 0) + 1);
    for (const [title, n] of byFeature) out.push(`- ${cell(title)}: ${n} scenario(s)`);
    out.push('');
  }

  const flakyPassed = grade.scenarios.filter((s) => s.flaky && s.status === 'passed');
  if (flakyPassed.length > 0) {
    out.push(`## Flaky, counted as passed by their majority (${flakyPassed.length})`, '');
    for (const s of flakyPassed) out.push(`### ${s.hidden ? 'A hidden check' : `${cell(s.feature)} › ${cell(s.name)}`}`, '', ...(s.hidden ? [] : extras(s)));
  }

  const notRun = grade.scenarios.filter((s) => s.status === 'not-run');
  if (notRun.length > 0) {
    out.push(`## Not run (${notRun.length}, counted as not passed)`, '');
    const byReason = new Map<string, number>();
    for (const s of notRun) byReason.set(s.reason ?? 'not run', (byReason.get(s.reason ?? 'not run') ?? 0) + 1);
    for (const [reason, n] of byReason) out.push(`- ${n} scenario(s): ${cell(reason)}`);
    out.push('');
  }

  const cutList = grade.scenarios.filter((s) => s.status === 'cut');
  if (cutList.length > 0) {
    out.push(`## Cut by the budget (${cutList.length} scenarios, ${pts(grade.cut.points)} points not graded)`, '');
    for (const c of grade.categories) if (c.cut > 0) out.push(`- ${cell(c.title)}: ${c.cut} scenario(s), ${pts(c.cutPoints)} pt`);
    out.push('');
  }

  for (const status of ['not-gradable', 'filtered'] as const) {
    const list = grade.scenarios.filter((s) => s.status === status);
    if (list.length === 0) continue;
    out.push(`## ${STATUS_WORDS[status][0]!.toUpperCase()}${STATUS_WORDS[status].slice(1)} (${list.length}: to grade by hand)`, '');
    for (const s of list) out.push(`- ${s.hidden ? 'a hidden check' : `${cell(s.feature)} › ${cell(s.name)}`} (${pts(s.maxPoints)} pt): ${cell(s.reason ?? '')}`);
    out.push('');
  }
  return out.join('\n');
}
