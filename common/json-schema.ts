/**
 * A JSON Schema validator per schema file, compiled once per process. Compiling a schema with ajv costs
 * about a tenth of a second; rubrics (and the base a rubric extends), profiles and manifests are checked
 * many times in one grader or test process, against the same few schemas.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

const compiled = new Map<string, ValidateFunction>();

/** The validator of the schema in `file` (allErrors: every problem is reported, not the first). */
export function schemaValidator(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (validate === undefined) {
    validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    compiled.set(file, validate);
  }
  return validate;
}
