/**
 * The reference server formats its lines itself (reference-server/core/replies.ts: the core depends on
 * nothing outside reference-server/), and profiles/canonical.json describes the same lines for the harness,
 * the reference client and the bench. This keeps the two in step: every event, data line, greeting,
 * PONG and ERR the server writes is recognised by the canonical profile with the values it was given,
 * and every event the profile knows has a formatter in the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dialect } from '../../../harness/dialect/dialect.ts';
import { loadProfile } from '../../../harness/dialect/load-profile.ts';
import { err, event, fileDataLine, helpLine, historyLine, pong } from '../../../reference-server/core/replies.ts';

const canonical = new Dialect(loadProfile('canonical'));

/** Field values as a sorted list: what the line was made of, whatever the field names. */
const values = (fields: Record<string, string>) => Object.values(fields).sort();

test('every event the server formats is the canonical profile\'s event, with the values it was given', () => {
  const recognised = new Set<string>();
  for (const [name, format] of Object.entries(event)) {
    if (name === 'hello') continue; // the greeting, below
    // Distinct digits: a valid channel, nick, size or text for every field's pattern.
    const given = ['1', '2', '3'].slice(0, format.length);
    const line = (format as (...args: Array<string | number>) => string)(...given);
    const found = canonical.anyEvent(line);
    assert.ok(found, `the server's ${name} line "${line}" is no event of profiles/canonical.json`);
    assert.deepEqual(values(found.found.fields), given, `"${line}" read as ${found.event} ${JSON.stringify(found.found.fields)}`);
    recognised.add(found.event);
  }
  assert.deepEqual([...recognised].sort(), Object.keys(canonical.profile.events).sort(), 'each canonical event has exactly one server formatter');
});

test('the greeting, data lines, PONG and ERR the server formats are the canonical profile\'s', () => {
  assert.deepEqual(canonical.patternMatcher(canonical.profile.greeting)(event.hello('chat-conformance', '1'))?.value, { server: 'chat-conformance', version: '1' });
  const unit = (command: Parameters<Dialect['finalReplyMatcher']>[0], line: string) => canonical.finalReplyMatcher(command)(line)?.value;
  assert.deepEqual(unit('help', helpLine('/JOIN <channel>  join it')), { kind: 'data', fields: { text: '/JOIN <channel>  join it' }, raw: 'HELP /JOIN <channel>  join it' });
  assert.deepEqual(unit('history', historyLine('#a', 'bob', 'hi  there'))?.fields, { channel: '#a', from: 'bob', text: 'hi  there' });
  assert.deepEqual(unit('recv', fileDataLine('f.txt', 'aGk='))?.fields, { name: 'f.txt', base64: 'aGk=' });
  assert.deepEqual(unit('recv', fileDataLine('f.txt', ''))?.fields, { name: 'f.txt', base64: '' }, 'the last, empty chunk');
  assert.deepEqual(unit('ping', pong('t1')), { kind: 'ok', fields: { token: 't1' }, raw: 'PONG t1' });
  assert.deepEqual(unit('ping', pong(undefined)), { kind: 'ok', fields: {}, raw: 'PONG' });
  assert.deepEqual(unit('join', err('NO_CHANNEL', 'no such channel'))?.fields, { code: 'NO_CHANNEL', reason: 'no such channel' });
});
