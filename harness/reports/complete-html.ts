/**
 * cucumber.html is made from messages.ndjson: at the end of every run (the run writes only the messages,
 * harness/reports/formatters/message-log.ts), and again for a run cut short (SIGTERM at a batch's time
 * limit, Ctrl-C, an internal error), so the report of a cut-off run opens on what did run.
 *
 * After an interrupt Cucumber may still run scenarios (against a target already stopped): those are not the
 * server's doing, so both files are cut back to the envelopes the runner recorded before the interrupt.
 */
import fs from 'node:fs';
import { writeHtmlPage } from './html-page.ts';

/** Whether `html` is a whole page (the formatter's template ends it with </html>). */
export function isWholePage(html: string): boolean {
  return html.trimEnd().endsWith('</html>');
}

/**
 * The whole envelopes of an ndjson text, as their JSON lines. Every line is parsed once and kept only
 * when it is one JSON object: the last line may be cut (the run stopped mid-write), and the page inserts
 * the lines into a script as they are, so a line that is not a JSON value (a file changed by anyone but
 * the run) must never reach it.
 */
export function messageLines(ndjson: string): string[] {
  return ndjson.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      return false; // cut mid-write: the run stopped there
    }
  });
}

/**
 * Makes `htmlFile` a whole page from `ndjsonFile` when it is missing or cut short. Written beside it and
 * renamed over it, so nothing still writing to the old file can mix into the new one. Returns whether the
 * page was made.
 */
export async function completeHtmlReport(htmlFile: string, ndjsonFile: string): Promise<boolean> {
  const tail = readTail(htmlFile, 64);
  if (tail !== undefined && isWholePage(tail)) return false;
  let ndjson: string;
  try {
    ndjson = await fs.promises.readFile(ndjsonFile, 'utf8');
  } catch {
    return false; // nothing to make it from
  }
  const lines = messageLines(ndjson);
  if (lines.length === 0) return false;
  writeHtmlPage(htmlFile, lines);
  return true;
}

/**
 * Cuts messages.ndjson back to its first `count` envelopes and makes cucumber.html from them (each file
 * written beside and renamed over the old one, which Cucumber may still be writing to).
 */
export async function trimMessageReports(htmlFile: string, ndjsonFile: string, count: number): Promise<void> {
  const lines = messageLines(fs.readFileSync(ndjsonFile, 'utf8')).slice(0, count);
  const temporary = `${ndjsonFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, lines.map((line) => `${line}\n`).join(''));
  fs.renameSync(temporary, ndjsonFile);
  writeHtmlPage(htmlFile, lines);
}

/** The last `bytes` bytes of a file as text, or undefined when it does not exist. */
function readTail(file: string, bytes: number): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(bytes, size);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
