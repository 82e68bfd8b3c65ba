/**
 * A rubric: categories with points, each selecting scenarios by a Cucumber tag expression. Loaded from
 * JSON, validated against rubrics/rubric.schema.json (ajv), then every tag expression is compiled so a
 * typo fails before a single server is started.
 *
 * A scenario counts in the FIRST category whose expression matches it; `checkCoverage` reports the
 * scenarios no category takes and those several categories match, and `requireCoverage` refuses a rubric
 * that leaves any (the shipped rubrics must grade every scenario of features/ exactly once). Their
 * categories name the command tags they take, with no catch-all ("@v1 and not (...)"): a new command's
 * scenarios then land in no category, and that is an error, instead of silently in the wrong one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../common/json-schema.ts';
import { CORE_TAG } from './classes.ts';
import { tagMatcher, type ScenarioInfo } from './scenarios.ts';

export type Visibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

export interface CategorySpec {
  id: string;
  title: string;
  group?: string;
  points: number;
  tags: string;
  allOrNothing?: boolean;
  /** This category's share of points for its @core scenarios (else the rubric's). */
  coreShare?: number;
  /** Grades rules beyond the course grid (PROTOCOL.md's own choices); the reports say so. */
  beyondCourseGrid?: boolean;
}

/** How a flaky scenario counts (--repeat): as failed, or as the verdict of most of its runs. */
export type FlakyPolicy = 'failed' | 'majority';

/**
 * A rubric written on top of another's categories (course.json on strict.json): the base's categories, in
 * order, each restricted to the scenarios `within` selects and with the points `points` gives it, then this
 * rubric's own `categories`. Only the categories come from the base: title, policies and shares are this
 * rubric's. A command's tag is then named in one rubric's categories, not in each.
 */
export interface ExtendsSpec {
  /** The base rubric: a file, relative to this one. */
  rubric: string;
  /** A tag expression every inherited category's expression is and-ed with (`@course`). */
  within?: string;
  /** Points of inherited categories, by id, instead of the base's. */
  points?: Record<string, number>;
}

export interface RubricSpec {
  title: string;
  extends?: ExtendsSpec;
  description?: string;
  hiddenVisibility?: Visibility;
  /** Share of each category's points that its @core scenarios carry (see pointShares). */
  coreShare?: number;
  /** What a declared course variant does to a grade (default excuse; see computeGrade). */
  variants?: VariantPolicy;
  flaky?: FlakyPolicy;
  categories: CategorySpec[];
}

/** excuse: a course variant costs nothing; deduct: every scenario a variant changed counts as failed. */
export type VariantPolicy = 'excuse' | 'deduct';

export interface Category extends CategorySpec {
  matches(tags: readonly string[]): boolean;
}

export interface Rubric {
  title: string;
  /** Where it was loaded from (shown in reports). */
  source: string;
  hiddenVisibility: Visibility;
  variants: VariantPolicy;
  flaky: FlakyPolicy;
  categories: Category[];
  /** The union of every category's expression: the scenarios worth running. */
  selection: string;
}

export class RubricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RubricError';
  }
}

const GRADING_DIR = path.dirname(fileURLToPath(import.meta.url));
export const RUBRICS_DIR = path.resolve(GRADING_DIR, '..', 'rubrics');
export const DEFAULT_RUBRIC = path.join(RUBRICS_DIR, 'course.json');
const SCHEMA_FILE = path.join(RUBRICS_DIR, 'rubric.schema.json');

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`).join('; ');
}

function validated(spec: unknown, source: string): RubricSpec {
  const validate = schemaValidator(SCHEMA_FILE);
  if (!validate(spec)) throw new RubricError(`${source}: ${describeErrors(validate.errors)}`);
  return spec as RubricSpec;
}

/** A rubric's categories, its base's first when it extends one (`dir`: where `extends.rubric` is relative to). */
function categorySpecs(rubric: RubricSpec, source: string, dir: string, chain: readonly string[]): CategorySpec[] {
  const base = rubric.extends;
  if (base === undefined) return rubric.categories;
  const file = path.resolve(dir, base.rubric);
  if (chain.includes(file)) throw new RubricError(`${source}: extends "${base.rubric}", which extends it back (${[...chain, file].join(' -> ')})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RubricError(`${source}: extends: cannot read the rubric "${base.rubric}" (${file}): ${error instanceof Error ? error.message : String(error)}`);
  }
  const inherited = categorySpecs(validated(parsed, file), file, path.dirname(file), [...chain, file]);
  const unknown = Object.keys(base.points ?? {}).filter((id) => !inherited.some((c) => c.id === id));
  if (unknown.length > 0) throw new RubricError(`${source}: extends.points names categories "${base.rubric}" does not have: ${unknown.join(', ')}`);
  return [
    ...inherited.map((c) => ({ ...c, ...(base.within === undefined ? {} : { tags: `${base.within} and (${c.tags})` }), points: base.points?.[c.id] ?? c.points })),
    ...rubric.categories,
  ];
}

/**
 * Validate and compile a parsed rubric. Throws RubricError naming every problem it can see. `dir` is where a
 * base rubric it extends is looked for (its own directory when loaded from a file).
 */
