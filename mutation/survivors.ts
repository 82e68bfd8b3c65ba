/**
 * `node --import tsx mutation/survivors.ts [report.json ...]` (`npm run mutation:survivors`): the mutation
 * score of one or more Stryker JSON reports and every mutant the suite did not detect, each with the reason
 * it is equivalent (mutation/equivalents.json) or "TO REVIEW". Several reports (partial runs over parts of
 * the core) are merged: for a file present in several, the last one given wins (the newest re-run).
 *
 * Exit code 0 when every undetected mutant has its written reason, 1 when some are still to review: a new
 * survivor is either killed by a new scenario or explained in equivalents.json, never left silent.
 *
 * Mutants marked "Ignored" by mutation/free-text-ignorer.mjs (free text: ERR reasons, usage, close reasons)
 * are counted by reason, and the score is given both ways: Stryker's (ignored mutants left out) and raw
 * (every ignored mutant counted as a survivor).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Position {
  line: number;
  column: number;
}
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: string;
  statusReason?: string;
}
export interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}
/** One hand-judged equivalent mutant, matched by file, mutator and text (not by line: lines move). */
export interface Equivalent {
  file: string;
  mutator: string;
  original: string;
  replacement: string;
  why: string;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The mutated text, from the source (columns are 1-based in the report); first line only when longer. */
function original(source: string, { start, end }: Mutant['location']): string {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  return `${lines[start.line - 1]!.slice(start.column - 1)} …`;
}

const clip = (text: string, max = 70): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text).replaceAll('|', '\\|').replaceAll('\n', ' ');
const shortPath = (file: string): string => file.replace(/^.*reference-server\//, '');

function merge(files: string[]): Report['files'] {
  const merged: Report['files'] = {};
  for (const file of files) Object.assign(merged, (JSON.parse(readFileSync(file, 'utf8')) as Report).files);
  return merged;
}

/** The listing of `files` (merged report files) against `equivalents`; toReview > 0: some survivor has no reason. */
export function analyse(files: Report['files'], equivalents: readonly Equivalent[]): { lines: string[]; toReview: number } {
  const lines: string[] = [];
  const print = (line: string): void => void lines.push(line);
  const used = new Set<Equivalent>();
  const counts = new Map<string, number>();
  const ignoredBy = new Map<string, number>();
  const rows: string[] = [];
  let toReview = 0;
  for (const [file, { source, mutants }] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    for (const mutant of mutants) {
      counts.set(mutant.status, (counts.get(mutant.status) ?? 0) + 1);
      if (mutant.status === 'Ignored') ignoredBy.set(mutant.statusReason ?? '?', (ignoredBy.get(mutant.statusReason ?? '?') ?? 0) + 1);
      if (!UNDETECTED.has(mutant.status)) continue;
      const text = original(source, mutant.location);
      const match = equivalents.find(
        (e) => e.file === shortPath(file) && e.mutator === mutant.mutatorName && e.original === text && e.replacement === (mutant.replacement ?? ''),
      );
      if (match) used.add(match);
      else toReview++;
      const where = `${shortPath(file)}:${mutant.location.start.line}`;
      rows.push(`| ${where} | ${mutant.mutatorName} | \`${clip(text)}\` → \`${clip(mutant.replacement ?? '')}\` | ${match ? clip(match.why, 400) : '**TO REVIEW**'} |`);
    }
  }
  const count = (status: string): number => counts.get(status) ?? 0;
  const detected = [...DETECTED].reduce((sum, s) => sum + count(s), 0);
  const undetected = [...UNDETECTED].reduce((sum, s) => sum + count(s), 0);
  const ignored = count('Ignored');
  const pct = (part: number, whole: number): string => `${whole === 0 ? '0.00' : ((100 * part) / whole).toFixed(2)} %`;
  print(`${Object.keys(files).length} files, ${[...counts.values()].reduce((a, b) => a + b, 0)} mutants: ` + [...counts].map(([s, n]) => `${n} ${s}`).join(', '));
  print(`mutation score (Stryker's: detected / (detected + undetected)): ${pct(detected, detected + undetected)} (${detected}/${detected + undetected})`);
  print(`raw score (ignored free-text mutants counted as survivors): ${pct(detected, detected + undetected + ignored)}`);
  const equivalent = undetected - toReview;
  print(`score over the mutants a conformance suite can observe (written equivalents left out): ${pct(detected, detected + toReview)}`);
  for (const [reason, n] of ignoredBy) print(`ignored ${n}: ${reason}`);
  print(`undetected ${undetected}: ${equivalent} with a written reason (mutation/equivalents.json), ${toReview} to review\n`);
  print('| where | mutator | original → mutant | why it survives |');
  print('|---|---|---|---|');
  for (const row of rows) print(row);
  const stale = equivalents.filter((e) => !used.has(e) && Object.keys(files).some((f) => shortPath(f) === e.file));
  if (stale.length > 0) print(`\n${stale.length} entries of equivalents.json matched no survivor of their file (killed now, or the code moved): ${stale.map((e) => `${e.file} ${e.mutator} \`${clip(e.original, 40)}\``).join('; ')}`);
  return { lines, toReview };
}

// Only as the CLI, not when a test imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const reports = process.argv.slice(2);
  const equivalents = JSON.parse(readFileSync(path.join(HERE, 'equivalents.json'), 'utf8')) as Equivalent[];
  const { lines, toReview } = analyse(merge(reports.length > 0 ? reports : ['reports/mutation/mutation.json']), equivalents);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = toReview === 0 ? 0 : 1;
}
