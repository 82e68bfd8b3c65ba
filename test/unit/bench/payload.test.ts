import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePayload, PayloadScanner } from '../../../bench/payload.ts';

function collect(): { scanner: PayloadScanner; deliveries: number[][]; others: string[] } {
  const deliveries: number[][] = [];
  const others: string[] = [];
  const scanner = new PayloadScanner({
    delivery: (sender, seq, sentAt) => deliveries.push([sender, seq, sentAt]),
    other: (line) => others.push(line),
  });
  return { scanner, deliveries, others };
}

test('recognises the payload at the end of canonical and IRC delivery lines', () => {
  const { scanner, deliveries, others } = collect();
  scanner.push(Buffer.from(`MSG #bench b1 ${encodePayload(3, 42, 123456.7)}\n:b1!~b1@localhost PRIVMSG #bench :${encodePayload(0, 7, 99)}\r\n`));
  assert.deepEqual(deliveries, [
    [3, 42, 123456],
    [0, 7, 99],
  ]);
  assert.deepEqual(others, []);
});

test('hands every other line over as text, without its terminator', () => {
  const { scanner, deliveries, others } = collect();
  scanner.push(Buffer.from('HELLO chat-conformance 1\nOK SAY #bench\r\nMSG #c n ~1.2\nMSG #c n 1.2.3\n\nPING :x\n'));
  assert.deepEqual(deliveries, []);
  // "~1.2" lacks a field and "1.2.3" lacks the "~": both are ordinary text; the empty line is skipped.
  assert.deepEqual(others, ['HELLO chat-conformance 1', 'OK SAY #bench', 'MSG #c n ~1.2', 'MSG #c n 1.2.3', 'PING :x']);
});

test('reassembles lines split anywhere across chunks, one byte at a time', () => {
  const { scanner, deliveries, others } = collect();
  const stream = Buffer.from(`OK WELCOME b0\nMSG #bench b9 ${encodePayload(12, 345, 6789)}\r\nMSG #bench b9 ${encodePayload(1, 0, 0)}\n`);
  for (let i = 0; i < stream.length; i++) scanner.push(stream.subarray(i, i + 1));
  assert.deepEqual(others, ['OK WELCOME b0']);
  assert.deepEqual(deliveries, [
    [12, 345, 6789],
    [1, 0, 0],
  ]);
  assert.equal(scanner.bufferedBytes, 0);
});

test('keeps an unfinished line until its newline arrives', () => {
  const { scanner, deliveries } = collect();
  scanner.push(Buffer.from('MSG #bench b2 ~5.6.'));
  assert.equal(deliveries.length, 0);
  assert.equal(scanner.bufferedBytes, 19);
  scanner.push(Buffer.from('78\n'));
  assert.deepEqual(deliveries, [[5, 6, 78]]);
});
