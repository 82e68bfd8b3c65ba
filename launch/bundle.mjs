/**
 * The grader and the conformance runner bundled into plain JavaScript (esbuild), kept current with their
 * sources, for launch/run.mjs, and where a module loaded by path is when a process runs from it
 * (loadable); and the two pieces every bundle of this project's TypeScript needs, shared
 * with the test fixtures' bundler (test/support/bundle-fixture.mjs): the import.meta rewrite and the record
 * of the source files a bundle was made from.
 *
 * Why bundle: through tsx, every one of the grader's some 350 modules is resolved and loaded by module
 * hooks on another thread, about 0.3 s of a grading run's start-up on a 2-core machine, paid by every
 * submission of a batch. A bundle is some 50 files and needs no TypeScript hooks at all.
 *
 * Plain JavaScript because it runs before anything can load TypeScript.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * esbuild plugin: every module of the project in a bundle (TypeScript, and plain JavaScript such as this
 * one) keeps its own `import.meta.url` (and dirname, filename), the source file's, except those
 * `keepBundles` names. The modules that find the project's files from where they are
 * (common/project-root.ts, the profiles, the schemas) must not see the bundle's place.
 */
export function ownImportMeta(keepBundles = () => false) {
  return {
    name: 'own-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const loader = args.path.endsWith('.ts') ? 'ts' : 'js';
        if (keepBundles(args.path) || !source.includes('import.meta')) return { contents: source, loader };
        const contents = source
          .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path));
        return { contents, loader };
      });
    },
  };
}

/**
 * The source files an esbuild metafile names (relative to `workingDir`), plus `extra` files the bundle also
 * depends on, each with its size and mtime as they are now: what inputsAreCurrent checks later.
 */
export async function inputsOf(metafile, workingDir, extra = []) {
  const files = [...Object.keys(metafile.inputs).map((input) => path.resolve(workingDir, input)), ...extra];
  return Promise.all(
    files.map(async (file) => {
      const { size, mtimeMs } = await stat(file);
      return { file, size, mtimeMs };
    }),
  );
}

/** True when every listed source file is as it was when the bundle was made (size and mtime). */
export function inputsAreCurrent(inputs) {
  return inputs.every(({ file, size, mtimeMs }) => {
    try {
      const now = statSync(file);
      return now.size === size && now.mtimeMs === mtimeMs;
    } catch {
      return false;
    }
  });
}

/** Where the grader's bundles are kept, instead of node_modules/.cache/grader-bundle (a read-only install). */
export const BUNDLE_DIR_ENV = 'CHAT_CONFORMANCE_BUNDLE_DIR';

/** The commands launch/run.mjs starts (each exports `main(argv): Promise<number>`). */
export const LAUNCHABLE = ['grading/cli.ts', 'harness/cli/conformance.ts'];

/**
 * What the grader's bundle is made from: the modules something loads by path at run time, each an entry
 * of the bundle (the commands launch/run.mjs starts; what Cucumber imports: the step files and support
 * code, the scenario-order plugin, the formatters, the grader's budget hook). Everything they import is
 * bundled with them; packages stay in node_modules. A module loaded by path that is not listed here stops
 * the run with an error naming it (loadable below).
 */
export const GRADER_BUNDLE = {
  root: PROJECT_ROOT,
  files: [...LAUNCHABLE, 'harness/run/scenario-order.ts'],
  folders: ['steps', 'grading/support', 'harness/reports/formatters'],
  cacheDir: process.env[BUNDLE_DIR_ENV] || path.join(PROJECT_ROOT, 'node_modules', '.cache', 'grader-bundle'),
};

/** A bundle's entries, relative to its root with '/' separators, sorted: its files and the .ts files under its folders. */
export function entriesOf(spec) {
  const walk = (relative) =>
    readdirSync(path.join(spec.root, relative), { withFileTypes: true }).flatMap((entry) => {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) return walk(child);
      return entry.isFile() && entry.name.endsWith('.ts') ? [child] : [];
    });
  return [...new Set([...spec.files, ...spec.folders.flatMap(walk)])].sort();
}

/** Where an entry's bundled twin is, in the bundle folder `dir` (an entry may also be a glob over entries). */
export function twinOf(dir, entry) {
  return path.join(dir, entry.replace(/\.ts$/, '.js'));
}

/**
 * The bundle this process runs from, { root, dir, entries }: set by launch/run.mjs before it loads the
 * bundle, read by loadable. A global, not a variable of this module: the launcher's copy of this module and
 * the one bundled into the grader are two instances.
 */
const RUNNING_BUNDLE = Symbol.for('chat-conformance.grader-bundle');

/** This process runs from `bundle` from now on (undefined: from source again). */
export function runFrom(bundle) {
  globalThis[RUNNING_BUNDLE] = bundle;
}

/**
 * `file` (a path, or a glob over TypeScript files) as this process must load it: its bundled twin when the
 * process runs from the bundle and the file is the project's, the file itself otherwise. The modules that
 * something loads by path (Cucumber's step files and support code, its scenario-order plugin and
 * formatters, the grader's budget hook) must be the bundle's own: from source, such a module would be a
 * second copy of every module it imports (a second World, a second registry of running servers), and
 * Node 20 cannot load TypeScript without tsx. So a project file the bundle does not hold is an error
 * naming it, not a second copy.
 */
