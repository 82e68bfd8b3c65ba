/**
 * The dialect seam (harness/session/session-api.ts): step definitions never contain a wire string. Every
 * command and event goes through the Session and its profile, so a student's dialect can be graded
 * by writing a profile, never by editing steps. This test keeps it that way.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS } from '../../../common/commands.ts';

const stepsDir = fileURLToPath(new URL('../../../steps/', import.meta.url));

/**
 * Keywords of PROTOCOL.md §2 that start a line: replies and data lines (with the reply words WELCOME and
 * SAY, which are no command word), and every event of the command catalogue. Command words are caught
 * as "/WORD" below.
 */
const KEYWORDS = [
  'OK', 'ERR', 'PONG', 'HELP', 'HISTORY', 'FILEDATA', 'HELLO', 'WELCOME', 'SAY',
  ...Object.values(EVENTS).map((event) => event.keyword),
];

/** A string literal that starts like a wire line: "/WORD", "OK ...", "ERR ...", "JOIN ..." ... */
const WIRE_LITERAL = new RegExp(
  `(['"\`])(?:/[A-Za-z]+(?:[ \\1]|$)|(?:${KEYWORDS.join('|')})(?: |\\1))`,
);

export function wireLiterals(source: string): string[] {
  return source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)) // comments may quote the protocol
    .filter((line) => WIRE_LITERAL.test(line));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the dialect seam', () => {
  it('recognises a wire literal (so the check below can fail)', () => {
    assert.equal(wireLiterals(`await client.send('/JOIN #room');`).length, 1);
    assert.equal(wireLiterals(`if (line.startsWith("OK ")) {}`).length, 1);
    assert.equal(wireLiterals('const x = `ERR ${code}`;').length, 1);
    assert.equal(wireLiterals(`expect(reply).toBe('PONG')`).length, 1);
    assert.equal(wireLiterals(`await this.session.run(user, 'join', { channel });`).length, 0);
    assert.equal(wireLiterals(`expectRefusal(this, user, reply, 'NO_CHANNEL');`).length, 0);
  });

  it('finds no wire string in any step definition or support file', () => {
    const files = tsFiles(stepsDir);
    assert.ok(files.length >= 5, `expected the step files under ${stepsDir}`);
    const offenders = files.flatMap((file) => wireLiterals(readFileSync(file, 'utf8')).map((line) => `${file}: ${line.trim()}`));
    assert.deepEqual(offenders, [], 'step definitions must speak through the Session, not in wire strings');
  });
});
