/**
 * Runs every unit test file that starts no other process in this one process (see test/unit-files.mjs):
 * importing a test file registers its tests with node:test as running it alone would.
 * One of them alone: `node --import tsx --test test/unit/x/y.test.ts`.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inProcessFiles } from './unit-files.mjs';

for (const file of inProcessFiles()) await import(pathToFileURL(path.resolve(import.meta.dirname, '..', file)).href);
