import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from 'node:util';
import { didYouMean, parseArgsMessage, systemErrorMessage } from '../../../common/plain-errors.ts';

const OPTIONS = { tags: { type: 'string' }, target: { type: 'string' }, reports: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function messageFor(args: string[]): string | undefined {
  try {
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  } catch (error) {
    return parseArgsMessage(error, OPTIONS);
  }
  assert.fail(`parseArgs accepted ${args.join(' ')}`);
}

test('did you mean: a typo or a prefix finds the option, a word far from every option finds none', () => {
  assert.equal(didYouMean('--tagz', ['--tags', '--target']), '--tags');
  assert.equal(didYouMean('--repotrs', ['--tags', '--reports']), '--reports');
  assert.equal(didYouMean('--targ', ['--tags', '--target']), '--target');
  assert.equal(didYouMean('--zebra', ['--tags', '--target']), undefined);
});

test("parseArgs errors in plain words, without its advice about positional arguments", () => {
  assert.equal(messageFor(['--tagz', 'x']), 'unknown option --tagz (did you mean --tags?)');
  assert.equal(messageFor(['--frobnicate']), 'unknown option --frobnicate');
  assert.equal(messageFor(['--tags']), '--tags needs a value');
  assert.match(messageFor(['stray']) ?? '', /unexpected argument "stray"/);
  assert.equal(parseArgsMessage(new Error('something else'), OPTIONS), undefined);
});

test('system errors name what they are about: the host, the port, the directory', () => {
  const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND nosuch.invalid'), { code: 'ENOTFOUND', hostname: 'nosuch.invalid' });
  assert.match(systemErrorMessage(notFound) ?? '', /the host name nosuch\.invalid is not known/);
  const inUse = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen' });
  assert.match(systemErrorMessage(inUse, { host: '127.0.0.1', port: 1459 }) ?? '', /^port 1459 is already in use on 127\.0\.0\.1/);
  const noDir = Object.assign(new Error("ENOENT: no such file or directory, scandir 'subs'"), { code: 'ENOENT', syscall: 'scandir', path: 'subs' });
  assert.equal(systemErrorMessage(noDir), 'no such directory: subs');
  assert.equal(systemErrorMessage(new Error('plain')), undefined);
});
