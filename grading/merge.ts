/**
 * Join the grade.json files of several shards (or several batch runs) into one class report. Only grade
 * files are read, so CI jobs just have to hand over their reports/ folders as artifacts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GRADE_SCHEMA, type Grade } from './score.ts';

/** Every grade.json under the given files or directories (symlinks not followed), sorted. */
export function findGradeFiles(paths: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (p: string): void => {
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else if (stat.isFile() && path.basename(p) === 'grade.json') found.push(p);
  };
  for (const p of paths) visit(p);
  return found.sort();
}

export interface MergeResult {
  grades: Grade[];
  /** Submission -> the folder its kept grade.json is in (for links to its grade.md). */
  dirs: Map<string, string>;
  /** Files skipped (not a grade, no submission name) and duplicates, with why. */
  warnings: string[];
}

/** One grade per submission name; on a duplicate the most recently updated wins, and it is reported. */
export function mergeGrades(files: readonly string[]): MergeResult {
  const bySubmission = new Map<string, { grade: Grade; file: string }>();
  const warnings: string[] = [];
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
    const name = grade.submission ?? path.basename(path.dirname(file));
    const previous = bySubmission.get(name);
    if (previous) {
      const keepNew = grade.updatedAt > previous.grade.updatedAt;
      warnings.push(`${name} is graded twice (${previous.file}, ${file}): kept ${keepNew ? file : previous.file}`);
      if (!keepNew) continue;
    }
    bySubmission.set(name, { grade: { ...grade, submission: name }, file });
  }
  return {
    grades: [...bySubmission.values()].map((v) => v.grade),
    dirs: new Map([...bySubmission].map(([name, v]) => [name, path.dirname(v.file)])),
    warnings,
  };
}
