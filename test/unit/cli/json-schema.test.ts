import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedOrCompiled, schemaValidator } from '../../../common/json-schema.ts';
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

/** A cache folder of the test's own, inside node_modules like the real one (the code requires ajv's helpers). */
function scratchCache(t: { after: (fn: () => void) => void }): string {
  const dir = path.join(PROJECT_ROOT, 'node_modules', '.cache', `json-schema-test-${process.pid}-${Math.random().toString(36).slice(2)}`);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Documents that exercise each schema's keywords, valid and not: the cached code must judge them as ajv does. */
const SAMPLES: Record<string, unknown[]> = {
  'grading/manifest.schema.json': [{ implements: ['history'] }, { implements: ['teleport'], extra: 1 }, {}, { implements: 'history' }],
  'rubrics/rubric.schema.json': [JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'rubrics', 'course.json'), 'utf8')), { name: 3, criteria: [{}] }, []],
  'profiles/profile.schema.json': [
    JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'profiles', 'seed.json'), 'utf8')),
    { name: 'x', commands: { join: { send: 42 } }, unknown: true },
    { extends: ['not', 'a', 'string'] },
  ],
};

test('schemaValidator: the validator kept as code judges every sample exactly as a fresh compile, errors and all', (t) => {
  const cache = scratchCache(t);
  for (const [schema, samples] of Object.entries(SAMPLES)) {
    const file = path.join(PROJECT_ROOT, schema);
    const compiled = cachedOrCompiled(file, cache);
    assert.equal(compiled.from, 'compiled', `${schema}: first use compiles`);
    assert.ok(existsSync(compiled.cacheFile), `${schema}: its code is kept`);
    const kept = cachedOrCompiled(file, cache);
    assert.equal(kept.from, 'cache', `${schema}: the next process loads the kept code`);
    let invalid = 0;
    for (const sample of samples) {
      const fresh = compiled.validate(sample);
      assert.equal(kept.validate(sample), fresh, `${schema}: same verdict on ${JSON.stringify(sample).slice(0, 60)}`);
      assert.deepEqual(kept.validate.errors, compiled.validate.errors, `${schema}: same errors`);
      if (!fresh) invalid += 1;
    }
    assert.ok(invalid >= 1 && invalid < samples.length, `${schema}: the samples hold valid and invalid documents`);
  }
});

test('schemaValidator: a changed schema is compiled again, never judged by the code of its old text', (t) => {
  const cache = scratchCache(t);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'thing.schema.json');
  writeFileSync(file, JSON.stringify({ type: 'object', required: ['a'] }));
  const before = cachedOrCompiled(file, cache);
  assert.equal(before.validate({ b: 1 }), false);
  writeFileSync(file, JSON.stringify({ type: 'object', required: ['b'] }));
  const after = cachedOrCompiled(file, cache);
  assert.equal(after.from, 'compiled');
  assert.notEqual(after.cacheFile, before.cacheFile);
  assert.equal(after.validate({ b: 1 }), true, 'the new text decides');
});

test('schemaValidator: a cache folder that cannot be written only means compiling', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schema-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const blocked = path.join(dir, 'a-file-not-a-folder');
  writeFileSync(blocked, '');
  const file = path.join(PROJECT_ROOT, 'grading', 'manifest.schema.json');
  const first = cachedOrCompiled(file, blocked);
  const second = cachedOrCompiled(file, blocked);
  assert.deepEqual([first.from, second.from], ['compiled', 'compiled']);
  assert.equal(second.validate({ implements: ['teleport'] }), false);
});