export function loadable(file) {
  const bundle = globalThis[RUNNING_BUNDLE];
  if (bundle === undefined) return file;
  const relative = path.relative(bundle.root, file).split(path.sep).join('/');
  if (relative.startsWith('../') || path.isAbsolute(relative)) return file;
  if (!relative.includes('*') && !bundle.entries.includes(relative)) {
    throw new Error(`${relative} is loaded by path but is not in the grader's bundle: add it to GRADER_BUNDLE in launch/bundle.mjs, or run from source with CHAT_CONFORMANCE_BUNDLE=never`);
  }
  return twinOf(bundle.dir, relative);
}

const POINTER = 'current.json';
/**
 * A bundle folder is removed this long after it stopped being current (its mtime is set then): a run
 * started from it may still load one of its chunks late (batch mode, --diff), and runs last minutes, not
 * hours.
 */
const STALE_KEPT_MS = 60 * 60 * 1000;

/**
 * The folder of the spec's current bundle: the one the pointer names, if its entries are still the spec's
 * and none of its sources changed since; otherwise undefined.
 */
export function currentBundle(spec, entries = entriesOf(spec)) {
  const pointer = readPointer(spec);
  if (pointer === undefined) return undefined;
  const sameEntries = Array.isArray(pointer.entries) && pointer.entries.join('\n') === entries.join('\n');
  if (!sameEntries || !Array.isArray(pointer.inputs) || !inputsAreCurrent(pointer.inputs)) return undefined;
  return path.join(spec.cacheDir, pointer.dir);
}

function readPointer(spec) {
  try {
    return JSON.parse(readFileSync(path.join(spec.cacheDir, POINTER), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The folder the pointer names, current or not. */
function pointedDir(spec) {
  const pointer = readPointer(spec);
  return typeof pointer?.dir === 'string' ? path.join(spec.cacheDir, pointer.dir) : undefined;
}

/**
 * Bundle the spec's entries into a new folder of its cache and point to it. Safe beside other builds (in
 * this process or others): each writes its own folder, and the pointer is replaced whole (written, then renamed),
 * so a reader finds either the old bundle or the new one. esbuild is loaded only here.
 */
export async function buildBundle(spec, entries = entriesOf(spec)) {
  const { build } = await import('esbuild');
  const name = `b-${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const outdir = path.join(spec.cacheDir, name);
  await mkdir(spec.cacheDir, { recursive: true });
  await linkPackages(spec);
  const result = await build({
    absWorkingDir: spec.root,
    entryPoints: entries.map((entry) => path.join(spec.root, entry)),
    outbase: spec.root,
    outdir,
    bundle: true,
    // Modules shared by entries are one chunk, so Cucumber's step files and the grader share one World,
    // one registry of running servers, one of everything a module keeps.
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    target: 'node20',
    metafile: true,
    // Error stacks and Cucumber's step locations then name the source files (launch/run.mjs enables them,
    // about 40 ms of a run's start-up). They need the mappings only, not a copy of every source.
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [ownImportMeta()],
  });
  // This file decides how a bundle is made: a change to it makes every bundle stale too.
  const inputs = await inputsOf(result.metafile, spec.root, [fileURLToPath(import.meta.url)]);
  const temporary = path.join(spec.cacheDir, `${POINTER}.${name}.tmp`);
  await writeFile(temporary, JSON.stringify({ dir: name, entries, inputs }));
  const retired = pointedDir(spec);
  await rename(temporary, path.join(spec.cacheDir, POINTER));
  // The bundle just replaced starts its hour now, however long it was current.
  if (retired !== undefined) await utimes(retired, new Date(), new Date()).catch(() => undefined);
  await removeStale(spec.cacheDir, name);
  return outdir;
}

/** The spec's current bundle (its folder and entries), made first if there is none or its sources changed. */
export async function freshBundle(spec) {
  const entries = entriesOf(spec);
  return { dir: currentBundle(spec, entries) ?? (await buildBundle(spec, entries)), entries };
}

/**
 * A bundle imports packages by name, which Node looks up in the node_modules folders above it: kept outside
 * the project (CHAT_CONFORMANCE_BUNDLE_DIR), it finds the project's through a link beside its folders.
 */
async function linkPackages(spec) {
  if (!path.relative(spec.root, spec.cacheDir).startsWith('..')) return;
  try {
    await symlink(path.join(spec.root, 'node_modules'), path.join(spec.cacheDir, 'node_modules'), 'dir');
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
}

async function removeStale(cacheDir, keep) {
  const now = Date.now();
  for (const entry of await readdir(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('b-') || entry.name === keep) continue;
    const folder = path.join(cacheDir, entry.name);
    try {
      if (now - (await stat(folder)).mtimeMs > STALE_KEPT_MS) await rm(folder, { recursive: true, force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}
