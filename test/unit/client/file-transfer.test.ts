import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { downloadTarget, protocolFileName } from '../../../reference-client/file-transfer.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'chat-client-ft-'));
after(() => rm(dir, { recursive: true, force: true }));

test('the protocol name of a local file: its base name, other characters replaced, 64 at most (§5.16)', () => {
  assert.equal(protocolFileName('/home/me/report 2024 (final).pdf'), 'report_2024__final_.pdf');
  assert.equal(protocolFileName('été.txt'), '_t_.txt');
  assert.equal(protocolFileName(`/tmp/${'a'.repeat(80)}`), 'a'.repeat(64));
  assert.equal(protocolFileName('/'), 'file');
});

test('where /RECV writes: the given path, inside it when it is a directory, else the working directory', async () => {
  await mkdir(path.join(dir, 'inbox'));
  assert.equal(await downloadTarget('a.txt', undefined, dir), path.join(dir, 'a.txt'));
  assert.equal(await downloadTarget('a.txt', 'inbox', dir), path.join(dir, 'inbox', 'a.txt'));
  assert.equal(await downloadTarget('a.txt', 'inbox/b.txt', dir), path.join(dir, 'inbox', 'b.txt'));
});
