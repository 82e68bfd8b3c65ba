/**
 * Which scenarios a profile makes "not gradable", and what they are worth (issue #14, `npm run profile:check`).
 *
 * Not from a table of what each step needs (it would drift from the steps): the suite itself is run, in
 * this process, against the bundled reference server with the canonical profile minus everything the
 * profile under check lacks (its "gaps": commands it cannot express, events it cannot recognise, reply
 * fields and data lines it does not read, WHO roles, error codes, capabilities, the console). Every
 * scenario that ends "not gradable" in that run is one the profile makes ungradable, for the reason the
 * steps give, which names the missing profile field. A scenario counts under the first missing field it
 * meets (completing that field may reveal the next one).
 *
 * What is not carried over, and so not listed: the profile's names rules and course variants (profile:check
 * prints them apart), stream framing (the @load scenarios' numbered lines), and client-driven mode.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '@cucumber/messages';
import { COMMAND_NAMES, EVENT_NAMES } from '../dialect/catalogue.ts';
import { resolveProfilePath } from '../dialect/load-profile.ts';
import type { Profile } from '../dialect/profile-types.ts';
import { runSuiteInProcess } from './in-process-run.ts';
import { buildRunModel } from '../reports/run-model.ts';
import { createTarget } from '../target/index.ts';
import { categoryOf, loadRubric, pointShares, scenarioWeight, type Rubric } from '../../grading/rubric.ts';
import { featureFiles, readScenarios, scenarioKey } from '../../grading/scenarios.ts';
import { pts } from '../../grading/outputs/format.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Canonical's JSON as written (profiles/canonical.json), the base the gaps are cut out of. */
type Raw = Record<string, any>;

const groupsOf = (pattern: RegExp): Set<string> => new Set([...pattern.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!));

/** `source` with the named groups `names` made non-capturing: the pattern still matches, those fields are not read. */
function withoutGroups(source: string, names: ReadonlySet<string>): string {
  return source.replace(/\(\?<([A-Za-z_]\w*)>/g, (whole, name: string) => (names.has(name) ? '(?:' : whole));
}

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

/** A pattern list with the groups the profile cannot read (not in `readable`) made non-capturing. */
function keepReadable(patterns: unknown, readable: ReadonlySet<string>): string[] {
  return asList(patterns).map((source) => {
    const unread = new Set([...source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!).filter((name) => !readable.has(name)));
    return withoutGroups(source, unread);
  });
}

/**
 * Canonical's profile JSON with `profile`'s gaps cut out, under `profile`'s name (so the reasons name it).
 * Returns the JSON and what could not be carried over (said beside the list).
 */
export function gapProfile(profile: Profile, canonical: Raw): { raw: Raw; notCarried: string[] } {
  const raw = JSON.parse(JSON.stringify(canonical)) as Raw;
  delete raw.$schema;
  raw.name = profile.name;
  raw.description = `canonical minus what profile "${profile.name}" lacks (npm run profile:check)`;
  const notCarried: string[] = [];

  const okGroups = new Set(profile.okReply.flatMap((p) => [...groupsOf(p)]));
  for (const name of COMMAND_NAMES) {
    const spec = profile.commands[name];
    const mine = raw.commands[name] as Raw | undefined;
    if (!mine) continue;
    if (!spec) {
      delete raw.commands[name];
      continue;
    }
    // Only canonical's templates whose arguments one of the profile's templates takes: a scenario giving
    // an argument no template of the profile uses is not gradable (Dialect.render).
    const argSets = new Set(spec.templates.map((t) => [...t.matchAll(/\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]).sort().join(',')));
    const sends = asList(mine.send).filter((t) => argSets.has([...t.matchAll(/\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]).sort().join(',')));
    if (sends.length === 0) {
      delete raw.commands[name];
      continue;
    }
    mine.send = sends;
    const readable = new Set([...okGroups, ...spec.ok.flatMap((p) => [...groupsOf(p)])]);
    if (mine.ok !== undefined) mine.ok = keepReadable(mine.ok, readable);
    if (mine.data !== undefined) {
      if (spec.data.length === 0) delete mine.data;
      else mine.data = keepReadable(mine.data, new Set(spec.data.flatMap((p) => [...groupsOf(p)])));
    }
    if (!spec.nickSeparator) delete mine.nickSeparator;
  }
  for (const name of EVENT_NAMES) if (!profile.events[name]) delete raw.events[name];

  if (!profile.who) delete raw.who;
  else {
    const groups = groupsOf(profile.who.member);
    const roles = groups.has('role') ? ['owner', 'admin'] : ['owner', 'admin'].filter((role) => groups.has(role));
    raw.who.member = keepReadable(raw.who.member, new Set(['nick', ...roles]))[0];
  }
  if (!profile.list) delete raw.list;

  const readsCodes = profile.errorCodes && profile.errorReply.some((e) => e.code !== undefined || groupsOf(e.pattern).has('code'));
  if (!profile.errorCodes) raw.capabilities.errorCodes = false;
  else if (!readsCodes) raw.replies.error = keepReadable(raw.replies.error, new Set(['reason']));
  raw.capabilities.lobby = profile.lobby;
  if (profile.defaultChannel !== undefined) raw.capabilities.defaultChannel = profile.defaultChannel;
  raw.capabilities.rawWire = profile.rawWire;

  if (!profile.console) delete raw.console;
  else if (profile.console.answer.length === 0) delete raw.console.answer;

  if (profile.framing === 'stream') notCarried.push('stream framing (the @load scenarios number the lines a user received: not gradable in stream framing)');
  if (Object.keys(profile.names).length > 0) notCarried.push('names rules (scenarios needing a name they exclude are not gradable)');
  if (Object.keys(profile.variants).length > 0) notCarried.push('course variants (listed above)');
  return { raw, notCarried };
}

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
  const canonical = JSON.parse(fs.readFileSync(resolveProfilePath('canonical'), 'utf8')) as Raw;
  const { raw, notCarried } = gapProfile(profile, canonical);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'profile-gaps-'));
  const file = path.join(dir, 'gaps.json');
  const envelopes: Envelope[] = [];
  try {
    await writeFile(file, JSON.stringify(raw, null, 2));
    await runSuiteInProcess({
      target: createTarget({ kind: 'embedded' }),
      features: [path.join(ROOT, 'features')],
      tags: rubric.selection,
      support: { importPaths: [path.join(ROOT, 'steps', '**', '*.ts')] },
      timeoutMs: options.timeoutMs ?? 2000,
      failFast: false,
      cwd: ROOT,
      parameters: { profile: file },
      onEnvelope: (envelope) => envelopes.push(envelope),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
