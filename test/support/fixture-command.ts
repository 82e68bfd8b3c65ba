/**
 * The shell command that starts a TypeScript fixture server (a deliberately broken server, a dialect,
 * a misbehaving target, the reference server for a client test), for `--server` and the like:
 * `node <the fixture bundled into plain JavaScript> <args>`.
 *
 * Why not `node --import tsx <fixture>.ts`: tsx's module hooks cost each start about 0.6 s of CPU before
 * the server listens, a bundle about 0.15 s, and a unit run starts some 200 fixture servers on two cores
 * (issue #17: `npm test` within 3 minutes). A fixture is bundled on first use into a cache the test
 * processes share, and again when one of its source files changed (test/support/bundle-fixture.mjs).
 *
 * What stays on tsx: commands whose subject is how a grader or a student starts something (the
 * reference server's own CLI tests, `npm run ...`), which tests spell out themselves.
 *
 * `npm run bench:grade` starts its fixture submissions the same way (bench/grade-fixtures.ts): it measures
 * the harness, and a submission starts as compiled or interpreted code, not through tsx.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root.ts';
import { inputsAreCurrent, type BundleInput } from '../../launch/bundle.mjs';

const BUNDLER = path.join(PROJECT_ROOT, 'test', 'support', 'bundle-fixture.mjs');
/**
 * Inside the project (node_modules/.cache, the usual place for such files), not in /tmp: a sandboxed
 * submission sees the project when a test allows it, never the host's /tmp. Shared by the test processes.
 */
const FOLDER = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'fixture-bundles');
const bundles = new Map<string, string>();

/** True when every source file the bundle was made from is as it was then (size and mtime). */
export function bundleIsCurrent(outfile: string): boolean {
  try {
    return inputsAreCurrent(JSON.parse(readFileSync(`${outfile}.inputs.json`, 'utf8')) as BundleInput[]);
  } catch {
    return false;
  }
}

/** The bundle of `script` (relative to the project, or absolute): made on first use, remade when a source changed. */
export function fixtureBundle(script: string): string {
  const entry = path.resolve(PROJECT_ROOT, script);
  const known = bundles.get(entry);
  if (known !== undefined) return known;
  mkdirSync(FOLDER, { recursive: true });
  chmodSync(FOLDER, 0o755); // readable by a sandbox's unprivileged user
  const outfile = path.join(FOLDER, `${path.relative(PROJECT_ROOT, entry).replaceAll(path.sep, '__').replace(/\.ts$/, '')}.mjs`);
  if (!bundleIsCurrent(outfile)) {
    const built = spawnSync(process.execPath, [BUNDLER, entry, outfile], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    if (built.status !== 0) throw new Error(`could not bundle ${script} (exit ${built.status ?? built.signal}): ${built.stderr || built.error?.message}`);
  }
  bundles.set(entry, outfile);
  return outfile;
}

/** `node <bundle of script> <args>`: a fixture server's command, `{port}` and all. */
export function fixtureCommand(script: string, ...args: string[]): string {
  return ['node', fixtureBundle(script), ...args].join(' ');
}
