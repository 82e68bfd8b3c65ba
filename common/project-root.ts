/**
 * The repository's root folder, where features/, steps/ and profiles/ are found. Its own module so that
 * what needs only the path (the grader's options, the merge, the bench, tests) does not load the Cucumber
 * runner to get it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
