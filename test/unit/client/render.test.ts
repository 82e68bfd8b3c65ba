import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { colourEnabled, makeStyle, renderEvent, renderOutcome, sanitize } from '../../../reference-client/render.ts';

const plain = makeStyle(false);
const tty = (colours: boolean) => ({ isTTY: true, hasColors: () => colours }) as unknown as NodeJS.WriteStream;

describe('colour', () => {
  test('only on a terminal with colours, and never when NO_COLOR is set', () => {
    assert.equal(colourEnabled(tty(true), {}), true);
    assert.equal(colourEnabled(tty(true), { NO_COLOR: '1' }), false);
    assert.equal(colourEnabled(tty(true), { NO_COLOR: '' }), true, 'an empty NO_COLOR does not count (no-color.org)');
    assert.equal(colourEnabled(tty(false), {}), false);
    assert.equal(colourEnabled({ isTTY: false } as unknown as NodeJS.WriteStream, {}), false);
  });

  test('the plain style adds nothing', () => {
    assert.equal(plain('red', 'x'), 'x');
  });
});

describe('rendering', () => {
  test('server text cannot drive the terminal: control characters become visible', () => {
    assert.equal(sanitize('a\u001b[2Jb\u0007'), 'a\\x1b[2Jb\\x07');
    assert.equal(renderEvent('message', { channel: '#r', from: 'eve', text: '\u001b]0;pwned\u0007' }, { me: 'me' }, plain), '[#r] <eve> \\x1b]0;pwned\\x07');
  });

  test('events about oneself are worded for "you"', () => {
    assert.equal(renderEvent('kicked', { channel: '#r', nick: 'me', by: 'boss' }, { me: 'me' }, plain), '[#r] * you were kicked by boss');
    assert.equal(renderEvent('kicked', { channel: '#r', nick: 'bob', by: 'boss' }, { me: 'me' }, plain), '[#r] * bob was kicked by boss');
    assert.equal(renderEvent('global', { from: '*', text: 'reboot' }, { me: 'me' }, plain), '[global] <server> reboot');
  });

  test('WHO shows owner and admin marks; a plain message reply shows nothing; errors name their code', () => {
    const who = renderOutcome(
      { command: { name: 'who', args: {} }, reply: { kind: 'reply', ok: true, command: 'who', fields: { channel: '#r', members: '~a @b c' } }, data: [], raw: '' },
      { me: 'a' },
      plain,
    );
    assert.deepEqual(who, ['[#r] members: ~a @b c  (~ owner, @ admin)']);
    const say = renderOutcome({ command: { name: 'say', args: { text: 'hi' } }, reply: { kind: 'reply', ok: true, command: 'say', fields: { channel: '#r' } }, data: [], raw: '' }, { me: 'a' }, plain);
    assert.deepEqual(say, []);
    const err = renderOutcome({ command: undefined, reply: { kind: 'reply', ok: false, code: 'NO_CHANNEL', fields: { reason: 'join first' } }, data: [], raw: '' }, { me: 'a' }, plain);
    assert.deepEqual(err, ['error NO_CHANNEL: join first']);
  });
});
