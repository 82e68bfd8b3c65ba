/** Two runs side by side: per-stream alignment and the first divergence (harness/reports/side-by-side.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignByUser, comparableLines, renderSideBySide } from '../../../harness/reports/side-by-side.ts';

test('lines of different users, or of one user\'s two directions, may interleave differently without diverging', () => {
  const left = ['alice -> /JOIN #r', 'bob <- JOIN #r alice', 'alice <- OK JOIN #r owner', 'alice -> /PING <barrier>'];
  const right = ['alice -> /JOIN #r', 'alice <- OK JOIN #r owner', 'alice -> /PING <barrier>', 'bob <- JOIN #r alice'];
  assert.equal(alignByUser(left, right).first, undefined);
  const { text, divergence } = renderSideBySide(left, right, { leftTitle: 'yours', rightTitle: 'reference' });
  assert.equal(divergence, undefined);
  assert.match(text, /agree line by line/);
});

test('the first line whose counterpart differs is marked >>, later differing lines *, missing ones (nothing)', () => {
  const left = ['bob -> /KICK carol', 'bob <- OK KICK #r carol', 'carol <- KICK #r carol bob'];
  const right = ['bob -> /KICK carol', 'bob <- (error reply NOT_ADMIN)', 'alice <- MSG #r alice x'];
  const { text, divergence } = renderSideBySide(left, right, { leftTitle: 'your server', rightTitle: 'reference server', width: 30 });
  assert.equal(divergence, 1);
  const lines = text.split('\n');
  assert.match(lines[0]!, /First divergence at line 2/);
  assert.ok(lines.includes('>> bob <- OK KICK #r carol        | bob <- (error reply NOT_ADMIN)'), text);
  assert.ok(lines.includes(' * carol <- KICK #r carol bob     | (nothing)'), text);
  assert.ok(lines.includes(' * (nothing)                      | alice <- MSG #r alice x'), text);
});

test('a long transcript is cut around the divergence', () => {
  const same = Array.from({ length: 40 }, (_, i) => `alice -> line ${i}`);
  const { text } = renderSideBySide([...same, 'alice <- A'], [...same, 'alice <- B'], { leftTitle: 'l', rightTitle: 'r', before: 3, after: 2 });
  assert.match(text, /\(37 earlier line\(s\) alike\)/);
  assert.match(text, />> alice <- A/);
});

test('comparableLines reads the attachment, and says when there is none', () => {
  assert.deepEqual(comparableLines([{ mediaType: 'text/plain', text: 'comparable transcript\na\nb' }]), ['a', 'b']);
  assert.equal(comparableLines([{ mediaType: 'text/plain', text: 'TCP transcript\na' }]), undefined);
});
