#!/usr/bin/env node
/**
 * `node launch/run.mjs <command.ts> [args...]`: start the grader (grading/cli.ts) or the conformance runner
 * (harness/cli/conformance.ts) from its bundle (launch/bundle.mjs), made or remade first when a source
 * changed. `npm run grade` and `npm run conformance` start here, and so does every grader a batch starts.
 * The modules Cucumber loads by path are then the bundle's own too (loadable, launch/bundle.mjs), and error stacks
 * name the source files (source maps).
 *
 * It runs from source, through tsx, instead when:
 * - `--steps` is given: the user's own support code is TypeScript the bundle does not hold;
 * - CHAT_CONFORMANCE_BUNDLE=never (debugging);
 * - the bundle cannot be made (no esbuild, a folder it cannot write): said in one line on stderr.
 * CHAT_CONFORMANCE_BUNDLE_DIR moves the bundle's folder (node_modules/.cache/grader-bundle by default).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GRADER_BUNDLE, LAUNCHABLE, PROJECT_ROOT, freshBundle, runFrom, twinOf } from './bundle.mjs';

/** `never`: run from source, through tsx. */
const BUNDLE_ENV = 'CHAT_CONFORMANCE_BUNDLE';

const [command, ...args] = process.argv.slice(2);
const entry = command === undefined ? undefined : path.relative(PROJECT_ROOT, path.resolve(PROJECT_ROOT, command)).split(path.sep).join('/');
if (entry === undefined || !LAUNCHABLE.includes(entry)) {
  process.stderr.write(`usage: node launch/run.mjs <${LAUNCHABLE.join('|')}> [args...]\n`);
  process.exit(2);
}
const { main } = await load(entry, args);
process.exit(await main(args));

/** The command's module: its bundled twin, or its source through tsx (see above for when). */
async function load(entry, args) {
  if (process.env[BUNDLE_ENV] === 'never' || args.some((arg) => arg === '--steps' || arg.startsWith('--steps='))) return fromSource(entry);
  let bundle;
  try {
    bundle = await freshBundle(GRADER_BUNDLE);
  } catch (error) {
    process.stderr.write(`launch: running from source through tsx, the bundle could not be made: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    return fromSource(entry);
  }
  process.setSourceMapsEnabled(true);
  runFrom({ root: PROJECT_ROOT, ...bundle });
  return import(pathToFileURL(twinOf(bundle.dir, entry)).href);
}

async function fromSource(entry) {
  await import('tsx'); // what `node --import tsx` loads
  return import(pathToFileURL(path.join(PROJECT_ROOT, entry)).href);
}
