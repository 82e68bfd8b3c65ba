/** grading/scenarios.ts readScenarios: parsed once per unchanged file in a process, again when the file changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readScenarios } from '../../../grading/scenarios.ts';

const feature = (name: string): string => `@demo\nFeature: Demo\n\n  Scenario: ${name}\n    Given something\n`;

test('readScenarios: a file changed since the last read is parsed again; what a caller changes stays its own', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-scenarios-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'demo.feature');
  fs.writeFileSync(file, feature('first'));
  const [first] = readScenarios([file], dir);
  assert.deepEqual([first!.name, first!.key, first!.tags], ['first', 'demo.feature:4', ['@demo']]);
  first!.tags.push('@mine');
  first!.name = 'changed by a caller';
  const [again] = readScenarios([file], dir);
  assert.deepEqual([again!.name, again!.tags], ['first', ['@demo']], 'the kept parse is not the caller\'s copy');
  fs.writeFileSync(file, feature('second one'));
  assert.equal(readScenarios([file], dir)[0]!.name, 'second one');
  // The same size, a later mtime: parsed again too.
  fs.writeFileSync(file, feature('third one!'));
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal(readScenarios([file], dir)[0]!.name, 'third one!');
});
