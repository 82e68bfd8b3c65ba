/**
 * A real browser for the report checks: Debian's chromium, headless, loading a page from disk and
 * handing back the DOM its scripts built (with `--dump-dom`) and every uncaught script error it logged.
 * No browser library: the command line gives all the checks need. When chromium is missing, the error
 * says how to install it (.ci/run installs it on a fresh machine).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';

/** CHROMIUM overrides the path; else the Debian package's. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_MISSING = `headless chromium is needed for the HTML report checks and ${CHROMIUM} does not exist: install it with \`apt-get install -y chromium\` (Debian), or set CHROMIUM=/path/to/chromium`;

export interface RenderedPage {
  /** The DOM after the page's scripts ran, without <script> and <style> contents (so text found is text shown). */
  dom: string;
  /** Uncaught errors and console errors the page logged. */
  scriptErrors: string[];
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-logging=stderr',
  '--v=0',
  // Lets the page's timers and renders run to completion (virtual time) before the DOM is dumped.
  '--virtual-time-budget=5000',
];

export async function renderPage(file: string, query = ''): Promise<RenderedPage> {
  if (!existsSync(CHROMIUM)) throw new Error(CHROMIUM_MISSING);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    const run = await execa(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `${pathToFileURL(file).href}${query}`], {
      reject: false,
      timeout: 120_000,
      stdin: 'ignore',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.exitCode !== 0 || run.timedOut) throw new Error(`chromium failed (exit ${run.exitCode}${run.timedOut ? ', timed out' : ''}): ${String(run.stderr).slice(-2000)}`);
    const dom = String(run.stdout)
      .replace(/<script\b[\s\S]*?<\/script>/gi, '')
      .replace(/<style\b[\s\S]*?<\/style>/gi, '');
    const scriptErrors = String(run.stderr)
      .split('\n')
      .filter((line) => /:CONSOLE[:(]/.test(line) && /Uncaught|error/i.test(line));
    return { dom, scriptErrors };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
