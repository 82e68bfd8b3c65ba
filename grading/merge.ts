/**
 * Join the grade.json files of several shards (or several batch runs) into one class report. Only grade
 * files are read, so CI jobs just have to hand over their reports/ folders as artifacts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GRADE_SCHEMA, type Grade } from './score.ts';
import { gradeInconsistencies } from './verify-grade.ts';
import { printable } from './outputs/safe-text.ts';

/** Every file called `name` under the given files or directories (symlinks not followed), sorted. */
function findFiles(paths: readonly string[], name: string): string[] {
  const found: string[] = [];
  const visit = (p: string): void => {
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else if (stat.isFile() && path.basename(p) === name) found.push(p);
  };
  for (const p of paths) visit(p);
  return found.sort();
}

/** Every grade.json under the given files or directories (symlinks not followed), sorted. */
export function findGradeFiles(paths: readonly string[]): string[] {
  return findFiles(paths, 'grade.json');
}

export const SHARD_MANIFEST = 'shard.json';
export const SHARD_SCHEMA = 'chat-conformance/shard@1';

/** Written by a batch run at its start (grading/batch.ts): which shard it is and what it must grade. */
export interface ShardManifest {
  schema: typeof SHARD_SCHEMA;
  index: number;
  count: number;
  /** The submissions of this shard. */
  submissions: string[];
}

/** Every shard manifest under the given paths (unreadable ones are reported as problems). */
export function findShardManifests(paths: readonly string[]): { manifests: ShardManifest[]; problems: string[] } {
  const manifests: ShardManifest[] = [];
  const problems: string[] = [];
  for (const file of findFiles(paths, SHARD_MANIFEST)) {
    try {
      const m = JSON.parse(fs.readFileSync(file, 'utf8')) as ShardManifest;
      if (m.schema !== SHARD_SCHEMA || !Number.isInteger(m.index) || !Number.isInteger(m.count) || !Array.isArray(m.submissions)) throw new Error('not a shard manifest');
      manifests.push(m);
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { manifests, problems };
}

/**
 * What is missing for a complete class: shards that did not arrive (their manifest is absent: the job
 * failed or its artifact was lost), and submissions a shard had to grade that have no grade. `expected`
 * is the number of shards the caller knows were started (--expect-shards); else the manifests say it.
 */
export function missingFromShards(manifests: readonly ShardManifest[], graded: ReadonlySet<string>, expected?: number): string[] {
  const missing: string[] = [];
  const counts = new Set(manifests.map((m) => m.count));
  if (expected !== undefined) counts.add(expected);
  if (counts.size > 1) missing.push(`the shards disagree on how many there are (${[...counts].sort().join(', ')}): were they cut from the same class?`);
  const count = Math.max(0, ...counts);
  for (let index = 1; index <= count; index++) {
    if (!manifests.some((m) => m.index === index)) missing.push(`shard ${index}/${count} did not arrive (no ${SHARD_MANIFEST} for it)`);
  }
  for (const m of manifests) {
    const ungraded = m.submissions.filter((name) => !graded.has(name));
    if (ungraded.length > 0) missing.push(`shard ${m.index}/${m.count}: no grade for ${ungraded.join(', ')}`);
  }
  return missing;
}

export interface MergeResult {
  grades: Grade[];
  /** Submission -> the folder its kept grade.json is in (for links to its grade.md). */
  dirs: Map<string, string>;
  /** Files skipped (not a grade, no submission name) and duplicates, with why. */
  warnings: string[];
  /** Grade files refused because they do not add up (a forged or damaged grade), with why. */
  rejected: string[];
}

/** One grade per submission name; on a duplicate the most recently updated wins, and it is reported. */
export function mergeGrades(files: readonly string[]): MergeResult {
  const bySubmission = new Map<string, { grade: Grade; file: string }>();
  const warnings: string[] = [];
  const rejected: string[] = [];
  for (const file of files) {
    let grade: Grade;
    try {
      grade = JSON.parse(fs.readFileSync(file, 'utf8')) as Grade;
    } catch (error) {
      warnings.push(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    if (grade.schema !== GRADE_SCHEMA) {
      warnings.push(`${file}: not a grade file (schema ${String(grade.schema)})`);
      continue;
    }
    const problems = gradeInconsistencies(grade);
    if (problems.length > 0) {
      rejected.push(`${file}: rejected, the grade does not add up (${problems.slice(0, 3).map(printable).join('; ')})`);
      continue;
    }
    const name = grade.submission ?? path.basename(path.dirname(file));
    const previous = bySubmission.get(name);
    if (previous) {
      const keepNew = grade.updatedAt > previous.grade.updatedAt;
      warnings.push(`${printable(name)} is graded twice (${previous.file}, ${file}): kept ${keepNew ? file : previous.file}`);
      if (!keepNew) continue;
    }
    bySubmission.set(name, { grade: { ...grade, submission: name }, file });
  }
  return {
    grades: [...bySubmission.values()].map((v) => v.grade),
    dirs: new Map([...bySubmission].map(([name, v]) => [name, path.dirname(v.file)])),
    warnings,
    rejected,
  };
}
