#!/usr/bin/env node
/**
 * Bundles one TypeScript fixture (a test server) into one plain JavaScript file, for
 * test/support/fixture-command.ts: `node bundle-fixture.mjs <entry.ts> <out.mjs>`. Beside it,
 * `<out>.inputs.json` lists the source files it was made from with their size and mtime, so that another
 * test process can tell the bundle is still current. Both are written to temporary names and renamed
 * into place, the list last: a reader that finds the list finds the bundle it describes.
 *
 * Plain JavaScript because a fixture server started through `node --import tsx` spends about 0.6 s of CPU
 * in tsx's module hooks before it listens, against about 0.15 s bundled; a unit run starts some 200 of
 * them. Run as its own process because esbuild's plugins (needed below) only work with its asynchronous
 * API, and the helper that asks for a bundle is synchronous.
 *
 * Every module but the entry keeps its own `import.meta.url` (launch/bundle.mjs, ownImportMeta). The entry
 * keeps the bundle's own, which is what its "am I the main module" check compares with argv[1].
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { inputsOf, ownImportMeta } from '../../launch/bundle.mjs';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  process.stderr.write('usage: bundle-fixture.mjs <entry.ts> <out.mjs>\n');
  process.exit(2);
}
const entryPath = path.resolve(entry);

const temporary = `${outfile}.${process.pid}.tmp`;
const result = await build({
  entryPoints: [entryPath],
  outfile: temporary,
  metafile: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [ownImportMeta((file) => file === entryPath)],
});

const inputs = await inputsOf(result.metafile, process.cwd());
await writeFile(`${temporary}.inputs.json`, JSON.stringify(inputs));
await rename(temporary, outfile);
await rename(`${temporary}.inputs.json`, `${outfile}.inputs.json`);
