/** A profile written on top of another (`extends`), and the course variants a profile declares (issue #21). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProfile, parseProfile, ProfileError } from '../../../harness/dialect/load-profile.ts';
import { describeVariants } from '../../../harness/dialect/variants.ts';

const canonical = loadProfile('canonical');

test('extends: the base profile with this one\'s keys on top, one level deep', () => {
  const p = parseProfile(JSON.stringify({ extends: 'canonical', name: 'quiet-errors', replies: { error: '^Error: (?<reason>.*)$' }, capabilities: { errorCodes: false } }), path.join(os.tmpdir(), 'p.json'));
  assert.equal(p.name, 'quiet-errors');
  assert.equal(p.errorCodes, false);
  assert.equal(p.lobby, canonical.lobby, 'the other capabilities are the base\'s');
  assert.deepEqual(p.okReply.map(String), canonical.okReply.map(String), 'replies.ok kept from the base');
  assert.equal(p.errorReply[0]!.pattern.source, '^Error: (?<reason>.*)$');
  assert.deepEqual(Object.keys(p.commands).sort(), Object.keys(canonical.commands).sort());
});

test('extends: a path is relative to the extending file; a cycle or a missing base is a clear error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'extends-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ extends: './b.json', name: 'a' }));
    fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ extends: './a.json', name: 'b' }));
    assert.throws(() => loadProfile(path.join(dir, 'a.json')), (e: unknown) => e instanceof ProfileError && /extends itself/.test(e.message));
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ extends: './missing.json', name: 'c' }));
    assert.throws(() => loadProfile(path.join(dir, 'c.json')), (e: unknown) => e instanceof ProfileError && /cannot read the profile/.test(e.message));
    fs.writeFileSync(path.join(dir, 'd.json'), JSON.stringify({ extends: '../' + path.basename(dir) + '/e.json', name: 'd' }));
    fs.writeFileSync(path.join(dir, 'e.json'), JSON.stringify({ extends: 'canonical', name: 'e', variants: { bye: 'leave-first' } }));
    assert.deepEqual(loadProfile(path.join(dir, 'd.json')).variants, { bye: 'leave-first' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('variants: none by default, named in words, and the lobby variant needs a default channel', () => {
  assert.deepEqual(canonical.variants, {});
  const p = parseProfile(JSON.stringify({ extends: 'canonical', name: 'v', variants: { bye: 'leave-first', names: 'unused-no-spaces' } }), path.join(os.tmpdir(), 'v.json'));
  const words = describeVariants(p.variants);
  assert.equal(words.length, 2);
  assert.match(words[0]!, /^bye=leave-first: .*\/LEAVE first/);
  assert.match(words[1]!, /^names=unused-no-spaces: /);
  assert.throws(
    () => parseProfile(JSON.stringify({ extends: 'canonical', name: 'l', variants: { lobby: 'default-channel' } }), path.join(os.tmpdir(), 'l.json')),
    (e: unknown) => e instanceof ProfileError && /variants\.lobby/.test(e.message),
  );
  assert.throws(() => parseProfile(JSON.stringify({ extends: 'canonical', name: 'x', variants: { bye: 'never' } }), path.join(os.tmpdir(), 'x.json')), ProfileError);
});
