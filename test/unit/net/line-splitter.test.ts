import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, type FramedInput } from '../../../reference-server/net/line-splitter.ts';

const line = (text: string): FramedInput => ({ kind: 'line', text });
const tooLong: FramedInput = { kind: 'rejected', reason: 'LINE_TOO_LONG' };
const badEncoding: FramedInput = { kind: 'rejected', reason: 'BAD_ENCODING' };

/** Feeds `chunks` to a fresh splitter and returns everything it emitted. */
function feed(chunks: Array<Buffer | string>, maxLineBytes?: number): FramedInput[] {
  const splitter = new LineSplitter(maxLineBytes);
  return chunks.flatMap((c) => splitter.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c));
}

/** Cuts `bytes` at the given sorted offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (const at of offsets) {
    parts.push(bytes.subarray(from, at));
    from = at;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

describe('LineSplitter: terminators', () => {
  it('accepts \\n and \\r\\n and strips exactly one \\r', () => {
    assert.deepEqual(feed(['alice\n/JOIN #room\r\nhello\n']), [line('alice'), line('/JOIN #room'), line('hello')]);
  });

  it('treats a second \\r before \\n as part of the line (a control character)', () => {
    assert.deepEqual(feed(['hi\r\r\n']), [badEncoding]);
  });

  it('rejects a lone \\r inside a line as BAD_ENCODING (no injected line breaks)', () => {
    assert.deepEqual(feed(['a\rb\n']), [badEncoding]);
  });

  it('emits empty lines as empty text (the core ignores them)', () => {
    assert.deepEqual(feed(['\n\r\n  \n']), [line(''), line(''), line('  ')]);
  });

  it('keeps bytes after the last \\n until the rest of their line arrives', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push(Buffer.from('/PI')), []);
    assert.equal(splitter.bufferedBytes, 3);
    assert.deepEqual(splitter.push(Buffer.from('NG x')), []);
    assert.deepEqual(splitter.push(Buffer.from('\n/WH')), [line('/PING x')]);
    assert.equal(splitter.bufferedBytes, 3);
    assert.deepEqual(splitter.push(Buffer.from('O\n')), [line('/WHO')]);
    assert.equal(splitter.bufferedBytes, 0);
  });

  it('joins a \\r\\n split between two chunks', () => {
    assert.deepEqual(feed(['hello\r', '\nworld\r', '\n']), [line('hello'), line('world')]);
  });

  it('returns many lines from one chunk, in order', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `message number ${i}`);
    assert.deepEqual(feed([texts.join('\n') + '\n']), texts.map(line));
  });

  it('accepts a plain Uint8Array, not only a Buffer', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push(new TextEncoder().encode('ok\n')), [line('ok')]);
  });
});

describe('LineSplitter: segmentation never changes the result', () => {
  // Multi-byte characters (2, 3 and 4 bytes), CRLF and LF, an empty line, a rejected line in between.
  const stream = Buffer.from('héllo wörld\r\n€uro 😀\n\n\u0007bell\n/MSG bob;carol ça va\r\nend', 'utf8');
  const expected = [line('héllo wörld'), line('€uro 😀'), line(''), badEncoding, line('/MSG bob;carol ça va')];

  it('gives the same lines when cut at any single byte position', () => {
    for (let at = 0; at <= stream.length; at++) {
      assert.deepEqual(feed(cut(stream, [at])), expected, `cut at byte ${at}`);
    }
  });

  it('gives the same lines when cut at any two byte positions', () => {
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b++) {
        assert.deepEqual(feed(cut(stream, [a, b])), expected, `cuts at ${a} and ${b}`);
      }
    }
  });

  it('gives the same lines when fed one byte at a time', () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    assert.deepEqual(feed(bytes), expected);
  });

  it('keeps the unfinished last line buffered', () => {
    const splitter = new LineSplitter();
    splitter.push(stream);
    assert.equal(splitter.bufferedBytes, 3); // "end"
  });
});

describe('LineSplitter: maximum line length', () => {
  it('accepts a line of exactly the maximum, with \\n or \\r\\n', () => {
    const max = 'x'.repeat(4096);
    assert.deepEqual(feed([max + '\n' + max + '\r\n']), [line(max), line(max)]);
  });

  it('counts bytes, not characters', () => {
    const fits = 'é'.repeat(2048); // 4096 bytes
    const over = 'é'.repeat(2049); // 4098 bytes, 2049 characters
    assert.deepEqual(feed([fits + '\n' + over + '\nnext\n']), [line(fits), tooLong, line('next')]);
  });

  it('rejects a line one byte over the maximum, even when it arrives whole', () => {
    assert.deepEqual(feed(['y'.repeat(4097) + '\n/PING\n']), [tooLong, line('/PING')]);
  });

  it('honours a custom maximum', () => {
    assert.deepEqual(feed(['abcd\nabcde\nab\n'], 4), [line('abcd'), tooLong, line('ab')]);
  });

  it('reports an over-long line split across chunks once, then processes the next line', () => {
    const splitter = new LineSplitter(10);
    const out: FramedInput[] = [];
    out.push(...splitter.push(Buffer.from('0123456789')));
    out.push(...splitter.push(Buffer.from('ab'))); // now known to be too long
    out.push(...splitter.push(Buffer.from('cdefgh')));
    out.push(...splitter.push(Buffer.from('ij\r\nok\n')));
    assert.deepEqual(out, [tooLong, line('ok')]);
  });

  it('reports the error when the line becomes too long, before its end arrives', () => {
    const splitter = new LineSplitter(10);
    assert.deepEqual(splitter.push(Buffer.from('/PING\n' + 'z'.repeat(20))), [line('/PING'), tooLong]);
    assert.equal(splitter.bufferedBytes, 0);
  });

  it('streams a 100 MB line with bounded memory and exactly one error', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.alloc(64 * 1024, 'a'); // reused: the test itself must not hold 100 MB
    const out: FramedInput[] = [];
    let maxBuffered = 0;
    for (let sent = 0; sent < 100 * 1024 * 1024; sent += chunk.length) {
      out.push(...splitter.push(chunk));
      maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
    }
    out.push(...splitter.push(Buffer.from('tail\nafter\n')));
    assert.deepEqual(out, [tooLong, line('after')]);
    assert.ok(maxBuffered <= 4097, `buffered up to ${maxBuffered} bytes`);
  });

  it('never buffers more than max + 1 bytes while a line is short of its \\n', () => {
    const splitter = new LineSplitter(100);
    for (let i = 0; i < 101; i++) splitter.push(Buffer.from('q'));
    assert.equal(splitter.bufferedBytes, 101); // could still be 100 bytes + "\r"
    assert.deepEqual(splitter.push(Buffer.from('\n')), [tooLong]);
  });

  it('refuses a maximum that is not a positive integer', () => {
    assert.throws(() => new LineSplitter(0), RangeError);
    assert.throws(() => new LineSplitter(1.5), RangeError);
  });
});

describe('LineSplitter: encoding', () => {
  const invalid: Record<string, number[]> = {
    'a lone continuation byte': [0x80],
    'an invalid byte 0xFF': [0x61, 0xff, 0x62],
    'an overlong encoding of "/"': [0xc0, 0xaf],
    'a truncated 3-byte sequence at the end of the line': [0x61, 0xe2, 0x82],
    'an encoded UTF-16 surrogate': [0xed, 0xa0, 0x80],
    'a code point above U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  };
  for (const [what, bytes] of Object.entries(invalid)) {
    it(`rejects ${what} as BAD_ENCODING and goes on`, () => {
      assert.deepEqual(feed([Buffer.from([...bytes, 0x0a]), 'next\n']), [badEncoding, line('next')]);
    });
  }

  it('rejects C0 control characters and DEL, but accepts TAB', () => {
    assert.deepEqual(feed(['nul\u0000\n', 'esc\u001b[2J\n', 'del\u007f\n', 'tab\there\n']), [
      badEncoding,
      badEncoding,
      badEncoding,
      line('tab\there'),
    ]);
  });

  it('keeps a leading byte-order mark as sent (no silent stripping)', () => {
    assert.deepEqual(feed(['\ufeffalice\n']), [line('\ufeffalice')]);
  });

  it('decodes a 4-byte character split between chunks', () => {
    const bytes = Buffer.from('😀\n', 'utf8');
    assert.deepEqual(feed([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)]), [line('😀')]);
  });
});
