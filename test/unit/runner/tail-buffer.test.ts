import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TailBuffer } from '../../../harness/target/tail-buffer.ts';

describe('TailBuffer', () => {
  it('keeps the last N lines, joining lines split across chunks and dropping "\\r"', () => {
    const tail = new TailBuffer(3);
    tail.push('one\r\ntw');
    tail.push('o\nthree\nfour\nfi');
    assert.deepEqual(tail.last(), ['three', 'four', 'fi']);
    tail.push('ve\n');
    assert.deepEqual(tail.last(), ['three', 'four', 'five']);
  });

  it('keeps only the end of an unfinished line that never ends, however much arrives', () => {
    const tail = new TailBuffer(5, 100);
    const chunk = 'x'.repeat(10_000);
    for (let i = 0; i < 200; i++) tail.push(chunk); // 2 million characters, no newline
    tail.push('END');
    const [line] = tail.last();
    assert.equal(tail.last().length, 1);
    assert.equal(line, `[${2_000_003 - 100} characters cut] ${'x'.repeat(97)}END`);
    // The kept state itself is bounded (what last() reports is rebuilt from it).
    const kept = (tail as unknown as { partial: string }).partial;
    assert.equal(kept.length, 100);
  });

  it('reports the cut of a long line once it is finished, and the next lines are whole', () => {
    const tail = new TailBuffer(3, 10);
    tail.push('a'.repeat(25));
    tail.push('bcdef\nshort\n');
    assert.deepEqual(tail.last(), ['[20 characters cut] aaaaabcdef', 'short']);
  });

  it('clips a long complete line that arrives in one chunk', () => {
    const tail = new TailBuffer(2, 4);
    tail.push('0123456789\nok\n');
    assert.deepEqual(tail.last(), ['[6 characters cut] 6789', 'ok']);
  });

  it('keeps the last N of many lines in one chunk', () => {
    const tail = new TailBuffer(2);
    tail.push(Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    assert.deepEqual(tail.last(), ['line 998', 'line 999']);
  });
});
