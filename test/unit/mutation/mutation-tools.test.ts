/**
 * The two mutation-testing tools of ours: the free-text ignorer (which Stryker asks about each node) and
 * the survivors listing (which must refuse a survivor without a written reason).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REASONS, shouldIgnore } from '../../../mutation/free-text-ignorer.mjs';
import { analyse, type Equivalent, type Report } from '../../../mutation/survivors.ts';

/** Just the parts of a Babel NodePath the ignorer reads. */
function argument(callee: string, index: number, type = 'CallExpression'): unknown {
  return { listKey: 'arguments', key: index, parentPath: { node: { type, callee: { type: 'Identifier', name: callee } } } };
}
function propertyValue(name: string): unknown {
  return { key: 'value', parentPath: { node: { type: 'ObjectProperty', key: { type: 'Identifier', name } } } };
}

describe('free-text ignorer', () => {
  it('ignores the reason of fail, err and new ProtocolError, never their code', () => {
    assert.equal(shouldIgnore(argument('fail', 1)), REASONS.reason);
    assert.equal(shouldIgnore(argument('err', 1)), REASONS.reason);
    assert.equal(shouldIgnore(argument('ProtocolError', 1, 'NewExpression')), REASONS.reason);
    assert.equal(shouldIgnore(argument('fail', 0)), undefined);
    assert.equal(shouldIgnore(argument('err', 0)), undefined);
  });

  it('ignores usage texts and close reasons only', () => {
    assert.equal(shouldIgnore(propertyValue('usage')), REASONS.usage);
    assert.equal(shouldIgnore(argument('closeConn', 2)), REASONS.close);
    assert.equal(shouldIgnore(argument('closeConn', 1)), undefined);
    assert.equal(shouldIgnore(propertyValue('line')), undefined);
    assert.equal(shouldIgnore(argument('sendToUser', 2)), undefined); // a line on the wire
    assert.equal(shouldIgnore(argument('log', 1)), undefined); // console answers are read by scenarios
    assert.equal(shouldIgnore({ key: 'body' }), undefined);
  });
});

describe('survivors listing', () => {
  const source = "if (a < b) fail('X', 'why');\nreturn [];\n";
  const mutant = (id: string, status: string, line: number, column: number, end: number, mutatorName: string, replacement: string) => ({
    id,
    status,
    mutatorName,
    replacement,
    location: { start: { line, column }, end: { line, column: end } },
  });
  const files: Report['files'] = {
    '/x/reference-server/core/a.ts': {
      source,
      mutants: [
        mutant('1', 'Killed', 1, 5, 10, 'EqualityOperator', 'a <= b'),
        mutant('2', 'Survived', 1, 5, 10, 'ConditionalExpression', 'true'),
        mutant('3', 'Survived', 2, 8, 10, 'ArrayDeclaration', '["Stryker was here"]'),
        mutant('4', 'Ignored', 1, 22, 27, 'StringLiteral', '""'),
      ],
    },
  };
  const reason: Equivalent = { file: 'core/a.ts', mutator: 'ConditionalExpression', original: 'a < b', replacement: 'true', why: 'same outcome' };

  it('counts both scores and marks a survivor without a written reason TO REVIEW', () => {
    const { lines, toReview } = analyse(files, [reason]);
    assert.equal(toReview, 1);
    const text = lines.join('\n');
    assert.match(text, /mutation score .*: 33\.33 % \(1\/3\)/);
    assert.match(text, /raw score .*: 25\.00 %/);
    assert.match(text, /\| core\/a\.ts:1 \| ConditionalExpression \| `a < b` → `true` \| same outcome \|/);
    assert.match(text, /\| core\/a\.ts:2 \| ArrayDeclaration \| `\[\]` → `\["Stryker was here"\]` \| \*\*TO REVIEW\*\* \|/);
  });

  it('passes once every survivor has its reason, and names a reason that matches nothing as stale', () => {
    const array: Equivalent = { file: 'core/a.ts', mutator: 'ArrayDeclaration', original: '[]', replacement: '["Stryker was here"]', why: 'not an effect' };
    const stale: Equivalent = { file: 'core/a.ts', mutator: 'BlockStatement', original: '{', replacement: '{}', why: 'old' };
    const { lines, toReview } = analyse(files, [reason, array, stale]);
    assert.equal(toReview, 0);
    assert.match(lines.join('\n'), /1 entries of equivalents\.json matched no survivor .*BlockStatement/);
  });
});
