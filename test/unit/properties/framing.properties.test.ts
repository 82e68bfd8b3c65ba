/**
 * Property of the network layer's framing (PROTOCOL.md §1.3-§1.5, issue #7.2): however TCP cuts a byte
 * stream into chunks, the line splitter yields the same lines and rejections as when it gets the stream
 * in one piece, and it never holds more than one line's worth of bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter } from '../../../reference-server/net/line-splitter.ts';

const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const MAX_LINE = 16;

/** Byte streams rich in what framing must get right: "\n", "\r\n", multi-byte UTF-8, invalid bytes, long runs. */
const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', 'é', '€', '😀', '\t', ' ').map((s) => Buffer.from(s, 'utf8')),
  fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0x00]), Buffer.from([0x1b])),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => Buffer.from(s, 'utf8')),
  fc.integer({ min: MAX_LINE - 2, max: MAX_LINE * 3 }).map((n) => Buffer.alloc(n, 0x61)),
);
const stream = fc.array(piece, { maxLength: 30 }).map((pieces) => Buffer.concat(pieces));

/** Cut points, as fractions of the stream length, turned into chunks. */
function cut(bytes: Buffer, fractions: readonly number[]): Buffer[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('line splitter properties (fast-check)', () => {
  it('yields the same inputs whatever the segmentation, and holds at most one line of bytes', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (bytes, fractions) => {
        const whole = new LineSplitter(MAX_LINE).push(bytes);
        const splitter = new LineSplitter(MAX_LINE);
        const pieces = cut(bytes, fractions).flatMap((chunk) => {
          const out = splitter.push(chunk);
          assert.ok(splitter.bufferedBytes <= MAX_LINE + 1, `holds ${splitter.bufferedBytes} bytes`);
          return out;
        });
        assert.deepEqual(pieces, whole);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('every line it yields is at most the limit, valid UTF-8 and free of control characters other than TAB', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        for (const input of new LineSplitter(MAX_LINE).push(bytes)) {
          if (input.kind !== 'line') continue;
          assert.ok(Buffer.byteLength(input.text, 'utf8') <= MAX_LINE);
          assert.doesNotMatch(input.text, /[\x00-\x08\x0a-\x1f\x7f\ufffd]/);
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
