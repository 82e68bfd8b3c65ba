/**
 * `node --import tsx mutation/survivors.ts [reports/mutation/mutation.json]`: the mutation score and every
 * surviving (or uncovered) mutant as a Markdown table, for docs/VALIDITY.md.
 *
 * One class is recognised mechanically, because it is large and equivalent by the protocol's own text:
 * a string or template literal inside the reason argument of `fail(code, reason)` / `err(code, reason)`,
 * or in a `usage:` text. PROTOCOL.md §2.1 makes `<reason>` free human text, so no conformance scenario may
 * depend on it. Every other survivor is listed as "to review" and must be judged by hand.
 */
import { readFileSync } from 'node:fs';

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
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** The mutated text, from the source (columns are 1-based in the report). */
function original(source: string, { start, end }: Mutant['location']): string {
  const lines = source.split('\n');
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  return `${lines[start.line - 1]!.slice(start.column - 1)} …`;
}

/** A literal that is (part of) a free-text reason or usage string. */
function isFreeText(source: string, mutant: Mutant): boolean {
  if (mutant.mutatorName !== 'StringLiteral') return false;
  const line = source.split('\n')[mutant.location.start.line - 1]!;
  const before = line.slice(0, mutant.location.start.column - 1);
  return /\b(fail|err)\('[A-Z_]+',\s*$/.test(before) || /^\s*usage:\s*$/.test(before);
}

const clip = (text: string, max = 70): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text).replaceAll('|', '\\|');

const file = process.argv[2] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
let detected = 0;
let undetected = 0;
let freeText = 0;
const rows: string[] = [];
for (const [path, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) detected++;
    if (!UNDETECTED.has(mutant.status)) continue;
    undetected++;
    if (isFreeText(source, mutant)) {
      freeText++;
      continue;
    }
    const where = `${path.replace(/^.*reference-server\//, '')}:${mutant.location.start.line}`;
    rows.push(`| ${where} | ${mutant.status} | ${mutant.mutatorName} | \`${clip(original(source, mutant.location))}\` → \`${clip(mutant.replacement ?? '')}\` | to review |`);
  }
}
const score = (100 * detected) / (detected + undetected);
console.log(`mutants detected ${detected}, undetected ${undetected}: score ${score.toFixed(2)} %`);
console.log(`undetected free-text mutants (reason/usage strings, equivalent by §2.1): ${freeText}`);
console.log(`score counting those as equivalent: ${((100 * detected) / (detected + undetected - freeText)).toFixed(2)} %\n`);
console.log('| where | status | mutator | original → mutant | why |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
