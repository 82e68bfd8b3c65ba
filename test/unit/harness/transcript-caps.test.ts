/** A transcript in a report is bounded whatever the server sent: long lines shortened, the whole kept to its ends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepEnds, RENDER_LINE_MAX_CHARS, RENDER_MAX_CHARS, Transcript } from '../../../harness/wire/transcript.ts';

test('a megabyte line is shortened and says by how much; short lines are untouched', () => {
  const t = new Transcript(8 * 1024 * 1024, () => 0);
  t.record('alice', 'send', '/LIST\n');
  t.record('alice', 'recv', `${'x'.repeat(1024 * 1024)}\n`);
  const text = t.render();
  assert.match(text, /alice -> \/LIST/);
  const left = Number(/line shortened: (\d+) more characters/.exec(text)?.[1]);
  assert.ok(left > 1024 * 1024 - RENDER_LINE_MAX_CHARS - 50 && left < 1024 * 1024, `says ${left} characters were cut`);
  assert.ok(text.length < RENDER_LINE_MAX_CHARS + 200);
});

test('a long transcript keeps its start and its end within the limit, saying what was left out', () => {
  const t = new Transcript(64 * 1024 * 1024, () => 0);
  for (let i = 0; i < 20_000; i++) t.record('bob', 'recv', `line ${i}\n`);
  const text = t.render();
  assert.ok(text.length <= RENDER_MAX_CHARS + 200, `${text.length} characters`);
  assert.match(text, /bob <- line 0\n/);
  assert.match(text, /bob <- line 19999$/);
  assert.match(text, /characters of the transcript left out/);
  assert.equal(keepEnds('short', 10), 'short');
});
