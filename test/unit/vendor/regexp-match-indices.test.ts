/**
 * vendor/regexp-match-indices: the stand-in for the polyfill cucumber-expressions matches every step with
 * (vendor/regexp-match-indices/README.md). It must be the copy installed, and give the polyfill's answers:
 * the match, and each capture group's [start, end] (undefined for a group that took no part).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CucumberExpression, ParameterTypeRegistry } from '@cucumber/cucumber-expressions';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const require = createRequire(import.meta.url);
type ExecWithIndices = (regexp: RegExp, text: string) => (RegExpExecArray & { indices?: Array<[number, number] | undefined> }) | null;
const exec = require('regexp-match-indices') as ExecWithIndices;
/** The spans alone (the indices array also carries `groups`). */
const spans = (regexp: RegExp, text: string): Array<[number, number] | undefined> | undefined => {
  const indices = exec(regexp, text)?.indices;
  return indices && [...indices];
};

test('the copy cucumber-expressions loads is the vendored one', () => {
  const fromExpressions = createRequire(require.resolve('@cucumber/cucumber-expressions'));
  assert.equal(fromExpressions.resolve('regexp-match-indices'), path.join(PROJECT_ROOT, 'vendor', 'regexp-match-indices', 'index.js'));
});

test('each capture group comes with its [start, end], nested and optional groups included', () => {
  const pattern = /^(\d+) cucumbers? in (my (\w+))(?: (now))?(?<why> please)?$/;
  assert.equal(exec(pattern, '12 cucumbers in my belly now')?.[0], '12 cucumbers in my belly now');
  assert.deepEqual(spans(pattern, '12 cucumbers in my belly now'), [[0, 28], [0, 2], [16, 24], [19, 24], [25, 28], undefined]);
  assert.deepEqual({ ...exec(pattern, '1 cucumber in my hand please')?.indices?.groups }, { why: [21, 28] });
  assert.equal(exec(/^(a)|(b)$/, 'c'), null);
});

test('a pattern with flags keeps them, and lastIndex moves as the native exec moves it', () => {
  const global = /(o)/g;
  assert.deepEqual(spans(global, 'foo'), [[1, 2], [1, 2]]);
  assert.equal(global.lastIndex, 2);
  assert.deepEqual(spans(global, 'foo'), [[2, 3], [2, 3]]);
  assert.equal(global.lastIndex, 3);
  assert.equal(exec(global, 'foo'), null);
  assert.equal(global.lastIndex, 0);
  assert.deepEqual(spans(/(B)/i, 'ab'), [[1, 2], [1, 2]]);
  // Astral characters count as two UTF-16 units, as in String.prototype.slice.
  assert.deepEqual(spans(/(x)/u, '😀x'), [[2, 3], [2, 3]]);
});

test('a pattern that already has the d flag is matched as it is', () => {
  assert.deepEqual(spans(/(b)/d, 'ab'), [[1, 2], [1, 2]]);
});

test('Cucumber expressions find their arguments where they are, through it', () => {
  const expression = new CucumberExpression('{string} has joined {word} after {int} tries', new ParameterTypeRegistry());
  const args = expression.match('"bob" has joined #room after 3 tries');
  assert.ok(args);
  assert.deepEqual(
    args.map((a) => [a.group.value, a.group.start, a.group.end]),
    [
      ['"bob"', 0, 5],
      ['#room', 17, 22],
      ['3', 29, 30],
    ],
  );
  assert.deepEqual(
    args.map((a) => a.getValue(null)),
    ['bob', '#room', 3],
  );
});
