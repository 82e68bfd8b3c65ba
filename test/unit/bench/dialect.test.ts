import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ircDialect } from '../../../bench/dialect.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalDialect, dialectFromHarnessProfile, resolveDialect, sayRenderer } from '../../../bench/profile.ts';
import { integerOption, isLoopback, parseTarget } from '../../../bench/run.ts';

test('irc bench dialect: NICK/USER, JOIN, PRIVMSG; 001 and 366 end the steps; PING is answered', () => {
  assert.deepEqual(ircDialect.register('b1'), ['NICK b1', 'USER b1 0 * :b1']);
  assert.equal(ircDialect.say('#bench', '~0.1.2'), 'PRIVMSG #bench :~0.1.2');
  assert.ok(ircDialect.registered.test(':bench.local 001 b1 :Welcome'));
  assert.ok(ircDialect.registerFailed.test(':bench.local 433 * b1 :Nickname already in use'));
  assert.ok(ircDialect.joined('#bench').test(':bench.local 366 b1 #bench :End of NAMES list'));
  assert.ok(ircDialect.deliveryLine.test(':b0!~b0@127.0.0.1 PRIVMSG #bench :~0.1.2'));
  assert.equal(ircDialect.answerKeepAlive!('PING :bench.local'), 'PONG :bench.local');
  assert.equal(ircDialect.answerKeepAlive!(':x NOTICE b1 :hi'), undefined);
  assert.equal(ircDialect.eol, '\r\n');
});

test('--profile irc is the built-in IRC dialect (the harness profile irc by its path); an unknown name lists the choices', async () => {
  assert.equal(await resolveDialect('irc'), ircDialect);
  const harnessIrc = await resolveDialect('profiles/irc.json');
  assert.deepEqual(harnessIrc.origin, { profile: 'profiles/irc.json' });
  assert.equal(harnessIrc.say('#bench', 'hi'), 'PRIVMSG * :hi', 'its say names no channel: the current one');
  await assert.rejects(resolveDialect('nope'), /not a harness profile \(.*nope\.json does not exist\) nor a built-in bench dialect \(irc\)/);
});

test('--target accepts loopback only', () => {
  assert.deepEqual(parseTarget('127.0.0.1:1459'), { host: '127.0.0.1', port: 1459 });
  assert.deepEqual(parseTarget('[::1]:7'), { host: '::1', port: 7 });
  assert.ok(isLoopback('localhost') && isLoopback('127.3.2.1'));
  assert.throws(() => parseTarget('192.168.1.2:1459'), /loopback/);
  assert.throws(() => parseTarget('example.org:1459'), /loopback/);
  assert.throws(() => parseTarget('1459'), /host:port/);
});

test('whole-number options of the bench CLIs: a bad value is a usage error that names the option', () => {
  assert.equal(integerOption('clients', '50'), 50);
  assert.equal(integerOption('warmup', '0', 0), 0);
  assert.throws(() => integerOption('warmup', '-1', 0), /--warmup must be an integer of at least 0, got "-1"/);
  assert.throws(() => integerOption('clients', '0'), /--clients must be an integer of at least 1/);
  assert.throws(() => integerOption('rounds', '2.5'), /--rounds/);
  assert.throws(() => integerOption('window', 'many'), /--window/);
});

test('--profile canonical (and the compare\'s canonical targets) go through the harness profile: wire text and recognition as PROTOCOL.md', async () => {
  const dialect = await resolveDialect('canonical');
  assert.deepEqual(dialect.origin, { profile: 'canonical' });
  assert.deepEqual(canonicalDialect().origin, { profile: 'canonical' }, 'no built-in copy of the canonical dialect');
  assert.deepEqual(dialect.register('b1'), ['b1']);
  assert.deepEqual(dialect.join('#bench'), ['/JOIN #bench']);
  assert.equal(dialect.say('#bench', '~0.1.2'), '~0.1.2');
  assert.equal(dialect.eol, '\n');
  assert.ok(dialect.greeting!.test('HELLO chat-conformance 1'));
  assert.ok(dialect.registered.test('OK WELCOME b1'));
  assert.ok(dialect.registerFailed.test('ERR NICK_IN_USE taken'));
  assert.ok(dialect.joined('#bench').test('OK JOIN #bench member'));
  assert.ok(!dialect.registered.test('ERR NICK_IN_USE b1'));
  assert.ok(dialect.deliveryLine.test('MSG #bench b0 ~0.1.2'));
  assert.ok(!dialect.deliveryLine.test('OK SAY #bench'));
  assert.ok(!dialect.deliveryLine.test('ERR SYNTAX ~0.1.2'));
});

test('a harness profile the bench cannot drive is refused with the reason', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-profile-'));
  try {
    const canonical = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../profiles/canonical.json'), 'utf8'));
    canonical.name = 'streamy';
    canonical.wire.framing = 'stream';
    canonical.$schema = undefined;
    const file = path.join(dir, 'streamy.json');
    writeFileSync(file, JSON.stringify(canonical));
    assert.throws(() => dialectFromHarnessProfile(file), /streamy.*framing is not "lines"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('say: each channel\'s line is rendered once and the text put in its place; a template that does not copy the text once is rendered every time', () => {
  const calls: string[] = [];
  const once = sayRenderer((channel, text) => {
    calls.push(text);
    return `SAY ${channel} :${text}`;
  });
  assert.equal(once('#a', '~0.1.2'), 'SAY #a :~0.1.2');
  assert.equal(once('#a', '~0.2.3'), 'SAY #a :~0.2.3');
  assert.equal(once('#b', '~1.1.1'), 'SAY #b :~1.1.1');
  assert.equal(calls.length, 2, 'one render per channel, with the mark for the text');
  assert.ok(calls.every((text) => text !== '~0.2.3'));

  const twice = sayRenderer((channel, text) => `${text} ${channel} ${text}`);
  assert.equal(twice('#a', 'x'), 'x #a x');
  assert.equal(twice('#a', 'y'), 'y #a y');
  // The profiles' own lines through it: the tests above (canonical, profiles/irc.json) check them exactly.
});
