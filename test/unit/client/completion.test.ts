import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../../reference-client/completion.ts';

test('Tab completes command words, whatever their case', () => {
  assert.deepEqual(complete('/jo', []), [['/JOIN '], '/jo']);
  assert.deepEqual(complete('/RE', []), [['/RECV ', '/RECONNECT ', '/REN ', '/REVOKE '], '/RE']);
  assert.deepEqual(complete('/zz', []), [[], '/zz']);
});

test('Tab completes known nicks where a command takes one, and after ; in /MSG', () => {
  const nicks = ['bob', 'bella', 'carol'];
  assert.deepEqual(complete('/kick b', nicks), [['bella ', 'bob '], 'b']);
  assert.deepEqual(complete('/MSG carol;bo', nicks), [['bob '], 'bo']);
  assert.deepEqual(complete('/JOIN b', nicks), [[], '/JOIN b'], 'a channel is not a nick');
  assert.deepEqual(complete('hello b', nicks), [[], 'hello b']);
});