export function compileRubric(spec: unknown, source: string, dir: string = RUBRICS_DIR): Rubric {
  const rubric = validated(spec, source);
  const ids = new Set<string>();
  const categories: Category[] = categorySpecs(rubric, source, dir, [path.resolve(dir, path.basename(source))]).map((c) => {
    if (ids.has(c.id)) throw new RubricError(`${source}: category id "${c.id}" is used twice`);
    ids.add(c.id);
    let matches: Category['matches'];
    try {
      matches = tagMatcher(c.tags);
    } catch (error) {
      throw new RubricError(`${source}: category "${c.id}": bad tag expression "${c.tags}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    const coreShare = c.coreShare ?? rubric.coreShare;
    return { ...c, ...(coreShare !== undefined ? { coreShare } : {}), matches };
  });
  return {
    title: rubric.title,
    source,
    hiddenVisibility: rubric.hiddenVisibility ?? 'after_published',
    variants: rubric.variants ?? 'excuse',
    flaky: rubric.flaky ?? 'failed',
    categories,
    selection: categories.map((c) => `(${c.tags})`).join(' or '),
  };
}

/** A rubric name ("course" = rubrics/course.json) or a path to a JSON file. */
export function loadRubric(nameOrPath: string = DEFAULT_RUBRIC, cwd: string = process.cwd()): Rubric {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes(path.sep) || nameOrPath.endsWith('.json');
  const file = looksLikePath ? path.resolve(cwd, nameOrPath) : path.join(RUBRICS_DIR, `${nameOrPath}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new RubricError(`no such rubric: ${nameOrPath} (${file})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RubricError(`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return compileRubric(parsed, path.relative(cwd, file) || file, path.dirname(file));
}

/** The category a scenario counts in (the first that matches), or undefined. */
export function categoryOf(rubric: Rubric, tags: readonly string[]): Category | undefined {
  return rubric.categories.find((c) => c.matches(tags));
}

export interface Coverage {
  /** Scenarios no category selects (they are not run by `grade`). */
  uncovered: ScenarioInfo[];
  /** Scenarios more than one category matches, with the ids (the first one wins). */
  overlapping: Array<{ scenario: ScenarioInfo; categories: string[] }>;
}

export function checkCoverage(rubric: Rubric, scenarios: readonly ScenarioInfo[]): Coverage {
  const coverage: Coverage = { uncovered: [], overlapping: [] };
  for (const scenario of scenarios) {
    const ids = rubric.categories.filter((c) => c.matches(scenario.tags)).map((c) => c.id);
    if (ids.length === 0) coverage.uncovered.push(scenario);
    else if (ids.length > 1) coverage.overlapping.push({ scenario, categories: ids });
  }
  return coverage;
}

/**
 * Throws RubricError naming every scenario that no category grades, or that several categories match (it
 * would count in the first one only by the order of the categories).
 */
export function requireCoverage(rubric: Rubric, scenarios: readonly ScenarioInfo[]): void {
  const { uncovered, overlapping } = checkCoverage(rubric, scenarios);
  const problems = [
    ...uncovered.map((s) => `${s.key} (${s.tags.join(' ')}) is in no category`),
    ...overlapping.map((o) => `${o.scenario.key} (${o.scenario.tags.join(' ')}) is in several categories: ${o.categories.join(', ')}`),
  ];
  if (problems.length > 0) throw new RubricError(`${rubric.source}: every scenario must be in exactly one category:\n  ${problems.join('\n  ')}`);
}

/** Weight of a scenario inside its category: `@points:N` (N > 0), default 1. */
export function scenarioWeight(tags: readonly string[]): number {
  for (const tag of tags) {
    const m = /^@points:(\d+(?:\.\d+)?)$/.exec(tag);
    if (m && Number(m[1]) > 0) return Number(m[1]);
  }
  return 1;
}

export function isHidden(tags: readonly string[]): boolean {
  return tags.includes('@hidden');
}

/**
 * What each counted scenario of a category is worth, in points (same order as `counted`). Without a
 * core share: the category's points in proportion to the weights. With one (`coreShare`, 0 < s <= 1):
 * the @core scenarios share s of the points by their weights and the others the rest, so a server whose
 * main effects work keeps most of a category whatever the number of detail checks around them; when only
 * one kind is counted (e.g. the core ones were not gradable), it carries the whole category.
 */
export function pointShares(category: Pick<CategorySpec, 'points' | 'coreShare'>, counted: ReadonlyArray<{ tags: readonly string[]; weight: number }>): number[] {
  const isCore = counted.map((s) => category.coreShare !== undefined && s.tags.includes(CORE_TAG));
  const pool = (core: boolean): number => counted.reduce((sum, s, i) => sum + (isCore[i] === core ? s.weight : 0), 0);
  const coreWeight = pool(true);
  const otherWeight = pool(false);
  const coreShare = coreWeight === 0 ? 0 : otherWeight === 0 ? 1 : (category.coreShare ?? 0);
  return counted.map((s, i) => (isCore[i] ? (category.points * coreShare * s.weight) / coreWeight : (category.points * (1 - coreShare) * s.weight) / otherWeight));
}
