/**
 * Two runs of one scenario side by side (--diff: your server and the reference server; --repeat: a
 * passing and a failing run), from their comparable transcripts (Session.comparableTranscript), with the
 * first divergence marked. Pure text, so the terminal, summary.md, grade.md, class.html and cucumber.html
 * all show the same thing.
 *
 * Alignment is per user and direction: the k-th line a user sent (or received) in one run faces the k-th
 * line that user sent (or received) in the other. Lines of different users, and a user's sends and
 * receipts, interleave differently from run to run (different connections, two directions); the lines of
 * one stream do not. So the first divergence is the first line, in the left run's order, whose
 * counterpart differs or is missing.
 */
import type { TextAttachment } from './run-model.ts';

export const COMPARABLE_PREFIX = 'comparable transcript\n';

/** The comparable transcript a scenario attached, as lines; undefined when it attached none. */
export function comparableLines(attachments: readonly TextAttachment[]): string[] | undefined {
  const found = attachments.find((a) => a.text.startsWith(COMPARABLE_PREFIX));
  if (!found) return undefined;
  const body = found.text.slice(COMPARABLE_PREFIX.length);
  return body === '' ? [] : body.split('\n');
}

interface Row {
  left?: string;
  right?: string;
  differs: boolean;
}

/** "alice <-": a user's sends, receipts and notes are three streams, each in its own order on every run. */
const streamOf = (line: string): string => line.split(' ', 2).join(' ');

export function alignByUser(left: readonly string[], right: readonly string[]): { rows: Row[]; first: number | undefined } {
  const rightByUser = new Map<string, string[]>();
  for (const line of right) {
    const list = rightByUser.get(streamOf(line)) ?? [];
    list.push(line);
    rightByUser.set(streamOf(line), list);
  }
  const used = new Map<string, number>();
  const rows: Row[] = [];
  for (const line of left) {
    const user = streamOf(line);
    const k = used.get(user) ?? 0;
    used.set(user, k + 1);
    const counterpart = rightByUser.get(user)?.[k];
    rows.push({ left: line, ...(counterpart !== undefined ? { right: counterpart } : {}), differs: counterpart !== line });
  }
  for (const [user, lines] of rightByUser) {
    for (const line of lines.slice(used.get(user) ?? 0)) rows.push({ right: line, differs: true });
  }
  const first = rows.findIndex((r) => r.differs);
  return { rows, first: first < 0 ? undefined : first };
}

export interface SideBySideOptions {
  leftTitle: string;
  rightTitle: string;
  /** Characters of the left column. */
  width?: number;
  /** Rows shown before the first divergence, and after it. */
  before?: number;
  after?: number;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The two transcripts side by side around the first divergence (`>>`; `*` marks later rows that differ). */
export function renderSideBySide(left: readonly string[], right: readonly string[], options: SideBySideOptions): { text: string; divergence: number | undefined } {
  const width = options.width ?? 56;
  const { rows, first } = alignByUser(left, right);
  const start = first === undefined ? 0 : Math.max(0, first - (options.before ?? 8));
  const end = first === undefined ? Math.min(rows.length, options.after ?? 20) : Math.min(rows.length, first + 1 + (options.after ?? 12));
  const out: string[] = [];
  out.push(
    first === undefined
      ? 'The two transcripts agree line by line: the difference is in timing (a reply that came too late) or in what was checked.'
      : `First divergence at line ${first + 1}, marked >> (* marks later lines that differ).`,
  );
  out.push(`   ${fit(options.leftTitle, width)} | ${options.rightTitle}`);
  out.push(`   ${'-'.repeat(width)} | ${'-'.repeat(Math.min(width, options.rightTitle.length + 10))}`);
  if (start > 0) out.push(`   (${start} earlier line(s) alike)`);
  rows.slice(start, end).forEach((row, i) => {
    const mark = start + i === first ? '>> ' : row.differs && first !== undefined && start + i > first ? ' * ' : '   ';
    out.push(`${mark}${fit(row.left ?? '(nothing)', width)} | ${row.right ?? '(nothing)'}`);
  });
  if (end < rows.length) out.push(`   (${rows.length - end} more line(s))`);
  return { text: out.join('\n'), divergence: first };
}
