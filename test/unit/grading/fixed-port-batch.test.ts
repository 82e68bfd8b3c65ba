/**
 * A class whose servers all hard-code the same port (profile server.port, like the course's 1459), graded
 * with --jobs 2 and --no-sandbox (no network namespace per grader): they take turns on that port (grading/port-lock.ts) and both are graded in full, instead
 * of the second finding the port taken. The port is a free one picked by the test (tests never use 1459).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { freePort } from '../../../harness/target/probe.ts';
import { PortLocks } from '../../../grading/port-lock.ts';
import type { Grade } from '../../../grading/score.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

test('PortLocks: one holder per port at a time, in the order they asked; other ports are not held up', async () => {
  const locks = new PortLocks();
  const order: string[] = [];
  const first = await locks.acquire(1);
  const second = locks.acquire(1).then((release) => {
    order.push('second');
    return release;
  });
  const other = await locks.acquire(2); // another port: at once
  order.push('other');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(order, ['other'], 'the second waits for the first');
  first();
  (await second)();
  other();
  assert.deepEqual(order, ['other', 'second']);
});

test('two submissions on the same fixed port, --jobs 2: both graded in full, one after the other', { timeout: 300_000 }, async (t) => {
  const port = await freePort();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fixed-port-class-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const canonical = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'profiles', 'canonical.json'), 'utf8')) as Record<string, unknown>;
  delete canonical.$schema;
  for (const name of ['alpha', 'beta']) {
    const dir = path.join(root, 'class', name);
    fs.mkdirSync(dir, { recursive: true });
    // The reference server, but always on `port`, like a submission that hard-codes it.
    fs.writeFileSync(
      path.join(dir, 'server.sh'),
      `cd ${JSON.stringify(PROJECT_ROOT)} && exec ${fixtureCommand('reference-server/net/cli.ts', '--host', '127.0.0.1', '--port', String(port))}\n`,
    );
    fs.writeFileSync(path.join(dir, 'profile.json'), JSON.stringify({ ...canonical, name: `fixed-${name}`, server: { port } }));
  }
  const reports = path.join(root, 'reports');
  const run = await execa(
    process.execPath,
    ['--import', 'tsx', 'grading/cli.ts', '--submissions', path.join(root, 'class'), '--server', 'sh {dir}/server.sh', '--jobs', '2', '--limit', '240', '--tags', '@list', '--reports', reports, '--no-sandbox'],
    { cwd: PROJECT_ROOT, reject: false, timeout: 280_000 },
  );
  assert.equal(run.exitCode, 0, `grade failed:\n${run.stdout}\n${run.stderr}`);
  const grades = ['alpha', 'beta'].map((name) => JSON.parse(fs.readFileSync(path.join(reports, 'submissions', name, 'grade.json'), 'utf8')) as Grade);
  for (const grade of grades) {
    assert.equal(grade.state, 'complete', `${grade.submission}: ${grade.notes.join('; ')}`);
    assert.equal(grade.counts.failed, 0, `${grade.submission} failed nothing`);
    assert.ok(grade.counts.passed > 0);
    assert.ok(grade.notes.some((n) => n.includes(`fixed port ${port}`)), 'the grade says why it waited its turn');
  }
  // Had they run at the same time, the second server could not have listened: it would not be complete.
});
