import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { schemaValidator } from '../../../common/json-schema.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

test('schemaValidator: one compiled validator per schema file, reporting every problem', () => {
  const file = path.join(PROJECT_ROOT, 'grading', 'manifest.schema.json');
  const validate = schemaValidator(file);
  assert.equal(schemaValidator(file), validate, 'compiled once, then reused');
  assert.notEqual(schemaValidator(path.join(PROJECT_ROOT, 'rubrics', 'rubric.schema.json')), validate, 'another file, another validator');
  assert.equal(validate({ implements: ['history'] }), true);
  assert.equal(validate({ implements: ['teleport'], extra: 1 }), false);
  assert.equal(validate.errors?.length, 2, 'allErrors: both the unknown feature and the extra property');
});
