/**
 * A JSON Schema validator per schema file, made once per process. Rubrics (and the base a rubric extends),
 * profiles and manifests are checked many times in one grader or test process, against the same few schemas.
 *
 * Compiling a schema with ajv costs 80-300 ms of a fresh process's start-up (the profile schema: ajv's code
 * generator runs cold), paid by every grader and every --parallel worker, so once per submission of a class
 * at least twice. The generated validator is therefore kept as code (ajv's own "standalone" output, made for
 * this) in node_modules/.cache/json-schema, named by a hash of the schema, ajv's version and the options:
 * loading it costs about 4 ms. A cache that cannot be read or written (a read-only checkout) only means
 * compiling as before.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { writeFileAtomic } from './atomic-write.ts';
import { PROJECT_ROOT } from './project-root.ts';

const require = createRequire(import.meta.url);
/** Inside node_modules (where such caches live), so the generated code resolves ajv's runtime helpers. */
const SCHEMA_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'json-schema');
const OPTIONS = { allErrors: true, strict: false } as const;

const validators = new Map<string, ValidateFunction>();

/** The validator of the schema in `file` (allErrors: every problem is reported, not the first). */
export function schemaValidator(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (validate === undefined) {
    validate = cachedOrCompiled(file, SCHEMA_CACHE_DIR).validate;
    validators.set(file, validate);
  }
  return validate;
}

/**
 * The validator of `file`, from `cacheDir` when it holds one for this exact schema, else compiled (and its
 * code stored there). Exported for tests, which use a folder of their own (inside node_modules, like the real
 * one, so the code's requires of ajv's runtime helpers resolve).
 */
export function cachedOrCompiled(file: string, cacheDir: string): { validate: ValidateFunction; from: 'cache' | 'compiled'; cacheFile: string } {
  const schema = readFileSync(file, 'utf8');
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(`${ajvVersion}\0${JSON.stringify(OPTIONS)}\0${schema}`).digest('hex').slice(0, 16);
  const cacheFile = path.join(cacheDir, `${path.basename(file, '.json')}-${key}.cjs`);
  try {
    return { validate: require(cacheFile) as ValidateFunction, from: 'cache', cacheFile };
  } catch {
    // Not made yet (or unreadable): compile, and keep the code for the next process.
  }
  const { Ajv } = require('ajv') as typeof import('ajv');
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  const validate = ajv.compile(JSON.parse(schema) as object);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(cacheFile, standaloneCode(ajv, validate)); // a reader never sees half a file
  } catch {
    // A read-only checkout: every process compiles.
  }
  return { validate, from: 'compiled', cacheFile };
}
