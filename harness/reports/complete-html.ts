/**
 * cucumber.html is written by Cucumber's HTML formatter as the run goes: its page ends only when the run
 * does. A run cut short (SIGTERM at a batch's time limit, Ctrl-C, an internal error) leaves a page without
 * its end, which a browser shows blank. The messages of what ran are in messages.ndjson, one envelope per
 * line: the page is made again from them, so the report of a cut-off run opens on what did run.
 *
 * After an interrupt Cucumber may still run scenarios (against a target already stopped): those are not the
 * server's doing, so both files are cut back to the envelopes the runner recorded before the interrupt.
 */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { CucumberHtmlStream } from '@cucumber/html-formatter';
import type { Envelope } from '@cucumber/messages';

/** Whether `html` is a whole page (the formatter's template ends it with </html>). */
export function isWholePage(html: string): boolean {
  return html.trimEnd().endsWith('</html>');
}

/** The envelopes of an ndjson text; a last line cut mid-write (or any unreadable line) is left out. */
export function readEnvelopes(ndjson: string): Envelope[] {
  const envelopes: Envelope[] = [];
  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    try {
      envelopes.push(JSON.parse(line) as Envelope);
    } catch {
      // cut mid-write: the run stopped there
    }
  }
  return envelopes;
}

/**
 * Makes `htmlFile` a whole page again from `ndjsonFile` when it is missing or cut short. Written beside
 * it and renamed over it, so a formatter still writing to the old file cannot mix into the new one.
 * Returns whether the page was rebuilt.
 */
export async function completeHtmlReport(htmlFile: string, ndjsonFile: string): Promise<boolean> {
  const tail = readTail(htmlFile, 64);
  if (tail !== undefined && isWholePage(tail)) return false;
  let ndjson: string;
  try {
    ndjson = fs.readFileSync(ndjsonFile, 'utf8');
  } catch {
    return false; // nothing to make it from
  }
  const envelopes = readEnvelopes(ndjson);
  if (envelopes.length === 0) return false;
  await writeHtml(htmlFile, envelopes);
  return true;
}

/**
 * Cuts messages.ndjson back to its first `count` envelopes and makes cucumber.html from them (each file
 * written beside and renamed over the old one, which Cucumber may still be writing to).
 */
export async function trimMessageReports(htmlFile: string, ndjsonFile: string, count: number): Promise<void> {
  const envelopes = readEnvelopes(fs.readFileSync(ndjsonFile, 'utf8')).slice(0, count);
  const temporary = `${ndjsonFile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, envelopes.map((e) => `${JSON.stringify(e)}\n`).join(''));
  fs.renameSync(temporary, ndjsonFile);
  await writeHtml(htmlFile, envelopes);
}

async function writeHtml(htmlFile: string, envelopes: readonly Envelope[]): Promise<void> {
  const temporary = `${htmlFile}.${process.pid}.tmp`;
  const html = new CucumberHtmlStream();
  const out = fs.createWriteStream(temporary);
  html.pipe(out);
  for (const envelope of envelopes) html.write(envelope);
  html.end();
  await finished(out);
  fs.renameSync(temporary, htmlFile);
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
