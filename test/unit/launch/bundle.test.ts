/**
 * The bundle the grader runs from (launch/bundle.mjs, launch/resolve-twins.mjs), on a small project of its
 * own in a temporary folder: what its entries are, that entries share their modules and keep their own
 * import.meta, that a changed or added source makes it stale and a new one is made, that processes making
 * it side by side agree, that old bundles are removed only once old, and that a module loaded by path is
 * its twin (loadable), or stops the run, named, when the bundle does not hold it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBundle, currentBundle, entriesOf, freshBundle, loadable, runFrom, twinOf, type BundleSpec } from '../../../launch/bundle.mjs';

/** A project: two commands sharing a module that keeps state, and a folder of support files loaded by path. */
function smallProject(t: { after(fn: () => void): void }): BundleSpec {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'launch-bundle-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('lib/registry.ts', 'export const registry: string[] = [];\n');
  write('cli/a.ts', "import { registry } from '../lib/registry.ts';\nregistry.push('a');\nexport { registry };\nexport const here: string = import.meta.url;\n");
  write('cli/b.ts', "import { registry } from '../lib/registry.ts';\nregistry.push('b');\nexport { registry };\n");
  write('support/one.ts', "import { registry } from '../lib/registry.ts';\nregistry.push('one');\n");
  write('support/deeper/two.ts', "import { registry } from '../../lib/registry.ts';\nregistry.push('two');\n");
  write('support/notes.md', 'not code\n');
  write('elsewhere.ts', 'export const x = 1;\n');
  return { root, files: ['cli/b.ts', 'cli/a.ts'], folders: ['support'], cacheDir: path.join(root, 'cache') };
}

test('the entries are the listed files and every .ts file under the folders, sorted', (t) => {
  const spec = smallProject(t);
  assert.deepEqual(entriesOf(spec), ['cli/a.ts', 'cli/b.ts', 'support/deeper/two.ts', 'support/one.ts']);
});

test('entries share one instance of what they import, and every module keeps its own import.meta.url', async (t) => {
  const spec = smallProject(t);
  const dir = await buildBundle(spec);
  assert.equal(currentBundle(spec), dir);
  const printed = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const a = await import(${JSON.stringify(pathToFileURL(twinOf(dir, 'cli/a.ts')).href)});
       const b = await import(${JSON.stringify(pathToFileURL(twinOf(dir, 'cli/b.ts')).href)});
       console.log(JSON.stringify({ same: a.registry === b.registry, registry: a.registry, here: a.here }));`,
    ],
    { encoding: 'utf8' },
  );
  const seen = JSON.parse(printed) as { same: boolean; registry: string[]; here: string };
  assert.equal(seen.same, true, 'one registry for both commands (splitting), not one per entry');
  assert.deepEqual(seen.registry, ['a', 'b']);
  assert.equal(seen.here, pathToFileURL(path.join(spec.root, 'cli', 'a.ts')).href, "an entry sees its source file's place, not the bundle's");
});

test('a changed source, a new support file or a removed one makes the bundle stale; the next is made fresh', async (t) => {
  const spec = smallProject(t);
  const first = (await freshBundle(spec)).dir;
  assert.equal((await freshBundle(spec)).dir, first, 'current: used again, not made again');

  fs.writeFileSync(path.join(spec.root, 'lib', 'registry.ts'), "export const registry: string[] = ['two!'];\n");
  assert.equal(currentBundle(spec), undefined, 'a changed source makes it stale');
  const second = (await freshBundle(spec)).dir;
  assert.notEqual(second, first);
  assert.match(chunksText(second), /two!/, 'the new bundle holds the change');

  fs.writeFileSync(path.join(spec.root, 'support', 'three.ts'), 'export {};\n');
  assert.equal(currentBundle(spec), undefined, 'a new file loaded by path is an entry the bundle lacks');
  const third = await freshBundle(spec);
  assert.ok(third.entries.includes('support/three.ts'));
  assert.ok(fs.existsSync(twinOf(third.dir, 'support/three.ts')));

  fs.rmSync(path.join(spec.root, 'support', 'three.ts'));
  assert.equal(currentBundle(spec), undefined, 'a removed entry too');
});

/** Every chunk's text, for looking up what a bundle holds. */
function chunksText(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

test('processes making the bundle at once each finish, and the pointer names one whole bundle', async (t) => {
  const spec = smallProject(t);
  const made = await Promise.all([buildBundle(spec), buildBundle(spec), buildBundle(spec)]);
  const current = currentBundle(spec);
  assert.ok(current !== undefined && made.includes(current));
  for (const entry of entriesOf(spec)) assert.ok(fs.existsSync(twinOf(current, entry)), `${entry} is in the bundle the pointer names`);
});

test('a bundle is removed an hour after it stopped being current, not before, however old it is', async (t) => {
  const spec = smallProject(t);
  const hoursAgo = (hours: number): Date => new Date(Date.now() - hours * 3600_000);
  const old = await buildBundle(spec);
  const longCurrent = await buildBundle(spec);
  fs.utimesSync(old, hoursAgo(2), hoursAgo(2)); // retired two hours ago
  fs.utimesSync(longCurrent, hoursAgo(3), hoursAgo(3)); // made three hours ago, current until now
  const newest = await buildBundle(spec);
  assert.equal(fs.existsSync(old), false, 'no longer current for two hours: removed');
  assert.equal(fs.existsSync(longCurrent), true, 'current until a moment ago: a run started from it may still load a chunk');
  assert.equal(currentBundle(spec), newest);
});

test('running from the bundle, a module loaded by path is its twin, a glob is over the twins, one the bundle lacks is named', async (t) => {
  const spec = smallProject(t);
  const { dir, entries } = await freshBundle(spec);
  assert.equal(loadable(path.join(spec.root, 'support', 'one.ts')), path.join(spec.root, 'support', 'one.ts'), 'not running from a bundle: the source');
  runFrom({ root: spec.root, dir, entries });
  t.after(() => runFrom(undefined));

  const a = (await import(pathToFileURL(twinOf(dir, 'cli/a.ts')).href)) as { registry: string[] };
  await import(pathToFileURL(loadable(path.join(spec.root, 'support', 'one.ts'))).href);
  await import(pathToFileURL(loadable(path.join(spec.root, 'support', 'deeper', 'two.ts'))).href);
  assert.deepEqual(a.registry, ['a', 'one', 'two'], 'the support files ran once each, on the bundle’s own registry');
  assert.equal(loadable(path.join(spec.root, 'support', '**', '*.ts')), path.join(dir, 'support', '**', '*.js'));
  assert.equal(loadable('/elsewhere/steps.ts'), '/elsewhere/steps.ts', 'outside the project: the file itself');
  assert.throws(() => loadable(path.join(spec.root, 'elsewhere.ts')), /elsewhere\.ts is loaded by path but is not in the grader's bundle/);
});
