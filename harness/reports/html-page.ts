/**
 * cucumber.html made from the run's messages, as JSON lines (the lines of messages.ndjson).
 *
 * The page is Cucumber's own report (@cucumber/html-formatter: its template, stylesheet and script, the
 * version package.json pins), filled the way its CucumberHtmlStream fills it, byte for byte
 * (test/unit/reports/html-page.test.ts compares the two). It takes the lines as they were written
 * instead of envelopes: the stream serialises every envelope again, and a run's page is made from
 * messages that are already text (harness/reports/formatters/message-log.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SRC = path.dirname(createRequire(import.meta.url).resolve('@cucumber/html-formatter'));
const FILES = {
  template: path.join(SRC, 'index.mustache'),
  icon: path.join(SRC, 'icon.url'),
  css: path.join(SRC, '..', 'main.css'),
  script: path.join(SRC, '..', 'main.js'),
};

let parts: { beforeMessages: string; afterMessages: string } | undefined;

/** The page around the messages, read once per process. */
function pageParts(): { beforeMessages: string; afterMessages: string } {
  if (parts !== undefined) return parts;
  const template = fs.readFileSync(FILES.template, 'utf8');
  const read = (file: string): string => fs.readFileSync(file, 'utf8');
  // {{custom_css}} and {{custom_script}} are left empty, as the formatter leaves them.
  const fill: Record<string, () => string> = {
    title: () => 'Cucumber',
    icon: () => read(FILES.icon),
    css: () => read(FILES.css),
    custom_css: () => '',
    script: () => read(FILES.script),
    custom_script: () => '',
  };
  const [before, after] = template.split('{{messages}}') as [string, string];
  const filled = (text: string): string => text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => fill[name]?.() ?? whole);
  parts = { beforeMessages: filled(before), afterMessages: filled(after) };
  return parts;
}

/** The whole page for these messages, each a JSON text of one envelope. */
export function htmlPage(jsonLines: readonly string[]): string {
  const { beforeMessages, afterMessages } = pageParts();
  // "<" inside a script element could end it (HTML spec, restrictions for contents of script elements).
  return beforeMessages + jsonLines.join(',').replace(/</g, '\\x3C') + afterMessages;
}

/** Writes the page beside `file` and renames it over `file` (a reader never sees half a page). */
export function writeHtmlPage(file: string, jsonLines: readonly string[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, htmlPage(jsonLines));
  fs.renameSync(temporary, file);
}
