import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_WORDS as CATALOGUE_WORDS } from '../../../common/commands.ts';
import { COMMAND_WORDS, helpLines, parseTyped } from '../../../reference-client/typed-commands.ts';

describe('what the user types', () => {
  test('plain text, //text and blank lines (§5, §1.6)', () => {
    assert.deepEqual(parseTyped('  hello  world '), { kind: 'command', command: { name: 'say', args: { text: 'hello  world' } } });
    assert.deepEqual(parseTyped('//shrug'), { kind: 'command', command: { name: 'say', args: { text: '/shrug' } } });
    assert.deepEqual(parseTyped(' \t '), { kind: 'empty' });
  });

  test('command words are case-insensitive; /MSG text is the rest of the line', () => {
    assert.deepEqual(parseTyped('/join #room'), { kind: 'command', command: { name: 'join', args: { channel: '#room' } } });
    assert.deepEqual(parseTyped('/Msg bob;carol  see  you'), { kind: 'command', command: { name: 'msg', args: { nicks: 'bob;carol', text: 'see  you' } } });
    assert.deepEqual(parseTyped('/CURRENT'), { kind: 'command', command: { name: 'current', args: {} } });
    assert.deepEqual(parseTyped('/ping tok'), { kind: 'command', command: { name: 'ping', args: { token: 'tok' } } });
  });

  test('wrong arguments and unknown words stay raw, so the server answers them', () => {
    assert.deepEqual(parseTyped('/JOIN'), { kind: 'raw', line: '/JOIN', usage: '/JOIN <channel>' });
    assert.deepEqual(parseTyped('/WHO extra'), { kind: 'raw', line: '/WHO extra', usage: '/WHO' });
    assert.deepEqual(parseTyped('/MSG bob'), { kind: 'raw', line: '/MSG bob', usage: '/MSG <nick>[;<nick>...] <text>' });
    assert.deepEqual(parseTyped('/DANCE now'), { kind: 'raw', line: '/DANCE now' });
    assert.deepEqual(parseTyped('/'), { kind: 'raw', line: '/' });
  });

  test('/SEND takes a local path (spaces allowed); /RECV an optional path and --force anywhere', () => {
    assert.deepEqual(parseTyped('/send bob ./my notes.txt'), { kind: 'send-file', nick: 'bob', path: './my notes.txt' });
    assert.deepEqual(parseTyped('/SEND bob'), { kind: 'raw', line: '/SEND bob', usage: '/SEND <nick> <path>' });
    assert.deepEqual(parseTyped('/RECV a.txt'), { kind: 'recv-file', name: 'a.txt', force: false });
    assert.deepEqual(parseTyped('/RECV a.txt out/b.txt --force'), { kind: 'recv-file', name: 'a.txt', path: 'out/b.txt', force: true });
    assert.deepEqual(parseTyped('/recv --force a.txt'), { kind: 'recv-file', name: 'a.txt', force: true });
    assert.deepEqual(parseTyped('/RECV'), { kind: 'raw', line: '/RECV', usage: '/RECV <name> [<path>] [--force]' });
  });

  test('every command word of the catalogue (PROTOCOL.md §6) can be typed', () => {
    assert.ok(CATALOGUE_WORDS.length >= 23);
    for (const word of CATALOGUE_WORDS) {
      assert.ok(COMMAND_WORDS.includes(`/${word}`), word);
    }
  });
});

describe('/HELP and /RECONNECT, answered by the client itself', () => {
  test('parse without arguments; with arguments they stay raw with their usage', () => {
    assert.deepEqual(parseTyped('/help'), { kind: 'help' });
    assert.deepEqual(parseTyped(' /Reconnect '), { kind: 'reconnect' });
    assert.deepEqual(parseTyped('/HELP me'), { kind: 'raw', line: '/HELP me', usage: '/HELP' });
    assert.deepEqual(parseTyped('/RECONNECT now'), { kind: 'raw', line: '/RECONNECT now', usage: '/RECONNECT' });
  });

  test('the help lists every command word exactly once, under titled sections', () => {
    const lines = helpLines();
    for (const title of ['Commands sent to the server (typed as in docs/PROTOCOL.md, whatever the server speaks):', 'Client commands:', 'Keys:']) {
      assert.equal(lines.filter((l) => l === title).length, 1, title);
    }
    const listed = lines.filter((l) => /^  \/[A-Z]/.test(l)).map((l) => l.trim().split(/\s/)[0]!.toUpperCase());
    assert.deepEqual([...listed].sort(), [...COMMAND_WORDS].sort());
    assert.ok(lines.indexOf('Client commands:') < lines.findIndex((l) => l.startsWith('  /RECONNECT')));
  });
});
