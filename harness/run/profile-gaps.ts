/**
 * Which scenarios a profile makes "not gradable", and what they are worth (issue #14, `npm run profile:check`).
 *
 * Not from a table of what each step needs (it would drift from the steps): the same forecast a run makes
 * before it starts (harness/run/known-ungradable.ts), i.e. the suite run in this process against the bundled
 * reference server with the canonical profile minus everything the profile under check lacks (its "gaps",
 * harness/dialect/gap-profile.ts). Every scenario that ends "not gradable" in that run is one the profile
 * makes ungradable, for the reason the steps give, which names the missing profile field. A scenario counts under the first missing field it
 * meets (completing that field may reveal the next one).
 *
 * What is not carried over, and so not listed: the profile's names rules and course variants (profile:check
 * prints them apart), stream framing (the @load scenarios' numbered lines), and client-driven mode.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '@cucumber/messages';
import { gapProfile } from '../dialect/gap-profile.ts';
import type { Profile } from '../dialect/profile-types.ts';
import { canonicalJson, forecastUngradable } from './known-ungradable.ts';
import { buildRunModel } from '../reports/run-model.ts';
import { categoryOf, loadRubric, pointShares, scenarioWeight, type Rubric } from '../../grading/rubric.ts';
import { featureFiles, readScenarios, scenarioKey } from '../../grading/scenarios.ts';
import { pts } from '../../grading/outputs/format.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The missing profile field a "not gradable" reason names: the key scenarios are grouped under. */
export function missingField(reason: string): string {
  const text = reason.replace(/^not gradable:\s*/, '');
  if (/reads no error code from this refusal/.test(text)) return 'replies.error: no code group (error codes unreadable)';
  const capability = /capabilities\.(\w+) is false|lacks the capability "(\w+)"/.exec(text);
  if (capability) return `capabilities.${capability[1] ?? capability[2]}`;
  const template = /cannot express "(\w+)" with ([\w, ]+) \(/.exec(text);
  if (template) return `commands.${template[1]}: no template takes ${template[2]}`;
  const field = /does not extract the field "(\w+)"/.exec(text);
  if (field) return `a reply field "${field[1]}" (no ok pattern of the command captures it)`;
  const named = /\((no [^()]*|[\w.]+ has no [^()]*)\)/.exec(text);
  if (named) return named[1]!;
  return text.replace(/profile "[^"]*"/g, 'the profile').replace(/ from the reply ".*$/, '');
}

export interface UngradableScenario {
  key: string;
  name: string;
  reason: string;
  /** Its share of the rubric's points (the same share grade.json's maxPoints gives it). */
  points: number;
}

export interface UngradableGroup {
  field: string;
  scenarios: UngradableScenario[];
  points: number;
}

export interface UngradableReport {
  rubric: { title: string; source: string; points: number };
  groups: UngradableGroup[];
  /** Scenarios the rubric selects, and how many of them the profile leaves gradable. */
  selected: number;
  notGradable: number;
  points: number;
  notCarried: string[];
}

/** Each rubric scenario's share of its category's points, by `uri:line` (the maxPoints of a grade where all are counted). */
export function pointsByScenario(rubric: Rubric, featuresDir = path.join(ROOT, 'features')): Map<string, number> {
  const scenarios = readScenarios(featureFiles([featuresDir]), ROOT);
  const shares = new Map<string, number>();
  for (const category of rubric.categories) {
    const mine = scenarios.filter((s) => categoryOf(rubric, s.tags)?.id === category.id).map((s) => ({ ...s, weight: scenarioWeight(s.tags) }));
    pointShares(category, mine).forEach((share, i) => shares.set(mine[i]!.key, share));
  }
  return shares;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Run the rubric's scenarios against the bundled reference server with `profile`'s gaps (see above) and
 * group those that end not gradable by the missing field. Takes about as long as `npm run conformance`.
 */
export async function ungradableScenarios(profile: Profile, options: { rubric?: string; timeoutMs?: number } = {}): Promise<UngradableReport> {
  const rubric = loadRubric(options.rubric ?? 'course', ROOT);
  const { raw, notCarried } = gapProfile(profile, canonicalJson());
  const envelopes: Envelope[] = [];
  await forecastUngradable(
    {
      profile,
      clientDriven: false,
      consoleOutput: true,
      features: [path.join(ROOT, 'features')],
      tagExpression: rubric.selection,
      support: { importPaths: [path.join(ROOT, 'steps', '**', '*.ts')] },
      cwd: ROOT,
      timeoutMs: options.timeoutMs ?? 2000,
      onEnvelope: (envelope) => envelopes.push(envelope),
    },
    raw,
  );
  const points = pointsByScenario(rubric);
  const results = buildRunModel(envelopes).scenarios;
  const groups = new Map<string, UngradableGroup>();
  for (const result of results) {
    if (result.outcome !== 'not-gradable') continue;
    const reason = result.notGradableReason ?? 'not gradable';
    const key = scenarioKey(result.uri, result.line);
    const field = missingField(reason);
    const group = groups.get(field) ?? { field, scenarios: [], points: 0 };
    const share = points.get(key) ?? 0;
    group.scenarios.push({ key, name: result.name, reason, points: round4(share) });
    group.points += share;
    groups.set(field, group);
  }
  const sorted = [...groups.values()].map((g) => ({ ...g, points: round4(g.points) })).sort((a, b) => b.points - a.points || a.field.localeCompare(b.field));
  return {
    rubric: { title: rubric.title, source: rubric.source, points: round4(rubric.categories.reduce((sum, c) => sum + c.points, 0)) },
    groups: sorted,
    selected: results.length,
    notGradable: sorted.reduce((sum, g) => sum + g.scenarios.length, 0),
    points: round4(sorted.reduce((sum, g) => sum + g.points, 0)),
    notCarried,
  };
}

/** The report's text, as profile:check prints it after the profile's description. */
export function describeUngradable(report: UngradableReport, maxPerField = Infinity): string {
  const out: string[] = [];
  const { rubric } = report;
  out.push(
    report.notGradable === 0
      ? `scenarios it makes not gradable: none of the ${report.selected} the rubric "${rubric.title}" selects (every field they read is defined)`
      : `scenarios it makes not gradable: ${report.notGradable} of ${report.selected}, ${pts(report.points)} of the ${pts(rubric.points)} points of the rubric "${rubric.title}" to grade by hand:`,
  );
  // Below 0.01 a share would print as 0: say so instead.
  const points = (x: number): string => (x > 0 && x < 0.01 ? '< 0.01' : pts(x));
  for (const group of report.groups) {
    out.push(`  ${group.field}: ${group.scenarios.length} scenario(s), ${points(group.points)} points`);
    for (const s of group.scenarios.slice(0, maxPerField)) out.push(`    ${s.key}  ${s.name} (${points(s.points)} pt)`);
    if (group.scenarios.length > maxPerField) out.push(`    ... and ${group.scenarios.length - maxPerField} more`);
  }
  if (report.notCarried.length > 0) out.push(`  not counted here: ${report.notCarried.join('; ')}`);
  out.push('  (found by running those scenarios against the bundled reference server with what this profile lacks; a scenario counts under the first missing field it meets)');
  return out.join('\n');
}
