/**
 * Where a module that is loaded by path at run time (Cucumber's step files and support code, its
 * scenario-order plugin and formatters, the grader's budget hook) is, for this process. Started by the
 * launcher (launch/run.mjs), the process runs from the grader's bundle, and such a module must be its
 * bundled twin: from source it would be a second copy of every module it imports (a second World, a
 * second registry of running servers), and Node 20 cannot load TypeScript without tsx. Otherwise (tsx, the
 * tests, `--steps`), the source file itself.
 */
import path from 'node:path';

/** Set by launch/run.mjs before it loads the bundle: the bundle's folder, its root and its entries. */
const RUNNING_BUNDLE = Symbol.for('chat-conformance.grader-bundle');

interface RunningBundle {
  root: string;
  dir: string;
  entries: readonly string[];
}

function runningBundle(): RunningBundle | undefined {
  return (globalThis as Record<symbol, RunningBundle | undefined>)[RUNNING_BUNDLE];
}

/**
 * `file` (a path, or a glob over TypeScript files) as this process must load it: its bundled twin when the
 * process runs from the bundle and the file is the project's, the file itself otherwise. A project file
 * the bundle does not hold is an error naming it, not a second copy loaded from source.
 */
export function loadable(file: string): string {
  const bundle = runningBundle();
  if (bundle === undefined) return file;
  const relative = path.relative(bundle.root, file).split(path.sep).join('/');
  if (relative.startsWith('../') || path.isAbsolute(relative)) return file;
  if (!relative.includes('*') && !bundle.entries.includes(relative)) {
    throw new Error(`${relative} is loaded by path but is not in the grader's bundle: add it to GRADER_BUNDLE in launch/bundle.mjs, or run from source with CHAT_CONFORMANCE_BUNDLE=never`);
  }
  return path.join(bundle.dir, relative.replace(/\.ts$/, '.js'));
}
