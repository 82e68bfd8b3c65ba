/**
 * The shell command that starts a TypeScript fixture server (a deliberately broken server, a dialect,
 * a misbehaving target, the reference server for a client test), for `--server` and the like:
 * `node <the fixture bundled into plain JavaScript> <args>`.
 *
 * Why not `node --import tsx <fixture>.ts`: tsx's module hooks cost each start about 0.6 s of CPU before
 * the server listens, a bundle about 0.15 s, and a unit run starts some 200 fixture servers on two cores
 * (issue #17: `npm test` within 3 minutes). Each fixture is bundled once per test process, on first use,
 * into a folder of this process, removed at its exit (test/support/bundle-fixture.mjs says how).
 *
 * What stays on tsx: commands whose subject is how a grader or a student starts something (the
 * reference server's own CLI tests, `npm run ...`), which tests spell out themselves.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root.ts';

const BUNDLER = path.join(PROJECT_ROOT, 'test', 'support', 'bundle-fixture.mjs');
const bundles = new Map<string, string>();
let folder: string | undefined;

/** The bundle of `relativeScript` (relative to the project), made on first use in this process. */
export function fixtureBundle(relativeScript: string): string {
  const entry = path.resolve(PROJECT_ROOT, relativeScript);
  const known = bundles.get(entry);
  if (known !== undefined) return known;
  if (folder === undefined) {
    // Inside the project (node_modules/.cache, the usual place for such files), not in /tmp: a sandboxed
    // submission sees the project when a test allows it, never the host's /tmp.
    const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const made = mkdtempSync(path.join(cache, 'fixture-bundles-'));
    chmodSync(made, 0o755); // mkdtemp's 0700 would hide it from a sandbox's unprivileged user
    folder = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const outfile = path.join(folder, `${path.relative(PROJECT_ROOT, entry).replaceAll(path.sep, '__').replace(/\.ts$/, '')}.mjs`);
  const built = spawnSync(process.execPath, [BUNDLER, entry, outfile], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (built.status !== 0) throw new Error(`could not bundle ${relativeScript} (exit ${built.status ?? built.signal}): ${built.stderr || built.error?.message}`);
  bundles.set(entry, outfile);
  return outfile;
}

/** `node <bundle of relativeScript> <args>`: a fixture server's command, `{port}` and all. */
export function fixtureCommand(relativeScript: string, ...args: string[]): string {
  return ['node', fixtureBundle(relativeScript), ...args].join(' ');
}
