/**
 * The one ANSI-stripping definition (harness/wire/ansi.ts) that a profile's `wire.stripAnsi` means, in
 * the harness's test client and in the reference client alike. The escapes below are those the client's
 * former regex (/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]/) left half in place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANSI_INCOMPLETE_TAIL, stripAnsi } from '../../../harness/wire/ansi.ts';

test('colours, cursor moves and two-character escapes are removed, the text around them kept', () => {
  assert.equal(stripAnsi('\u001b[1;31mRED\u001b[0m text\u001b[2K\u001bM'), 'RED text');
});

test('an OSC sequence (window title, ended by BEL or by ESC \\) is removed whole', () => {
  assert.equal(stripAnsi('\u001b]0;chat server\u0007OK JOIN #a owner'), 'OK JOIN #a owner');
  assert.equal(stripAnsi('\u001b]2;title\u001b\\OK JOIN #a owner'), 'OK JOIN #a owner');
});

test('a CSI sequence with private parameters (< = > ?) is removed whole', () => {
  assert.equal(stripAnsi('\u001b[>4;2mOK LIST\u001b[?25l'), 'OK LIST');
});

test('an escape cut at the end of a chunk is recognised as incomplete, a complete one is not', () => {
  assert.equal(ANSI_INCOMPLETE_TAIL.exec('text\u001b[3')?.[0], '\u001b[3');
  assert.equal(ANSI_INCOMPLETE_TAIL.exec('text\u001b]0;tit')?.[0], '\u001b]0;tit');
  assert.equal(ANSI_INCOMPLETE_TAIL.exec('text\u001b[31m'), null);
});
