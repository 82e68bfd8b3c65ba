/**
 * How one process starts a grader in another (batch mode, bench:grade): through the launcher
 * (launch/run.mjs), which runs it from its bundle, as `npm run grade` does.
 */
import path from 'node:path';
import { GRADER_BUNDLE, freshBundle } from '../launch/bundle.mjs';
import { PROJECT_ROOT } from '../common/project-root.ts';

export const LAUNCHER = path.join(PROJECT_ROOT, 'launch', 'run.mjs');

/** Arguments for `node` (process.execPath) that grade with `args`. */
export function graderArgs(args: readonly string[]): string[] {
  return [LAUNCHER, 'grading/cli.ts', ...args];
}

/**
 * Make the graders' bundle current once, before starting graders side by side: otherwise, after a change
 * to the sources, each would make it again. Undefined when it is current; why not, when it cannot be made
 * (each grader then runs from source, and says so in its log).
 */
export async function prepareGraderBundle(): Promise<string | undefined> {
  try {
    await freshBundle(GRADER_BUNDLE);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}
