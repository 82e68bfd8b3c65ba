/**
 * The pieces of profile:draft that decide what a draft says: how an observed reply becomes a pattern (only
 * the probe's own values made variable), which spellings a usage text offers, and the command line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commonPrefix, difference, generalize, WILD } from '../../../harness/draft/generalize.ts';
import { candidates, usageForms } from '../../../harness/draft/spellings.ts';
import { main } from '../../../harness/cli/profile-draft.ts';
import { inferSplit, leadingMarker } from '../../../harness/draft/split.ts';
import { inferErrors } from '../../../harness/draft/errors.ts';

test('generalize: the probe\'s values become placeholders or groups, the rest stays literal', () => {
  const known = [{ value: 'ap12', field: 'from' }, { value: 'r12', field: 'channel' }, { value: 'hi there', field: 'text' }];
  assert.equal(generalize('MSG r12 2 ap12 hi there', known, 'placeholders', true), '^MSG {channel} 2 {from} {text}$');
  assert.equal(generalize('[MSG] ap12: hi there (r12)', known, 'placeholders', false), '\\[MSG\\] {from}: {text} \\({channel}\\)');
  assert.equal(generalize('OK JOIN r12 owner', known, 'groups', true), '^OK JOIN (?<channel>\\S+) owner$');
  assert.equal(generalize(':ap12!ap12@chat', [{ value: 'ap12', field: 'nick' }], 'groups', true), '^:(?<nick>\\S+)!(?:\\S+)@chat$', 'a field seen twice is named once');
  assert.equal(generalize('PRIVMSG bp12 :x', [{ value: 'bp12', field: WILD }], 'placeholders', true), '^PRIVMSG \\S+ :x$');
  assert.equal(generalize('ap123 est parti', [{ value: 'ap12', field: 'nick' }], 'placeholders', false), 'ap123 est parti', 'only whole words');
  assert.equal(generalize('a\nb', [], 'groups', false), 'a\\nb');
});

test('commonPrefix and difference stop at word boundaries', () => {
  assert.equal(commonPrefix(['ERR NOT_ADMIN x', 'ERR NO_CHANNEL y']), 'ERR ');
  assert.equal(commonPrefix([':chat 421 a', ':chat 443 a', ':chat 482 b']), ':chat 4', 'a numeric class keeps its digit');
  assert.equal(commonPrefix(['Commande inconnue', 'Calme toi']), '');
  assert.deepEqual(difference('JOIN r 2 \u0000', 'JOIN r 0 \u0000'), { prefix: 'JOIN r ', a: '2', b: '0', suffix: ' \u0000' });
  assert.deepEqual(difference('[JOINED] r as admin!', '[JOINED] r, welcome!'), { prefix: '[JOINED] r', a: ' as admin', b: ', welcome', suffix: '!' });
  assert.deepEqual(difference('OK JOIN r owner', 'OK JOIN r other'), { prefix: 'OK JOIN r ', a: 'owner', b: 'other', suffix: '' }, 'not split inside a word');
});

test('inferSplit: a marker that starts both glued replies and appears inside no reply seen alone', () => {
  const singles = ['[WELCOME] ap12', 'ap12*\nbp12', '[MSG] ap12: hi [there]'];
  assert.equal(inferSplit('[INFO] ap12 left r1', '[INFO] bp12 is now admin of r1', singles), '(?=\\[[A-Z]+\\] )');
  assert.equal(inferSplit('*** ap12 left', '*** bp12 is the owner', singles), '(?=\\*\\*\\* )');
  assert.equal(inferSplit('INFO: ap12 left', 'INFO: bp12 is the owner', singles), '(?=[A-Z]+: )');
  assert.equal(inferSplit('ap12 est parti', 'Vous êtes le nouveau administrateur', singles), undefined, 'a plain word is no marker');
  assert.equal(inferSplit('[INFO] ap12 left', '[INFO] bp12 owner', ['[MSG] ap12: see [INFO] here']), undefined, 'it would cut a reply seen alone');
  assert.equal(inferSplit('ap12 left', '[INFO] bp12 owner', singles), undefined, 'the first reply does not start with it');
  assert.deepEqual(leadingMarker('!!! what is that?'), { literal: '!!! ', shape: '!!! ' });
  assert.deepEqual(leadingMarker('[ERROR] unknown command'), { literal: '[ERROR] ', shape: '\\[[A-Z]+\\] ' });
  assert.equal(leadingMarker('Commande inconnue'), undefined);
});

test('inferErrors: each refusal text gets the code of the situation that provoked it, unless seen in two', () => {
  const known = [{ value: 'ep12', field: 'nick' }];
  const read = inferErrors(
    [
      { text: '[ERROR] unknown command', code: 'UNKNOWN_COMMAND' },
      { text: '[ERROR] join a channel first', code: 'NO_CHANNEL' },
      { text: '[ERROR] join a channel first', code: 'NO_CHANNEL' },
      { text: '[ERROR] not allowed', code: 'NOT_ADMIN' },
      { text: '[ERROR] not allowed', code: 'ALREADY_MEMBER' },
      { text: '[ERROR] no ep12 here', code: 'NO_SUCH_NICK' },
    ],
    { anchor: true, known, successUnits: ['[WELCOME] ep12'] },
  )!;
  assert.deepEqual(read.error, [
    { match: '^\\[ERROR\\] unknown command$', code: 'UNKNOWN_COMMAND' },
    { match: '^\\[ERROR\\] join a channel first$', code: 'NO_CHANNEL' },
    { match: '^\\[ERROR\\] no \\S+ here$', code: 'NO_SUCH_NICK' },
    '^\\[ERROR\\] not allowed$',
    '^\\[ERROR\\] ',
  ]);
  assert.equal(read.errorCodes, true);
  assert.match(read.unknown!, /UNKNOWN_COMMAND, NO_CHANNEL, NO_SUCH_NICK; a refusal of another kind is recognised by its start/);
  const irc = inferErrors([{ text: ':chat 421 ep12 :Unknown', code: 'UNKNOWN_COMMAND' }, { text: ':chat 442 ep12 :Not on', code: 'NO_CHANNEL' }, { text: ':chat 443 ep12 :Already', code: 'ALREADY_MEMBER' }], { anchor: true, known, successUnits: [':chat 001 ep12 :Welcome'] })!;
  assert.equal(irc.error.at(-1), '^:chat 4', 'a numeric class no success starts with');
  const shared = inferErrors([{ text: 'ERR x', code: 'NOT_ADMIN' }, { text: 'OK x', code: 'NO_CHANNEL' }, { text: 'ERR y', code: 'NICK_IN_USE' }], { anchor: false, known: [], successUnits: ['ERR-free'] })!;
  assert.deepEqual(shared.error, [{ match: 'ERR x', code: 'NOT_ADMIN' }, { match: 'OK x', code: 'NO_CHANNEL' }, { match: 'ERR y', code: 'NICK_IN_USE' }], 'no common start: no catch-all');
  const named = inferErrors(['UNKNOWN_COMMAND', 'NO_CHANNEL', 'NOT_ADMIN'].map((code) => ({ text: `ERR ${code} why`, code })), { anchor: true, known: [], successUnits: [] })!;
  assert.equal(named.error, '^ERR (?<code>[A-Z_]+)(?: (?<reason>.*))?$');
  assert.equal(inferErrors([], { anchor: true, known: [], successUnits: [] }), undefined);
});

test('usage text: the server\'s own spellings come first, then the common ones', () => {
  const usage = usageForms('[INFO] Usage: [COMMAND] NICK <name> | [COMMAND] JOIN <channel> | [COMMAND] MSG <nick> <text> | PRIVMSG * :<text> | JOIN #<channel>');
  assert.deepEqual(usage.map((f) => f.template), ['[COMMAND] NICK {nick}', '[COMMAND] JOIN {channel}', '[COMMAND] MSG {nick} {text}', 'PRIVMSG * :{text}', 'JOIN {channel}']);
  assert.deepEqual(candidates('join', usage, '[COMMAND] ').slice(0, 3), ['[COMMAND] JOIN {channel}', 'JOIN {channel}', '/JOIN {channel}']);
  assert.equal(candidates('msg', usage, '')[0], '[COMMAND] MSG {nicks} {text}');
  assert.equal(candidates('say', usage, '')[0], 'PRIVMSG * :{text}');
  assert.deepEqual(candidates('register', [], ''), ['{nick}', 'NICK {nick}', '/NICK {nick}']);
  assert.ok(candidates('say', [], '').includes('message{text}'), 'the course\'s message<text> habit');
});

test('profile:draft command line: usage errors exit 2 with one line', async () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, (t) => out.push(t), (t) => err.push(t));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  assert.match((await run(['--help'])).out, /profile:draft/);
  const neither = await run([]);
  assert.equal(neither.code, 2);
  assert.match(neither.err, /exactly one of --server/);
  assert.match((await run(['--server', 'python3 s.py'])).err, /must contain \{port\}/);
  assert.match((await run(['--target', 'x:1', '--quiet-ms', '5'])).err, /--quiet-ms/);
  const unreachable = await run(['--target', '127.0.0.1:1', '--out', '/tmp/never-written.json']);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.err, /profile:draft: /);
});
