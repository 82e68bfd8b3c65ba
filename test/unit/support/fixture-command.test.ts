/**
 * Fixture servers run as bundles (test/support/fixture-command.ts): a bundle keeps each module's own
 * import.meta.url but the entry's, is shared between test processes, and is made again once a source
 * file it was made from changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleIsCurrent, fixtureBundle } from '../../support/fixture-command.ts';

test('a bundle runs the fixture, keeps each module its own import.meta.url, and goes stale when a source changes', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fixture-bundle-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const helper = path.join(dir, 'helper.ts');
  const entry = path.join(dir, 'entry.ts');
  fs.writeFileSync(helper, "export const where: string = import.meta.url;\nexport const word: string = 'one';\n");
  fs.writeFileSync(entry, "import { where, word } from './helper.ts';\nconsole.log(JSON.stringify({ word, where, main: import.meta.url }));\n");

  const bundle = fixtureBundle(entry);
  t.after(() => fs.rmSync(bundle, { force: true }));
  t.after(() => fs.rmSync(`${bundle}.inputs.json`, { force: true }));
  const printed = JSON.parse(execFileSync(process.execPath, [bundle], { encoding: 'utf8' })) as { word: string; where: string; main: string };
  assert.equal(printed.word, 'one');
  assert.equal(printed.where, pathToFileURL(helper).href, 'a module other than the entry sees its own source place');
  assert.equal(printed.main, pathToFileURL(bundle).href, 'the entry sees the bundle (what its main-module check compares with argv[1])');
  assert.equal(bundleIsCurrent(bundle), true);

  fs.writeFileSync(helper, "export const where: string = import.meta.url;\nexport const word: string = 'two!';\n");
  assert.equal(bundleIsCurrent(bundle), false, 'a changed source makes the bundle stale (another process would make it again)');
});
