'use strict';
/**
 * The default export of regexp-match-indices 1.0.2 (exec(regexp, string): a match with `.indices`), on the
 * engine's own RegExp `d` flag. See README.md for why this stands in for the real package.
 */
const exec = RegExp.prototype.exec;
/** Each pattern's copy with the `d` flag, made once (the step definitions' patterns live all run long). */
const withIndices = new WeakMap();

module.exports = function execWithIndices(regexp, string) {
  if (regexp.hasIndices) return exec.call(regexp, string);
  let copy = withIndices.get(regexp);
  if (copy === undefined) {
    copy = new RegExp(regexp, `${regexp.flags}d`);
    withIndices.set(regexp, copy);
  }
  copy.lastIndex = regexp.lastIndex;
  const match = exec.call(copy, string);
  regexp.lastIndex = copy.lastIndex;
  return match;
};
