/** The core's configuration: defaults filled in, and nonsense refused before any connection (§7). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CORE_OPTIONS, resolveCoreOptions } from '../../../reference-server/core/options.ts';

describe('resolveCoreOptions', () => {
  it('fills in every default, and a key given as undefined keeps its default', () => {
    assert.deepEqual(resolveCoreOptions(), DEFAULT_CORE_OPTIONS);
    assert.deepEqual(resolveCoreOptions({ maxConnections: undefined, historySize: 5 }), { ...DEFAULT_CORE_OPTIONS, historySize: 5 });
  });

  it('accepts 1 as the smallest limit', () => {
    assert.equal(resolveCoreOptions({ maxPendingFiles: 1 }).maxPendingFiles, 1);
  });

  for (const key of ['maxConnections', 'maxFileBytes', 'maxPendingFiles', 'historySize'] as const) {
    for (const value of [0, -1, 2.5, Number.NaN]) {
      it(`refuses ${key} = ${value}`, () => {
        assert.throws(() => resolveCoreOptions({ [key]: value }), { name: 'RangeError', message: new RegExp(`^${key} must be a positive integer, got ${value}$`) });
      });
    }
  }

  for (const serverName of ['', 'two words', 'tab\there']) {
    it(`refuses the server name ${JSON.stringify(serverName)}: HELLO's first field is one word`, () => {
      assert.throws(() => resolveCoreOptions({ serverName }), { name: 'RangeError', message: /^serverName must be one non-empty word/ });
    });
  }
});
